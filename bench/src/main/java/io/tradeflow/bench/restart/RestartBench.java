package io.tradeflow.bench.restart;

import io.tradeflow.bench.JvmFlags;
import io.tradeflow.bench.load.ServerProcess;
import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.ProjectionConfig;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.state.ReplayCheckpoint;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.projection.ProjectionWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long TradeFlow takes to restart after a long history (issue 19): for each history size it builds a
 * data directory holding N alerts — decided by the real pipeline and paper broker, journaled to Chronicle
 * Queue and projected into the embedded PostgreSQL by the public {@link ProjectionWriter}, as a server that
 * took them over HTTP would have left it, in minutes instead of hours — then starts the real server jar on
 * it ({@code tradeflow.jar start --config bench/bench.conf --port 0 --data DIR}, as the load harness does)
 * and measures:
 *
 * <ul>
 *   <li>launch → {@code GET /ready} answers 200 (wall, from this process);</li>
 *   <li>database up → ready: the server's own start after the embedded PostgreSQL answered (from its
 *       {@code start-up: … in N ms} log lines, one per phase, also printed);</li>
 *   <li>CPU seconds of the server and its PostgreSQL at ready (from /proc; less sensitive to a shared machine).</li>
 * </ul>
 *
 * <p>Each size is restarted {@code --restarts} times; every restart ends with a clean stop (SIGTERM), which
 * leaves the replay checkpoint. The history builder leaves one too ({@code --checkpoint false}: none, so the
 * first start reads the whole journal, as after a crash before any clean stop). {@code --legacy-queries}
 * also times, on the built database, the two aggregates start-up ran before V10_19_2 (the realised totals
 * summed over every order, the last prices through a join of orders and intents).
 *
 * <pre>
 * java $CHRONICLE_FLAGS -cp bench/target/benchmarks.jar io.tradeflow.bench.restart.RestartBench \
 *     --alerts 500000,2000000 [--restarts 2] [--checkpoint true] [--legacy-queries true] \
 *     [--jar server/target/tradeflow.jar] [--config bench/bench.conf] [--work-dir bench/results/tmp/restart] [--keep-data]
 * </pre>
 */
