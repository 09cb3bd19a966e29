package io.tradeflow.bench.projection;

import io.tradeflow.bench.ProcCpu;
import io.tradeflow.bench.TempDirs;
import io.tradeflow.broker.paper.PaperBroker;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.PaperConfig;
import io.tradeflow.config.ProjectionConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.venue.Venues;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.projection.ProjectionWriter;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How much CPU the journal-to-PostgreSQL projection costs per event, through its public API only
 * ({@link Database}, {@link ProjectionWriter}), so the same class runs on any commit and old and
 * new code can be compared in alternating runs.
 *
 * <p>It journals N decided alerts through the real routing pipeline and paper broker (opens and
 * closes of ~20 symbols across ~100 accounts, a few close-alls and refused entries, half of them
 * tagged with a strategy), then projects them into a fresh embedded PostgreSQL and reports wall
 * time, events/s and, less sensitive to other load on a shared machine, the CPU seconds used by the
 * PostgreSQL server processes (postmaster and children, from /proc) and by the projection thread
 * (ThreadMXBean), each per 100k events.
 *
 * <p>Modes: {@code backlog} projects a journal written beforehand (catch-up: full batches);
 * {@code paced} appends alerts at {@code --rate} per second while the writer tails the journal,
 * as the ring does under a steady webhook load.
 *
 * <pre>
 * java $CHRONICLE_FLAGS -cp bench/target/benchmarks.jar io.tradeflow.bench.projection.ProjectionThroughput \
 *     [--events 200000] [--mode backlog|paced] [--rate 10000] [--batch-size 256] [--poll-ms 20] [--runs 1] [--label x] \\
 *     [--setup-sql "drop index ...; alter system set ...; select pg_reload_conf()"]
 * </pre>
 */
public final class ProjectionThroughput {
    private static final int ACCOUNTS = 100;
    private static final String[] SYMBOLS = {"EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCAD", "USDCHF", "NZDUSD",
        "EURGBP", "EURJPY", "GBPJPY", "XAUUSD", "XAGUSD", "US30", "NAS100", "SPX500", "GER40", "UK100", "BTCUSD",
        "ETHUSD", "USOIL"};
    private static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    private static final String THREAD_NAME = "tradeflow-projection";

