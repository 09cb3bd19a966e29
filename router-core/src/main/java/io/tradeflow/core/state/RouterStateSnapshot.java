package io.tradeflow.core.state;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.RingEvent;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Snapshots of {@link RouterState} in {@code <data dir>/snapshots}, so a restart replays only the
 * journal after the snapshot's index instead of all of it. A snapshot is written by the ring
 * thread (its state's only writer) at an event boundary, to a temporary file that is forced to
 * disk and then renamed, so a crash leaves either the old snapshot or the new one, never half of
 * one; a CRC at the end catches anything else, and reading falls back to the previous snapshot.
 *
 * <p>Holds everything the stages decide from, including what a journal replay does not rebuild
 * (rate-limit windows, last prices), so routing after snapshot + replay continues exactly.
 *
 * <p>Known gap: a snapshot does not hold positions' stop loss, take profit and trailing distance,
 * nor the paper accounts' pending limit/stop orders. Snapshots are not wired into start-up: the
 * server loads the database projection and applies a {@link ReplayCheckpoint} (what the projection
 * does not hold) before reading the journal after it.
 */
public final class RouterStateSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(RouterStateSnapshot.class);
    private static final int MAGIC = 0x54465331;   // "TFS1"
    private static final int FORMAT_VERSION = 1;
    private static final String PREFIX = "state-";
    private static final String SUFFIX = ".snap";
    /** Older snapshots kept besides the newest, in case the newest is unreadable. */
    private static final int KEEP = 2;

    /** A snapshot read back: the state and the journal index it includes (replay resumes after it). */
    public record Loaded(RouterState state, long journalIndex) {
    }

    private RouterStateSnapshot() {
    }

    /** Writes the state as of {@code journalIndex} into {@code dir} and prunes older snapshots. */
    public static Path write(RouterState state, long journalIndex, Path dir) {
        try {
            Files.createDirectories(dir);
            byte[] bytes = encode(state, journalIndex);
            Path target = dir.resolve(String.format("%s%020d%s", PREFIX, journalIndex, SUFFIX));
            Path temp = dir.resolve(target.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune(dir);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a state snapshot in " + dir, e);
        }
    }

    /** The newest readable snapshot in {@code dir}, or empty when there is none. */
    public static Optional<Loaded> readLatest(Path dir, RiskLimits defaultLimits) {
        for (Path file : newestFirst(dir)) {
            try {
                return Optional.of(decode(Files.readAllBytes(file), defaultLimits));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable snapshot {}: {}", file.getFileName(), e.toString());
            }
        }
        return Optional.empty();
    }

    private static List<Path> newestFirst(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
            }).sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list snapshots in " + dir, e);
        }
    }

    private static void prune(Path dir) throws IOException {
        List<Path> files = newestFirst(dir);
        for (int i = KEEP + 1; i < files.size(); i++) {
            Files.deleteIfExists(files.get(i));
        }
    }

    static byte[] encode(RouterState state, long journalIndex) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeLong(journalIndex);
        out.writeLong(state.lastOrderId());

        List<AccountState> accounts = new ArrayList<>();
        state.accounts().forEach(accounts::add);
        accounts.sort(Comparator.comparingLong(AccountState::accountId));
        out.writeInt(accounts.size());
        for (AccountState a : accounts) {
            UserState user = a.user();
            out.writeLong(a.accountId());
            out.writeLong(user.userId());
            out.writeUTF(a.broker().name());
            out.writeBoolean(a.enabled());
            out.writeLong(user.signupAtMillis());
            out.writeBoolean(user.onTrial());
            out.writeInt(user.tradesUsed());
            out.writeBoolean(user.emergencyStop());
            boolean ownRules = a.rules() != state.defaultRules();
            out.writeBoolean(ownRules);
            if (ownRules) {
                writeLimits(out, a.rules().limits());
            }
            out.writeLong(a.tradingDay());
            out.writeDouble(a.dayRealizedPnl());
            out.writeLong(a.rateWindowStart());
            out.writeInt(a.rateWindowCount());
        }

        List<byte[]> hashes = new ArrayList<>();
        List<Long> keyAccounts = new ArrayList<>();
        state.keys().forEach((hash, accountId) -> {
            hashes.add(hash.clone());
            keyAccounts.add(accountId);
        });
        out.writeInt(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            out.write(hashes.get(i), 0, RingEvent.KEY_HASH_LENGTH);
            out.writeLong(keyAccounts.get(i));
        }

        SymbolTable symbols = state.symbols();
        out.writeInt(symbols.size());
        for (int id = 0; id < symbols.size(); id++) {
            out.writeUTF(symbols.name(id));
            out.writeDouble(symbols.lastPrice(id));
        }

        List<Position> open = new ArrayList<>();
        state.positions().forEach(p -> {
            if (!p.isFlat()) {
                open.add(p);
            }
        });
        out.writeInt(open.size());
        for (Position p : open) {
            out.writeLong(p.accountId());
            out.writeUTF(symbols.name(p.symbolId()));
            out.writeDouble(p.quantity());
            out.writeDouble(p.averagePrice());
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    static Loaded decode(byte[] bytes, RiskLimits defaultLimits) throws IOException {
        if (bytes.length < 8 + Long.BYTES) {
            throw new IOException("snapshot too short");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - Long.BYTES);
        long stored = ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong();
        if (crc.getValue() != stored) {
            throw new IOException("snapshot checksum mismatch");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - Long.BYTES));
        if (in.readInt() != MAGIC || in.readInt() != FORMAT_VERSION) {
            throw new IOException("not a version " + FORMAT_VERSION + " TradeFlow snapshot");
        }
        RouterState state = new RouterState(defaultLimits);
        long journalIndex = in.readLong();
        state.observeOrderId(in.readLong());

        int accounts = in.readInt();
        for (int i = 0; i < accounts; i++) {
            long accountId = in.readLong();
            long userId = in.readLong();
            BrokerKind broker = BrokerKind.valueOf(in.readUTF());
            boolean enabled = in.readBoolean();
            long signupAt = in.readLong();
            boolean trial = in.readBoolean();
            int tradesUsed = in.readInt();
            boolean emergencyStop = in.readBoolean();
            AccountState account = state.putAccount(accountId, userId, broker, enabled, signupAt, trial, tradesUsed);
            state.restoreTradesUsed(userId, tradesUsed);
            state.emergencyStop(userId, emergencyStop);
            if (in.readBoolean()) {
                state.riskLimits(accountId, readLimits(in));
            }
            account.restoreWindows(in.readLong(), in.readDouble(), in.readLong(), in.readInt());
        }

        int keys = in.readInt();
        byte[] hash = new byte[RingEvent.KEY_HASH_LENGTH];
        for (int i = 0; i < keys; i++) {
            in.readFully(hash);
            state.keys().add(hash, in.readLong());
        }

        int symbolCount = in.readInt();
        for (int i = 0; i < symbolCount; i++) {
            int id = state.symbols().intern(in.readUTF());
            state.symbols().lastPrice(id, in.readDouble());
        }

        int positions = in.readInt();
        for (int i = 0; i < positions; i++) {
            AccountState account = state.account(in.readLong());
            int symbolId = state.symbols().intern(in.readUTF());
            double quantity = in.readDouble();
            double average = in.readDouble();
            if (account == null) {
                throw new IOException("snapshot position of an unknown account");
            }
            state.positions().restore(account, symbolId, quantity, average);
        }
        if (in.available() != 0) {
            throw new IOException("unexpected bytes after the snapshot");
        }
        return new Loaded(state, journalIndex);
    }

    private static void writeLimits(DataOutputStream out, RiskLimits r) throws IOException {
        out.writeDouble(r.maxQuantity());
        out.writeDouble(r.maxDailyLoss());
        out.writeInt(r.maxOpenPositions());
        out.writeUTF(r.tradingHours());
        out.writeUTF(r.timeZone().getId());
        out.writeInt(r.allowedSymbols().size());
        for (String symbol : r.allowedSymbols()) {
            out.writeUTF(symbol);
        }
        out.writeInt(r.rateLimitPerWindow());
        out.writeLong(r.rateLimitWindow().toMillis());
    }

    private static RiskLimits readLimits(DataInputStream in) throws IOException {
        double maxQuantity = in.readDouble();
        double maxDailyLoss = in.readDouble();
        int maxOpenPositions = in.readInt();
        String tradingHours = in.readUTF();
        ZoneId zone = ZoneId.of(in.readUTF());
        String[] symbols = new String[in.readInt()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = in.readUTF();
        }
        int perWindow = in.readInt();
        Duration window = Duration.ofMillis(in.readLong());
        return new RiskLimits(maxQuantity, maxDailyLoss, maxOpenPositions, tradingHours, zone, Arrays.asList(symbols),
                perWindow, window);
    }
}