public final class RestartBench {
    private static final Pattern PHASE = Pattern.compile("start-up: (.+) in (\\d+) ms");
    private static final Pattern READY = Pattern.compile("TradeFlow ready on port \\d+ \\((\\d+) journal events replayed");
    private static final Pattern READ_AFTER = Pattern.compile("start-up: reading the journal after index (\\d+)");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private RestartBench() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(o.workDir);
        Path jar = o.workDir.resolve("tradeflow.jar");
        // A private copy: a rebuild during the run must not change what is measured.
        Files.copy(o.jar, jar, StandardCopyOption.REPLACE_EXISTING);
        for (int alerts : o.alerts) {
            Path dataDir = o.workDir.resolve("data-" + alerts);
            if (o.reuseData && Files.isDirectory(dataDir.resolve("pg"))) {
                System.out.printf(Locale.ROOT, "# reusing the history of %d alerts in %s%n", alerts, dataDir);
            } else {
                deleteTree(dataDir);
                long started = System.nanoTime();
                long last = build(dataDir, alerts, o.checkpoint);
                System.out.printf(Locale.ROOT, "# history of %d alerts built in %.1f s (journal index %d)%n", alerts,
                        (System.nanoTime() - started) / 1e9, last);
            }
            if (o.legacyQueries) {
                System.out.println(legacyQueries(dataDir, alerts));
            }
            for (int r = 1; r <= o.restarts; r++) {
                System.out.println(restart(o, jar, dataDir, alerts, r));
            }
            if (!o.keepData) {
                deleteTree(dataDir);
            }
        }
    }

    /** Journals and projects {@code alerts} alerts into a fresh data directory; returns the last journal index. */
    static long build(Path dataDir, int alerts, boolean checkpoint) throws Exception {
        Files.createDirectories(dataDir);
        try (Database db = Database.start(new DatabaseConfig("", "", "", 2), dataDir);
             ChronicleJournal journal = new ChronicleJournal(dataDir.resolve("journal"), JournalSync.NONE)) {
            HistorySource source = new HistorySource(journal);
            source.seed(db);
            ProjectionWriter writer = new ProjectionWriter(db.jdbi(), journal, new ProjectionConfig(1024, Duration.ofMillis(20)));
            writer.start();
            long last = source.append(alerts);
            if (!writer.awaitApplied(last, Duration.ofMinutes(60))) {
                throw new IllegalStateException("projection did not reach " + last + ": at " + writer.lastAppliedIndex());
            }
            writer.close();
            if (checkpoint) {
                // What a clean stop of the server that took these alerts would have left.
                ReplayCheckpoint.write(source.state(), last, dataDir.resolve("snapshots"));
            }
            return last;
        }
    }

    /** The aggregates start-up ran over the whole history before V10_19_2, timed on the built database. */
    private static String legacyQueries(Path dataDir, int alerts) {
        try (Database db = Database.start(new DatabaseConfig("", "", "", 2), dataDir)) {
            return db.jdbi().withHandle(h -> {
                long t0 = System.nanoTime();
                int totals = h.createQuery("select account_id, sum(realized_pnl) from orders group by account_id")
                        .mapToMap().list().size();
                long t1 = System.nanoTime();
                int prices = h.createQuery("select distinct on (o.symbol) o.symbol, i.price from orders o"
                                + " join intents i on i.journal_index = o.journal_index where i.price > 0"
                                + " order by o.symbol, o.id desc").mapToMap().list().size();
                long t2 = System.nanoTime();
                return String.format(Locale.ROOT, "LEGACY alerts=%d realized_sum_ms=%d (%d rows) last_price_join_ms=%d (%d rows)",
                        alerts, (t1 - t0) / 1_000_000, totals, (t2 - t1) / 1_000_000, prices);
            });
        }
    }

    private static String restart(Options o, Path jar, Path dataDir, int alerts, int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(o.serverJvmOptions);
        cmd.addAll(JvmFlags.CHRONICLE);
        cmd.addAll(List.of("-jar", jar.toString(), "start", "--config", o.config.toAbsolutePath().toString(),
                "--port", "0", "--data", dataDir.toString()));
        Path log = o.workDir.resolve("server-" + alerts + "-" + round + ".log");
        long launched = System.nanoTime();
        long readyNanos;
        long cpuTicks;
        try (ServerProcess server = ServerProcess.start("restart-" + alerts, cmd, Path.of("").toAbsolutePath(), log,
                dataDir.resolve("pg"))) {
            server.awaitReady(Duration.ofMinutes(10));
            readyNanos = System.nanoTime() - launched;
            io.tradeflow.bench.load.CpuTicks cpu = server.cpu();
            cpuTicks = cpu == null ? -1 : cpu.total();
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        long replayed = -1;
        long readAfter = -1;
        for (String line : Files.readAllLines(log)) {
            Matcher phase = PHASE.matcher(line);
            if (phase.find()) {
                phases.merge(phase.group(1), Long.parseLong(phase.group(2)), Long::sum);
            }
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                replayed = Long.parseLong(ready.group(1));
            }
            Matcher after = READ_AFTER.matcher(line);
            if (after.find()) {
                readAfter = Long.parseLong(after.group(1));
            }
        }
        // The server's phases after "database up" are its own start: state, journal, ring, services, HTTP.
        long afterDatabase = 0;
        boolean seenDatabase = false;
        for (Map.Entry<String, Long> p : phases.entrySet()) {
            if (seenDatabase && !p.getKey().startsWith("embedded PostgreSQL") && !p.getKey().startsWith("schema")
                    && !p.getKey().startsWith("state loaded from the projection at")) {
                afterDatabase += p.getValue();
            }
            seenDatabase |= p.getKey().equals("database up");
        }
        StringBuilder detail = new StringBuilder();
        phases.forEach((name, ms) -> detail.append(detail.length() == 0 ? "" : "; ").append(name).append('=').append(ms));
        return String.format(Locale.ROOT, "RESULT alerts=%d restart=%d launch_to_ready_ms=%d db_up_to_ready_ms=%d"
                        + " server_cpu_s_at_ready=%.2f journal_read_after=%d replayed=%d phases_ms=\"%s\"",
                alerts, round, readyNanos / 1_000_000, afterDatabase, (double) cpuTicks / CLOCK_TICKS_PER_SECOND,
                readAfter, replayed, detail);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static final class Options {
        List<Integer> alerts = List.of(500_000, 2_000_000);
        int restarts = 2;
        boolean checkpoint = true;
        boolean legacyQueries = true;
        boolean keepData;
        /** Start on the data directory a previous run kept instead of building it again (to compare jars). */
        boolean reuseData;
        Path jar = Path.of("server/target/tradeflow.jar");
        Path config = Path.of("bench/bench.conf");
        Path workDir = Path.of("bench/results/tmp/restart");
        List<String> serverJvmOptions = List.of("-Xms1g", "-Xmx1g");

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--keep-data")) {
                    o.keepData = true;
                    continue;
                }
                if (name.equals("--reuse-data")) {
                    o.reuseData = true;
                    o.keepData = true;
                    continue;
                }
                String value = args[++i];
                switch (name) {
                    case "--alerts" -> o.alerts = java.util.Arrays.stream(value.split(",")).map(String::trim)
                            .map(Integer::parseInt).toList();
                    case "--restarts" -> o.restarts = Integer.parseInt(value);
                    case "--checkpoint" -> o.checkpoint = Boolean.parseBoolean(value);
                    case "--legacy-queries" -> o.legacyQueries = Boolean.parseBoolean(value);
                    case "--jar" -> o.jar = Path.of(value);
                    case "--config" -> o.config = Path.of(value);
                    case "--work-dir" -> o.workDir = Path.of(value).toAbsolutePath();
                    case "--server-jvm-opts" -> o.serverJvmOptions = List.of(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            o.workDir = o.workDir.toAbsolutePath();
            return o;
        }
    }
}