    private ProjectionThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "# label=%s mode=%s events=%d rate=%d batch=%d poll=%dms runs=%d%n",
                o.label, o.mode, o.events, o.rate, o.batchSize, o.pollMillis, o.runs);
        Path journalDir = null;
        long last = 0;
        if (!o.paced()) {
            journalDir = TempDirs.create("tf-projection-journal");
            try (ChronicleJournal journal = new ChronicleJournal(journalDir, JournalSync.NONE)) {
                last = new AlertSource(journal).append(o.events, 0);
            }
        }
        try {
            for (int run = 1; run <= o.runs; run++) {
                System.out.println(runOnce(o, run, journalDir, last));
            }
        } finally {
            TempDirs.delete(journalDir);
        }
    }

    private static String runOnce(Options o, int run, Path backlogJournal, long backlogLast) throws IOException {
        Path dataDir = TempDirs.create("tf-projection-db");
        Path journalDir = backlogJournal != null ? backlogJournal : TempDirs.create("tf-projection-journal");
        ProjectionConfig config = new ProjectionConfig(o.batchSize, Duration.ofMillis(o.pollMillis));
        try (Database db = Database.start(new DatabaseConfig("", "", "", 2), dataDir);
             ChronicleJournal journal = new ChronicleJournal(journalDir, JournalSync.NONE)) {
            seedUsers(db);
            if (!o.setupSql.isEmpty()) {
                db.jdbi().useHandle(h -> h.createScript(o.setupSql).execute());
            }
            long postmaster = ProcCpu.postmasterPid(dataDir.resolve("pg")).orElseThrow();
            ProjectionWriter writer = new ProjectionWriter(db.jdbi(), journal, config);
            long pgBefore = ProcCpu.postgresTicks(postmaster);
            long start = System.nanoTime();
            writer.start();
            Thread projection = thread(THREAD_NAME);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long last = backlogLast;
            if (o.paced()) {
                last = new AlertSource(journal).append(o.events, o.rate);
            }
            if (!writer.awaitApplied(last, Duration.ofMinutes(20))) {
                throw new IllegalStateException("projection did not reach " + last + ": at " + writer.lastAppliedIndex());
            }
            long wallNanos = System.nanoTime() - start;
            long threadCpuNanos = threads.getThreadCpuTime(projection.getId());
            long pgTicks = ProcCpu.postgresTicks(postmaster) - pgBefore;
            writer.close();
            String digest = digest(db);
            double wall = wallNanos / 1e9;
            double pgCpu = (double) pgTicks / ProcCpu.TICKS_PER_SECOND;
            double threadCpu = threadCpuNanos / 1e9;
            double per100k = 100_000.0 / o.events;
            return String.format(Locale.ROOT, "RESULT label=%s mode=%s run=%d events=%d batch=%d wall_s=%.2f events_per_s=%.0f"
                            + " pg_cpu_s=%.2f thread_cpu_s=%.2f pg_cpu_s_per_100k=%.2f thread_cpu_s_per_100k=%.2f"
                            + " total_cpu_s_per_100k=%.2f rows_md5=%s",
                    o.label, o.mode, run, o.events, o.batchSize, wall, o.events / wall, pgCpu, threadCpu,
                    pgCpu * per100k, threadCpu * per100k, (pgCpu + threadCpu) * per100k, digest);
        } finally {
            if (backlogJournal == null) {
                TempDirs.delete(journalDir);
            }
            TempDirs.delete(dataDir);
        }
    }

    /**
     * A digest of every projected row (but the measured decision latency), so runs of different
     * code over the same journal can be checked to leave identical tables.
     */
    private static String digest(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("select md5(string_agg(t, E'\\n')) from ("
                + " (select 'i' || (journal_index, received_at, account_id, user_id, symbol, action, side, order_type,"
                + " quantity, price, client_id, outcome, http_status, reason, field, order_id, strategy)::text as t,"
                + " 1 as k, journal_index as o from intents)"
                + " union all (select 'o' || o::text, 2, o.id from orders o)"
                + " union all (select 'p' || p::text, 3, 0 from positions p)"
                + " union all (select 'd' || d::text, 4, 0 from daily_pnl d)"
                + " union all (select 'u' || id || ' ' || trades_count, 5, id from users)"
                + " order by k, o, t) rows").mapTo(String.class).one());
    }

    /** The users the accounts belong to, as the dashboard would have created them (trades_count is projected). */
    private static void seedUsers(Database db) {
        db.jdbi().useHandle(h -> {
            h.execute("insert into users (email) select 'bench' || g || '@example.com' from generate_series(1, "
                    + ACCOUNTS + ") g");
            h.execute("insert into broker_accounts (user_id, broker, label) select id, 'paper', 'bench' from users");
        });
    }

    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (name.equals(t.getName())) {
                return t;
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    /**
     * Alerts decided by the real pipeline with the paper broker and journaled, as the ring does:
     * per (account, symbol) an open (buy or sell) when flat, a close when open; about 1% close-all,
     * 2% refused (over the max quantity), half tagged with a strategy.
     */
    private static final class AlertSource {
        private final ChronicleJournal journal;
        private final RouterState state;
        private final RoutingPipeline pipeline;
        private final byte[][] keys = new byte[ACCOUNTS + 1][];
        private final boolean[][] open = new boolean[ACCOUNTS + 1][SYMBOLS.length];
        private final SplittableRandom random = new SplittableRandom(7);
        private final RingEvent e = new RingEvent();

        AlertSource(ChronicleJournal journal) {
            this.journal = journal;
            RiskLimits limits = new RiskLimits(1_000, 0, 50, "", ZoneOffset.UTC, List.of(), Integer.MAX_VALUE,
                    Duration.ofSeconds(1));
            AlertSettings alerts = new AlertSettings(100, Duration.ZERO, Duration.ZERO, Duration.ofHours(1), Map.of(), "");
            this.state = new RouterState(limits, alerts);
            Venues venues = new Venues(Map.of(BrokerKind.PAPER,
                    new PaperBroker(new PaperConfig(100_000, 0.0002, 0, 0.01))));
            this.pipeline = new RoutingPipeline(state, new TrialConfig(1_000_000_000, Duration.ofDays(36_500)), venues);
            for (int id = 1; id <= ACCOUNTS; id++) {
                state.putAccount(id, id, BrokerKind.PAPER, true, T0 - Duration.ofDays(1).toMillis(), true, 0);
                keys[id] = KeyHasher.sha256("tf_bench_key_" + id);
                state.keys().add(keys[id], id);
            }
        }

        /** Appends {@code n} alerts, {@code rate} per second (0 = as fast as possible); returns the last index. */
        long append(int n, int rate) {
            long start = System.nanoTime();
            long last = 0;
            List<Outcome> seen = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rate > 0) {
                    long due = start + (long) i * TimeUnit.SECONDS.toNanos(1) / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 100_000) {
                        LockSupport.parkNanos(wait);
                    }
                }
                last = next(i);
                if (i < 1_000 && !seen.contains(e.outcome)) {
                    seen.add(e.outcome);
                }
            }
            if (!seen.contains(Outcome.ACCEPTED)) {
                throw new IllegalStateException("no alert was accepted: " + seen + " " + e.reason);
            }
            return last;
        }

        private long next(int i) {
            int account = 1 + random.nextInt(ACCOUNTS);
            int symbol = random.nextInt(SYMBOLS.length);
            int dice = random.nextInt(100);
            e.reset();
            e.type = EventType.INTENT;
            e.receivedAtMillis = T0 + i / 10;
            e.receivedAtNanos = System.nanoTime();
            e.signalTimeMillis = e.receivedAtMillis;
            System.arraycopy(keys[account], 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            e.keyPresent = true;
            e.symbol.set(SYMBOLS[symbol]);
            e.price = 1.0 + symbol + random.nextDouble() / 100;
            if (dice == 0) {
                e.action = Action.CLOSE_ALL;
                e.symbol.set("");
                Arrays.fill(open[account], false);
            } else if (dice < 3) {
                e.action = Action.OPEN;
                e.side = Side.BUY;
                e.quantity = 1_000_000;
            } else if (open[account][symbol]) {
                e.action = Action.CLOSE;
                open[account][symbol] = false;
            } else {
                e.action = Action.OPEN;
                e.side = random.nextBoolean() ? Side.BUY : Side.SELL;
                e.quantity = 1 + random.nextInt(5);
                open[account][symbol] = true;
            }
            if (random.nextBoolean()) {
                e.strategy.set("strat-" + (account % 7));
            }
            if (random.nextInt(4) == 0) {
                e.clientId.set("tv-" + i);
            }
            pipeline.process(e);
            e.decisionNanos = System.nanoTime() - e.receivedAtNanos;
            return journal.append(e);
        }
    }

    private static final class Options {
        String label = "run";
        String mode = "backlog";
        int events = 200_000;
        int rate = 10_000;
        int batchSize = 256;
        int pollMillis = 20;
        int runs = 1;
        /** Run before projecting, for experiments (e.g. dropping an index, a server setting). */
        String setupSql = "";

        boolean paced() {
            return "paced".equals(mode);
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--label" -> o.label = value;
                    case "--mode" -> o.mode = value;
                    case "--events" -> o.events = Integer.parseInt(value);
                    case "--rate" -> o.rate = Integer.parseInt(value);
                    case "--batch-size" -> o.batchSize = Integer.parseInt(value);
                    case "--poll-ms" -> o.pollMillis = Integer.parseInt(value);
                    case "--runs" -> o.runs = Integer.parseInt(value);
                    case "--setup-sql" -> o.setupSql = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (!o.mode.equals("backlog") && !o.mode.equals("paced")) {
                throw new IllegalArgumentException("--mode backlog or paced");
            }
            return o;
        }
    }
}
