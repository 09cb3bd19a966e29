package io.tradeflow.core.state;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * What the database projection does not hold, as of one journal index: the part of the routing state
 * a start-up used to rebuild by reading the whole journal ({@code JournalReplay.rebuildUnprojected}).
 * That is the pending limit/stop orders, each account's alert settings, the remembered idempotency
 * answers, the duplicate-signal times, each user's entry alerts of the day and the order-id counter; and each
 * user's plan and suspension, which the database also holds but which the journal decides: a crash between the
 * ring accepting a PLAN_CHANGED or USER_SUSPENDED and the service writing it to the database leaves the
 * database behind, and a full replay used to set the state right from the journal (version 2; a version 1
 * file is not used, so start-up reads the whole journal once).
 *
 * <p>Start-up loads the projection at its index L, applies a checkpoint taken at J ≤ L over it, and
 * reads the journal only after J, so a restart reads what happened since the checkpoint instead of
 * the whole history. The server writes one on a clean shutdown (ring stopped, projection drained, so
 * J = L); after a crash the previous checkpoint still holds (J ≤ L), and without a usable one start-up
 * reads the whole journal as before. Written to a temporary file, forced and renamed, with a CRC, like
 * {@link RouterStateSnapshot}.
 */
public final class ReplayCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCheckpoint.class);
    private static final int MAGIC = 0x54465243;   // "TFRC"
    private static final int FORMAT_VERSION = 2;
    private static final String FILE = "replay-checkpoint.bin";

    /** A checkpoint read back: apply {@link #applyTo} to a state loaded from the projection, then replay after the index. */
    public static final class Loaded {
        private final long journalIndex;
        private final byte[] body;

        private Loaded(long journalIndex, byte[] body) {
            this.journalIndex = journalIndex;
            this.body = body;
        }

        /** The last journal index the checkpoint includes: replay resumes after it. */
        public long journalIndex() {
            return journalIndex;
        }

        /** Replaces the unprojected parts of {@code state} (fresh, loaded from the projection) with the checkpoint's. */
        public void applyTo(RouterState state) {
            try {
                decode(new DataInputStream(new ByteArrayInputStream(body)), state);
            } catch (IOException e) {
                throw new UncheckedIOException("replay checkpoint at " + journalIndex + " is corrupt", e);
            }
        }
    }

    private ReplayCheckpoint() {
    }

    /** Writes the checkpoint of {@code state} as of {@code journalIndex} into {@code dir}, replacing the previous one. */
    public static Path write(RouterState state, long journalIndex, Path dir) {
        return writeEncoded(encode(state, journalIndex), dir);
    }

    /**
     * The checkpoint of {@code state} as of {@code journalIndex}, as the file holds it. Split from writing so the
     * ring thread can take a running checkpoint (it alone may read the state) and leave the disk to another thread.
     */
    public static byte[] encode(RouterState state, long journalIndex) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(journalIndex);
            encode(state, out);
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a replay checkpoint", e);
        }
    }

    /** Writes a checkpoint made by {@link #encode} into {@code dir} (temporary file, forced, renamed), replacing the previous one. */
    public static Path writeEncoded(byte[] checkpoint, Path dir) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(FILE);
            Path temp = dir.resolve(FILE + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(checkpoint);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a replay checkpoint in " + dir, e);
        }
    }

    /** The checkpoint in {@code dir}, or empty when there is none or it cannot be read (start-up then reads the whole journal). */
    public static Optional<Loaded> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 16 + Long.BYTES) {
                throw new IOException("too short");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - Long.BYTES);
            if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong()) {
                throw new IOException("checksum mismatch");
            }
            ByteBuffer header = ByteBuffer.wrap(bytes, 0, 16);
            if (header.getInt() != MAGIC || header.getInt() != FORMAT_VERSION) {
                throw new IOException("not a version " + FORMAT_VERSION + " replay checkpoint");
            }
            long journalIndex = header.getLong();
            byte[] body = java.util.Arrays.copyOfRange(bytes, 16, bytes.length - Long.BYTES);
            return Optional.of(new Loaded(journalIndex, body));
        } catch (IOException e) {
            LOG.warn("ignoring the unreadable replay checkpoint {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private static void encode(RouterState state, DataOutputStream out) throws IOException {
        out.writeLong(state.lastOrderId());
        SymbolTable symbols = state.symbols();
        List<AccountState> accounts = new ArrayList<>();
        state.accounts().forEach(accounts::add);
        accounts.sort(Comparator.comparingLong(AccountState::accountId));
        out.writeInt(accounts.size());
        for (AccountState a : accounts) {
            out.writeLong(a.accountId());
            boolean own = a.alertRules() != state.defaultAlertRules();
            out.writeBoolean(own);
            if (own) {
                writeSettings(out, a.alertRules().settings());
            }
        }
        List<UserState> users = new ArrayList<>();
        state.users().forEach(users::add);
        out.writeInt(users.size());
        for (UserState u : users) {
            out.writeLong(u.userId());
            out.writeLong(u.alertDay());
            out.writeInt(u.alertsToday());
            out.writeByte(u.plan().code());
            out.writeBoolean(u.lapsedFlag());
            out.writeLong(u.graceEndsAtMillis());
            out.writeBoolean(u.suspended());
        }
        writePending(state, out);
        IdempotencyIndex idempotency = state.idempotency();
        out.writeLong(idempotency.latestMillis());
        List<IdempotencyIndex.Answer> answers = new ArrayList<>();
        idempotency.forEachLive(answers::add);
        out.writeInt(answers.size());
        for (IdempotencyIndex.Answer a : answers) {
            writeAnswer(out, a);
        }
        List<long[]> signals = new ArrayList<>();
        state.forEachSignal((key, at) -> signals.add(new long[] {key, at}));
        out.writeInt(signals.size());
        for (long[] s : signals) {
            // The key holds the interned symbol id, which another start may number differently: store the name.
            long key = s[0];
            out.writeLong(key >>> 26);
            out.writeUTF(symbols.name((int) ((key >>> 6) & 0xFFFFF)));
            out.writeByte((int) (key & 0x3F));
            out.writeLong(s[1]);
        }
    }

    private static void decode(DataInputStream in, RouterState state) throws IOException {
        state.observeOrderId(in.readLong());
        SymbolTable symbols = state.symbols();
        // Settings as the journal left them at the checkpoint; an account it does not know was added later
        // and starts from the defaults, as it did when the journal was read from the start.
        Map<Long, AlertSettings> settings = new LinkedHashMap<>();
        int accounts = in.readInt();
        for (int i = 0; i < accounts; i++) {
            long accountId = in.readLong();
            settings.put(accountId, in.readBoolean() ? readSettings(in) : null);
        }
        state.accounts().forEach(a -> {
            AlertSettings own = settings.get(a.accountId());
            a.alertRules(own == null ? state.defaultAlertRules() : new AlertRules(own, symbols));
        });
        int users = in.readInt();
        for (int i = 0; i < users; i++) {
            UserState user = state.user(in.readLong());
            long day = in.readLong();
            int count = in.readInt();
            io.tradeflow.config.PlanTier tier = io.tradeflow.config.PlanTier.fromCode(in.readByte());
            boolean lapsed = in.readBoolean();
            long graceEnds = in.readLong();
            boolean suspended = in.readBoolean();
            if (user != null) {
                user.restoreAlerts(day, count);
                state.plan(user.userId(), tier, lapsed, graceEnds);
                state.suspend(user.userId(), suspended);
            }
        }
        readPending(state, in);
        IdempotencyIndex idempotency = state.idempotency();
        long latest = in.readLong();
        int answers = in.readInt();
        for (int i = 0; i < answers; i++) {
            IdempotencyIndex.Answer answer = readAnswer(in);
            // A journal replay remembers answers only for accounts that exist (a deleted account's keys are revoked).
            if (state.account(answer.accountId) != null) {
                idempotency.restore(answer);
            }
        }
        idempotency.restoreLatest(latest);
        int signals = in.readInt();
        for (int i = 0; i < signals; i++) {
            long accountId = in.readLong();
            int symbolId = symbols.intern(in.readUTF());
            int low = in.readByte();
            long at = in.readLong();
            state.signalAccepted(((accountId << 20 | symbolId) << 6) | low, at);
        }
        if (in.available() != 0) {
            throw new IOException("unexpected bytes after the checkpoint");
        }
    }

    private static void writePending(RouterState state, DataOutputStream out) throws IOException {
        List<PendingOrder> pending = state.pendingOrders().all();
        out.writeInt(pending.size());
        for (PendingOrder o : pending) {
            // A fresh event per order (off the hot path): ring slots alone are started with RingEvent.begin.
            RingEvent scratch = new RingEvent();
            o.describe(scratch);
            out.writeLong(o.orderId());
            out.writeLong(o.accountId());
            out.writeLong(o.userId());
            out.writeUTF(state.symbols().name(o.symbolId()));
            out.writeUTF(scratch.action.name());
            out.writeUTF(scratch.side.name());
            out.writeUTF(scratch.orderType.name());
            out.writeDouble(scratch.orderPrice);
            out.writeDouble(o.lots());
            out.writeUTF(scratch.stopLossMode.name());
            out.writeDouble(scratch.stopLossValue);
            out.writeUTF(scratch.takeProfitMode.name());
            out.writeDouble(scratch.takeProfitValue);
            out.writeUTF(scratch.strategy.toString());
        }
    }

    private static void readPending(RouterState state, DataInputStream in) throws IOException {
        // The projection holds the pending rows too, but not the alerts' stop modes; the checkpoint replaces them.
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            RingEvent scratch = new RingEvent();
            scratch.orderId = in.readLong();
            scratch.accountId = in.readLong();
            scratch.userId = in.readLong();
            int symbolId = state.symbols().intern(in.readUTF());
            scratch.action = Action.valueOf(in.readUTF());
            scratch.side = Side.valueOf(in.readUTF());
            scratch.orderType = OrderType.valueOf(in.readUTF());
            scratch.orderPrice = in.readDouble();
            double lots = in.readDouble();
            scratch.stopLossMode = StopMode.valueOf(in.readUTF());
            scratch.stopLossValue = in.readDouble();
            scratch.takeProfitMode = StopMode.valueOf(in.readUTF());
            scratch.takeProfitValue = in.readDouble();
            scratch.strategy.set(in.readUTF());
            state.pendingOrders().add(scratch, symbolId, lots);
            state.observeOrderId(scratch.orderId);
        }
    }

    private static void writeAnswer(DataOutputStream out, IdempotencyIndex.Answer a) throws IOException {
        out.writeLong(a.accountId);
        out.writeUTF(a.clientId.toString());
        out.writeLong(a.bodyHash);
        out.writeLong(a.expiresAtMillis);
        out.writeLong(a.journalIndex);
        out.writeUTF(a.outcome.name());
        writeNullable(out, a.reason);
        writeNullable(out, a.field);
        out.writeLong(a.orderId);
        out.writeDouble(a.fillPrice);
        out.writeDouble(a.filledQuantity);
        out.writeDouble(a.positionQuantity);
        out.writeDouble(a.positionStopLoss);
        out.writeDouble(a.positionTakeProfit);
        out.writeDouble(a.pendingQuantity);
        out.writeUTF(a.symbol.toString());
    }

    private static IdempotencyIndex.Answer readAnswer(DataInputStream in) throws IOException {
        IdempotencyIndex.Answer a = new IdempotencyIndex.Answer();
        a.accountId = in.readLong();
        a.clientId.set(in.readUTF());
        a.bodyHash = in.readLong();
        a.expiresAtMillis = in.readLong();
        a.journalIndex = in.readLong();
        a.outcome = Outcome.valueOf(in.readUTF());
        a.reason = readNullable(in);
        a.field = readNullable(in);
        a.orderId = in.readLong();
        a.fillPrice = in.readDouble();
        a.filledQuantity = in.readDouble();
        a.positionQuantity = in.readDouble();
        a.positionStopLoss = in.readDouble();
        a.positionTakeProfit = in.readDouble();
        a.pendingQuantity = in.readDouble();
        a.symbol.set(in.readUTF());
        return a;
    }

    private static void writeSettings(DataOutputStream out, AlertSettings s) throws IOException {
        out.writeInt(s.pyramiding());
        out.writeLong(s.duplicateWindow().toMillis());
        out.writeLong(s.maxSignalAge().toMillis());
        out.writeLong(s.idempotencyWindow().toMillis());
        out.writeInt(s.symbolMap().size());
        for (Map.Entry<String, String> entry : s.symbolMap().entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue());
        }
        out.writeUTF(s.symbolSuffix());
    }

    private static AlertSettings readSettings(DataInputStream in) throws IOException {
        int pyramiding = in.readInt();
        Duration duplicate = Duration.ofMillis(in.readLong());
        Duration maxAge = Duration.ofMillis(in.readLong());
        Duration idempotency = Duration.ofMillis(in.readLong());
        int entries = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return new AlertSettings(pyramiding, duplicate, maxAge, idempotency, map, in.readUTF());
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
