package io.tradeflow.core.state;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
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
import java.util.zip.CRC32C;

/**
 * What the database projection does not hold, as of one journal index: the part of the routing state
 * a start-up used to rebuild by reading the whole journal ({@code JournalReplay.rebuildUnprojected}).
 * That is the pending limit/stop orders, each account's alert settings, the remembered idempotency
 * answers, the duplicate-signal times, each user's entry alerts of the day and the order-id counter; and each
 * user's plan and suspension, which the database also holds but which the journal decides: a crash between the
 * ring accepting a PLAN_CHANGED or USER_SUSPENDED and the service writing it to the database leaves the
 * database behind, and a full replay used to set the state right from the journal.
 *
 * <p>Version 3 writes the idempotency answers compactly ({@link AnswerCodec}) and checks the file with
 * CRC32C; it is mapped and read in place. A file of another version (1 and 2 were DataOutputStream records,
 * one String per text field, under a CRC32) is not used, so start-up reads the whole journal once.
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
    private static final int FORMAT_VERSION = 3;
    private static final String FILE = "replay-checkpoint.bin";
    /** Magic, version and journal index. */
    private static final int HEADER_BYTES = 2 * Integer.BYTES + Long.BYTES;
    /** The CRC32C of everything before it. */
    private static final int TRAILER_BYTES = Long.BYTES;

    /** A checkpoint read back: apply {@link #applyTo} to a state loaded from the projection, then replay after the index. */
    public static final class Loaded {
        private final long journalIndex;
        private final ByteBuffer body;

        private Loaded(long journalIndex, ByteBuffer body) {
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
                decode(new CheckpointInput(body.duplicate()), state);
            } catch (IOException | BufferUnderflowException e) {
                throw new UncheckedIOException("replay checkpoint at " + journalIndex + " is corrupt",
                        e instanceof IOException io ? io : new IOException("it ends too soon", e));
            }
        }
    }

    private ReplayCheckpoint() {
    }

    /** Writes the checkpoint of {@code state} as of {@code journalIndex} into {@code dir}, replacing the previous one. */
    public static Path write(RouterState state, long journalIndex, Path dir) {
        return replace(dir, channel -> encode(state, journalIndex, new CheckpointOutput(channel)));
    }

    /**
     * The checkpoint of {@code state} as of {@code journalIndex}, as the file holds it, for {@link #writeEncoded}.
     * Split from writing so the ring thread can take a running checkpoint (it alone may read the state) and leave
     * the disk to another thread; a clean stop uses {@link #write}, which streams straight into the file.
     */
    public static ByteBuffer encode(RouterState state, long journalIndex) {
        Bytes bytes = new Bytes();
        try {
            encode(state, journalIndex, new CheckpointOutput(Channels.newChannel(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a replay checkpoint", e);
        }
        return bytes.view();
    }

    /** Writes a checkpoint made by {@link #encode} into {@code dir}, replacing the previous one. */
    public static Path writeEncoded(ByteBuffer checkpoint, Path dir) {
        ByteBuffer buffer = checkpoint.duplicate();
        return replace(dir, channel -> {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /**
     * The encoded bytes, handed over in place: {@code toByteArray} would copy a checkpoint of a million answers
     * (over 100 MB) once more, on the ring thread.
     */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(1 << 20);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count).asReadOnlyBuffer();
        }
    }

    private static void encode(RouterState state, long journalIndex, CheckpointOutput out) throws IOException {
        out.putInt(MAGIC);
        out.putInt(FORMAT_VERSION);
        out.putLong(journalIndex);
        encode(state, out);
        out.finish();
    }

    /** What fills the temporary file. */
    private interface Contents {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Fills a temporary file, forces it and renames it over the checkpoint, so a crash leaves the old one or the new one. */
    private static Path replace(Path dir, Contents contents) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(FILE);
            Path temp = dir.resolve(FILE + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                contents.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a replay checkpoint in " + dir, e);
        }
    }

    /**
     * The checkpoint in {@code dir}, or empty when there is none or it cannot be read (start-up then reads the whole
     * journal). The file is mapped, not copied onto the heap: it is read once, in place, by {@link Loaded#applyTo}.
     * The mapping lasts until the buffer is collected, which is harmless: the next checkpoint replaces the file by
     * a rename, never by writing into it.
     */
    public static Optional<Loaded> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES + TRAILER_BYTES) {
                throw new IOException("too short");
            }
            if (size > Integer.MAX_VALUE) {
                throw new IOException("too long to map: " + size + " bytes");
            }
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            int magic = bytes.getInt();
            int version = bytes.getInt();
            if (magic != MAGIC || version != FORMAT_VERSION) {
                throw new IOException("not a version " + FORMAT_VERSION + " replay checkpoint (magic "
                        + Integer.toHexString(magic) + ", version " + version + ")");
            }
            long journalIndex = bytes.getLong();
            int checked = (int) size - TRAILER_BYTES;
            CRC32C crc = new CRC32C();
            crc.update(bytes.duplicate().position(0).limit(checked));
            if (crc.getValue() != bytes.getLong(checked)) {
                throw new IOException("checksum mismatch");
            }
            ByteBuffer body = bytes.slice(HEADER_BYTES, checked - HEADER_BYTES);
            return Optional.of(new Loaded(journalIndex, body));
        } catch (IOException e) {
            LOG.warn("ignoring the unreadable replay checkpoint {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private static void encode(RouterState state, CheckpointOutput out) throws IOException {
        out.putLong(state.lastOrderId());
        SymbolTable symbols = state.symbols();
        List<AccountState> accounts = new ArrayList<>();
        state.accounts().forEach(accounts::add);
        accounts.sort(Comparator.comparingLong(AccountState::accountId));
        out.putInt(accounts.size());
        for (AccountState a : accounts) {
            out.putLong(a.accountId());
            boolean own = a.alertRules() != state.defaultAlertRules();
            out.putBoolean(own);
            if (own) {
                writeSettings(out, a.alertRules().settings());
            }
        }
        List<UserState> users = new ArrayList<>();
        state.users().forEach(users::add);
        out.putInt(users.size());
        for (UserState u : users) {
            out.putLong(u.userId());
            out.putLong(u.alertDay());
            out.putInt(u.alertsToday());
            out.putByte(u.plan().code());
            out.putBoolean(u.lapsedFlag());
            out.putLong(u.graceEndsAtMillis());
            out.putBoolean(u.suspended());
        }
        writePending(state, out);
        AnswerCodec.write(state.idempotency(), out);
        List<long[]> signals = new ArrayList<>();
        state.forEachSignal((key, at) -> signals.add(new long[] {key, at}));
        out.putInt(signals.size());
        for (long[] s : signals) {
            // The key holds the interned symbol id, which another start may number differently: store the name.
            long key = s[0];
            out.putLong(key >>> 26);
            out.putString(symbols.name((int) ((key >>> 6) & 0xFFFFF)));
            out.putByte((int) (key & 0x3F));
            out.putLong(s[1]);
        }
    }

    private static void decode(CheckpointInput in, RouterState state) throws IOException {
        state.observeOrderId(in.readLong());
        SymbolTable symbols = state.symbols();
        // Settings as the journal left them at the checkpoint; an account it does not know was added later
        // and starts from the defaults, as it did when the journal was read from the start.
        Map<Long, AlertSettings> settings = new LinkedHashMap<>();
        int accounts = in.readCount(Long.BYTES + 1);
        for (int i = 0; i < accounts; i++) {
            long accountId = in.readLong();
            settings.put(accountId, in.readBoolean() ? readSettings(in) : null);
        }
        state.accounts().forEach(a -> {
            AlertSettings own = settings.get(a.accountId());
            a.alertRules(own == null ? state.defaultAlertRules() : new AlertRules(own, symbols));
        });
        int users = in.readCount(3 * Long.BYTES + Integer.BYTES + 3);
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
        AnswerCodec.read(in, state);
        int signals = in.readCount(2 * Long.BYTES + Integer.BYTES + 1);
        for (int i = 0; i < signals; i++) {
            long accountId = in.readLong();
            int symbolId = symbols.intern(in.readString());
            int low = in.readByte();
            long at = in.readLong();
            state.signalAccepted(((accountId << 20 | symbolId) << 6) | low, at);
        }
        in.expectEnd();
    }

    private static void writePending(RouterState state, CheckpointOutput out) throws IOException {
        List<PendingOrder> pending = state.pendingOrders().all();
        out.putInt(pending.size());
        for (PendingOrder o : pending) {
            // A fresh event per order (off the hot path): ring slots alone are started with RingEvent.begin.
            RingEvent scratch = new RingEvent();
            o.describe(scratch);
            out.putLong(o.orderId());
            out.putLong(o.accountId());
            out.putLong(o.userId());
            out.putString(state.symbols().name(o.symbolId()));
            // Enums by name: a pending order is one in a hundred alerts, and names survive a reordered enum.
            out.putString(scratch.action.name());
            out.putString(scratch.side.name());
            out.putString(scratch.orderType.name());
            out.putDouble(scratch.orderPrice);
            out.putDouble(o.lots());
            out.putString(scratch.stopLossMode.name());
            out.putDouble(scratch.stopLossValue);
            out.putString(scratch.takeProfitMode.name());
            out.putDouble(scratch.takeProfitValue);
            out.putString(scratch.strategy.toString());
        }
    }

    private static void readPending(RouterState state, CheckpointInput in) throws IOException {
        // The projection holds the pending rows too, but not the alerts' stop modes; the checkpoint replaces them.
        int count = in.readCount(3 * Long.BYTES + 7 * Integer.BYTES + 5 * Double.BYTES);
        for (int i = 0; i < count; i++) {
            RingEvent scratch = new RingEvent();
            scratch.orderId = in.readLong();
            scratch.accountId = in.readLong();
            scratch.userId = in.readLong();
            int symbolId = state.symbols().intern(in.readString());
            scratch.action = constant(Action.class, in.readString());
            scratch.side = constant(Side.class, in.readString());
            scratch.orderType = constant(OrderType.class, in.readString());
            scratch.orderPrice = in.readDouble();
            double lots = in.readDouble();
            scratch.stopLossMode = constant(StopMode.class, in.readString());
            scratch.stopLossValue = in.readDouble();
            scratch.takeProfitMode = constant(StopMode.class, in.readString());
            scratch.takeProfitValue = in.readDouble();
            scratch.strategy.set(in.readString());
            state.pendingOrders().add(scratch, symbolId, lots);
            state.observeOrderId(scratch.orderId);
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name) throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("a pending order's " + type.getSimpleName() + " " + name + " is not one this version knows", e);
        }
    }

    private static void writeSettings(CheckpointOutput out, AlertSettings s) throws IOException {
        out.putInt(s.pyramiding());
        out.putLong(s.duplicateWindow().toMillis());
        out.putLong(s.maxSignalAge().toMillis());
        out.putLong(s.idempotencyWindow().toMillis());
        out.putInt(s.symbolMap().size());
        for (Map.Entry<String, String> entry : s.symbolMap().entrySet()) {
            out.putString(entry.getKey());
            out.putString(entry.getValue());
        }
        out.putString(s.symbolSuffix());
    }

    private static AlertSettings readSettings(CheckpointInput in) throws IOException {
        int pyramiding = in.readInt();
        Duration duplicate = Duration.ofMillis(in.readLong());
        Duration maxAge = Duration.ofMillis(in.readLong());
        Duration idempotency = Duration.ofMillis(in.readLong());
        int entries = in.readCount(2 * Integer.BYTES);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            map.put(in.readString(), in.readString());
        }
        return new AlertSettings(pyramiding, duplicate, maxAge, idempotency, map, in.readString());
    }
}
