package io.tradeflow.bench.restart;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.ReplayCheckpoint;
import io.tradeflow.core.state.RouterState;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long a replay checkpoint of N idempotency answers takes to write and to read and apply, without the
 * server, the database or the history around it: the answers are shaped like {@link HistorySource}'s (100
 * accounts, keys {@code tv-<n>}, mostly accepted entries). Print-only, no assertion.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar io.tradeflow.bench.restart.CheckpointTiming write DIR 1250000
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar io.tradeflow.bench.restart.CheckpointTiming read DIR 3
 * </pre>
 *
 * Read in its own JVM, sized as the server is ({@code -Xmx1g}): the first read is what a start-up pays (cold
 * code), the later ones show the steady cost.
 */
public final class CheckpointTiming {
    private static final int ACCOUNTS = 100;
    private static final String[] SYMBOLS = {"EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US30", "BTCUSD"};
    private static final String[] REASONS = {"order submitted", "position closed, order submitted",
        "no open position to close", "max quantity exceeded"};
    private static final long WINDOW = Duration.ofHours(24).toMillis();

    private CheckpointTiming() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !List.of("write", "read").contains(args[0])) {
            System.err.println("usage: CheckpointTiming write <dir> <answers> | read <dir> <rounds>");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        if (args[0].equals("write")) {
            write(dir, n);
        } else {
            read(dir, n);
        }
    }

    private static RouterState accounts() {
        RiskLimits limits = new RiskLimits(1_000, 0, 1_000, "", ZoneOffset.UTC, List.of(), Integer.MAX_VALUE,
                Duration.ofSeconds(1));
        RouterState state = new RouterState(limits, new AlertSettings(100, Duration.ZERO, Duration.ZERO,
                Duration.ofHours(24), Map.of(), ""));
        for (int id = 1; id <= ACCOUNTS; id++) {
            state.putAccount(id, id, BrokerKind.PAPER, true, 0, true, 0);
        }
        return state;
    }

    private static void write(Path dir, int answers) {
        RouterState state = accounts();
        RingEvent e = new RingEvent();
        long t0 = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        for (int i = 0; i < answers; i++) {
            e.reset();
            e.accountId = 1 + i % ACCOUNTS;
            e.clientId.set("tv-" + i * 4);
            e.symbol.set(SYMBOLS[i % SYMBOLS.length]);
            e.bodyHash = i * 0x9E3779B97F4A7C15L;
            e.receivedAtMillis = t0 + i / 25;
            e.journalIndex = 89_296_665_051_135L + i * 4L;
            boolean refused = i % 50 == 0;
            e.outcome = refused ? Outcome.RISK_REJECTED : Outcome.ACCEPTED;
            e.reason = REASONS[i % REASONS.length];
            e.field = refused ? "quantity" : null;
            e.orderId = refused ? 0 : i + 1L;
            e.fillPrice = refused ? 0 : 1.0 + (i % 1000) / 1e4;
            e.filledQuantity = refused ? 0 : 1 + i % 5;
            e.positionQuantity = refused ? 0 : (i % 2 == 0 ? 1 : -1) * (1 + i % 5);
            state.idempotency().remember(e, WINDOW);
        }
        for (int round = 1; round <= 3; round++) {
            long started = System.nanoTime();
            Path file = ReplayCheckpoint.write(state, 1_000_000, dir);
            long took = System.nanoTime() - started;
            System.out.printf(Locale.ROOT, "write answers=%d round=%d ms=%.0f bytes=%d%n", state.idempotency().size(), round,
                    took / 1e6, size(file));
        }
    }

    /**
     * Wall time, and what depends less on what else the machine runs: this thread's CPU time, the whole process's
     * (with the collector's threads) and the bytes this thread allocated.
     */
    private static void read(Path dir, int rounds) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 1; round <= rounds; round++) {
            RouterState state = accounts();
            long started = System.nanoTime();
            ReplayCheckpoint.Loaded loaded = ReplayCheckpoint.read(dir).orElseThrow();
            long read = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            long processCpu = os.getProcessCpuTime();
            long allocated = threads.getCurrentThreadAllocatedBytes();
            loaded.applyTo(state);
            long applied = System.nanoTime();
            System.out.printf(Locale.ROOT, "read round=%d answers=%d read_and_check_ms=%.0f apply_ms=%.0f total_ms=%.0f"
                            + " apply_thread_cpu_ms=%.0f apply_process_cpu_ms=%.0f apply_allocated_mb=%.0f%n",
                    round, state.idempotency().size(), (read - started) / 1e6, (applied - read) / 1e6,
                    (applied - started) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6,
                    (os.getProcessCpuTime() - processCpu) / 1e6, (threads.getCurrentThreadAllocatedBytes() - allocated) / 1e6);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
