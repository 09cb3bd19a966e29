package io.tradeflow.bench.load;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.tradeflow.bench.JvmFlags;
import io.tradeflow.bench.TempDirs;
import io.tradeflow.bench.load.LoadResults.BurstResult;
import io.tradeflow.bench.load.LoadResults.CpuPerAlert;
import io.tradeflow.bench.load.LoadResults.DecisionLatency;
import io.tradeflow.bench.load.LoadResults.IdleCpu;
import io.tradeflow.bench.load.LoadResults.Latency;
import io.tradeflow.bench.load.LoadResults.Step;
import io.tradeflow.bench.load.LoadResults.TargetResult;
import io.tradeflow.bench.report.Machine;
import io.tradeflow.config.ConfigLoader;
import io.tradeflow.config.CpuSet;
import io.tradeflow.core.threads.CpuPinning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load harness (issue 7): starts the four targets as child processes, ramps an
 * open-loop constant rate up (×factor per step, interleaving the targets at each rate) until a
 * target's p99 passes the limit or more than 1% of its requests are not answered 200 — its Rmax is
 * the last step it passed — then measures every target at 25% of Rmax(A), in interleaved rounds,
 * with the server's CPU per alert (JVM and PostgreSQL, from /proc, catch-up included; issue 19).
 * Then, per target, a burst ({@link BurstRun}): many alerts on many connections in a couple of
 * seconds, every answer, the ack latency and the projection's catch-up. {@code --scenario} runs one
 * or both. Writes {@code load-<stamp>.json} and {@code load-<stamp>.md}; exits 1 when a target
 * answered more than 1% of requests with something other than 200 (limits not lifted, bad key,
 * ...) or any alert of a burst was not answered 200.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.tradeflow.bench.load.LoadHarness [--quick] [options]</pre>
 * Run from the repository root; see {@link LoadOptions#USAGE}.
 */
public final class LoadHarness {
    private static final String BUY = "{\"version\":\"unify.v1\",\"source\":\"tradingview\",\"intent\":{\"broker\":\"paper\","
            + "\"action\":\"open\",\"side\":\"buy\",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0854,"
            + "\"sl\":{\"mode\":\"price\",\"value\":1.0850},\"tp\":{\"mode\":\"rr\",\"value\":2.0}},\"user_context\":{},"
            + "\"ts\":\"2026-11-23T14:00:00Z\"}";
    private static final String SELL = BUY.replace("\"side\":\"buy\"", "\"side\":\"sell\"").replace("1.0850", "1.0858");

    private final LoadOptions options;
    /** The servers' {@code threads.router-cpus}, from the bench profile; A is given the same. */
    private final CpuSet routerCpus;
    private CpuSet clientCpus = CpuSet.NONE;
    /** Read before the harness pins itself: afterwards the JVM sees only the load generator's CPUs. */
    private final Machine machine = Machine.current();
    private final long startedNanos = System.nanoTime();
    private final Map<Target, ServerProcess> servers = new EnumMap<>(Target.class);
    private final Map<Target, LoadClient> clients = new EnumMap<>(Target.class);
    private final Map<Target, Integer> ports = new EnumMap<>(Target.class);
    private final List<String> problems = new ArrayList<>();
    private Path runDir;

    private LoadHarness(LoadOptions options) {
        this.options = options;
        this.routerCpus = ConfigLoader.load(Optional.of(options.config()), Map.of(), Map.of()).threads().routerCpus();
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new LoadHarness(options).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        runDir = options.workRoot().resolve(options.stamp()).toAbsolutePath();
        Files.createDirectories(runDir);
        Thread cleanup = new Thread(this::stopServers, "harness-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        EventLoopGroup clientLoop = LoadClient.newEventLoopGroup();
        try {
            startServers();
            // After the servers started (a child inherits its parent's CPUs): by default the load generator
            // keeps off the CPUs the servers reserve for their event loop and ring, like every other thread there.
            if (options.clientCpus().isEmpty()) {
                clientCpus = CpuPinning.reserve(routerCpus);
            } else {
                CpuSet allowed = CpuPinning.allowedCpus();
                if (!options.clientCpus().isSubsetOf(allowed)) {
                    throw new IllegalArgumentException("--client-cpus " + options.clientCpus()
                            + ": this process may only use CPUs " + allowed);
                }
                CpuPinning.moveAllThreads(options.clientCpus());
                clientCpus = options.clientCpus();
            }
            if (!clientCpus.isEmpty()) {
                log("servers' event loop and ring on CPUs %s (threads.router-cpus of %s); load generator on CPUs %s",
                        routerCpus.isEmpty() ? "(not pinned)" : routerCpus, options.config(), clientCpus);
            }
            for (Target t : options.targets()) {
                LoadClient client = new LoadClient(clientLoop.next(), "127.0.0.1", port(t), options.connections(),
                        requests(t));
                client.connect(10_000);
                clients.put(t, client);
            }
            LoadResults results = measure(clientLoop.next());
            Files.createDirectories(options.out());
            Path json = options.out().resolve("load-" + options.stamp() + ".json");
            Path md = options.out().resolve("load-" + options.stamp() + ".md");
            LoadReport.writeJson(results, json);
            String markdown = LoadReport.markdown(results);
            Files.writeString(md, markdown, StandardCharsets.UTF_8);
            System.out.println();
            System.out.println(markdown);
            System.out.println("Wrote " + json + " and " + md);
            return results.passed();
        } finally {
            clients.values().forEach(LoadClient::close);
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            stopServers();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            if (!options.keepData()) {
                TempDirs.delete(runDir);
            } else {
                System.out.println("Server data and logs kept in " + runDir);
            }
        }
    }

    private int port(Target t) {
        return ports.get(t);
    }

    /** Starts every target at once (they start in parallel), then waits for each to be ready. */
    private void startServers() throws Exception {
        Path jar = null;
        if (options.targets().stream().anyMatch(Target::isTradeFlow)) {
            if (!Files.isRegularFile(options.tradeflowJar())) {
                throw new IllegalStateException(options.tradeflowJar() + " is missing: build it with ./tradeflow build");
            }
            // A private copy: a rebuild of ingress-http during the run must not change what is measured.
            jar = runDir.resolve("tradeflow.jar");
            Files.copy(options.tradeflowJar(), jar, StandardCopyOption.REPLACE_EXISTING);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (Target t : options.targets()) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(options.serverJvmOptions());
            cmd.addAll(JvmFlags.CHRONICLE);
            cmd.addAll(t.systemProperties());
            if (t.isTradeFlow()) {
                cmd.addAll(List.of("-jar", jar.toString(), "start", "--config", options.config().toAbsolutePath().toString(),
                        "--port", "0", "--data", runDir.resolve("data-" + t).toString()));
            } else {
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BareNettyServer.class.getName(),
                        "--port", "0", "--router-cpus", routerCpus.toString()));
            }
            servers.put(t, ServerProcess.start(t.name(), cmd, Path.of("").toAbsolutePath(),
                    runDir.resolve("server-" + t + ".log"), t.isTradeFlow() ? runDir.resolve("data-" + t).resolve("pg") : null));
        }
        log("started %s; waiting until they are ready", options.targets());
        for (Target t : options.targets()) {
            ServerProcess server = servers.get(t);
            ports.put(t, server.awaitReady(Duration.ofSeconds(180)));
            if (t.isTradeFlow() && server.apiKey().isEmpty()) {
                throw new IllegalStateException("target " + t + " printed no DEMO_API_KEY (is its data directory fresh?);"
                        + " see " + server.log());
            }
            log("target %s (%s) ready on port %d, pid %d", t, t.label(), port(t), server.pid());
        }
    }

    /** Stops every server at once, then waits for each. */
    private void stopServers() {
        servers.values().forEach(ServerProcess::stop);
        servers.values().forEach(ServerProcess::close);
    }

    /** A buy and a sell in turn, so the account's position stays near flat however long the run. */
    private List<String> requests(Target t) {
        String key = servers.get(t).apiKey().orElse("tf_bare");
        String path = "/api/unify/v1/webhook" + (options.keyInQuery() ? "?key=" + key : "");
        List<String> requests = new ArrayList<>();
        for (String body : List.of(BUY, SELL)) {
            requests.add("POST " + path + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port(t) + "\r\n"
                    + "User-Agent: tradeflow-load\r\n"
                    + "Content-Type: application/json; charset=utf-8\r\n"
                    + (options.keyInQuery() ? "" : "Authorization: Bearer " + key + "\r\n")
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                    + "\r\n"
                    + body);
        }
        return requests;
    }

    /**
     * One phase against one target and the server CPU it cost: from just before the first send until
     * the server is idle again after it (the projection's catch-up, GC), then a /metrics read of the
     * projection's lag, outside the window, to tell whether that catch-up was complete.
     */
    private PhaseRun phase(Target t, double rate, Duration length, Duration warmup) throws Exception {
        LoadClient client = clients.get(t);
        client.awaitConnected(10_000);
        ServerProcess server = servers.get(t);
        CpuTicks before = server.cpu();
        long start = System.nanoTime();
        PhaseResult r = client.run(rate, length.toNanos(), warmup.toNanos(), options.drain().toNanos());
        // Work the target left behind (projection catching up, GC) must not land on the next target's phase.
        boolean settled = server.awaitIdle(options.settle(), 0.1);
        if (!settled) {
            log("target %s still busy %.1f s after its phase; going on", t, options.settle().toMillis() / 1000.0);
        }
        CpuTicks after = server.cpu();
        long window = System.nanoTime() - start;
        boolean projectionBehind = false;
        if (t.hasProjection()) {
            try {
                projectionBehind = !ProjectionProgress.fetch(port(t)).caughtUp();
            } catch (IOException | RuntimeException e) {
                problems.add("target " + t + ": /metrics could not be read for the projection lag (" + e.getMessage() + ")");
            }
        }
        return new PhaseRun(r, before == null || after == null ? null : after.minus(before), window, settled,
                projectionBehind);
    }

    /** What {@link #phase} measured: the load's result, the server CPU over the window (null without /proc). */
    private record PhaseRun(PhaseResult result, CpuTicks cpu, long windowNanos, boolean settled, boolean projectionBehind) {
        CpuPerAlert cpuPerAlert(IdleCpu idle) {
            return cpu == null ? null : CpuPerAlert.of(cpu, result.answered(), 1, windowNanos, idle, settled ? 0 : 1,
                    projectionBehind ? 1 : 0);
        }
    }

    /** The idle server's CPU over {@code --idle-seconds}: what every window pays whatever the load. */
    private IdleCpu idleCpu(Target t) throws InterruptedException {
        if (options.idleSample().isZero()) {
            return null;
        }
        ServerProcess server = servers.get(t);
        CpuTicks before = server.cpu();
        long start = System.nanoTime();
        Thread.sleep(options.idleSample().toMillis());
        CpuTicks after = server.cpu();
        return before == null || after == null ? null : IdleCpu.of(after.minus(before), System.nanoTime() - start);
    }

    private LoadResults measure(EventLoop loop) throws Exception {
        List<Target> targets = options.targets();
        // Warm-up: enough requests for the JIT to compile the servers' hot paths; not reported.
        Map<Target, IdleCpu> idle = new EnumMap<>(Target.class);
        for (Target t : targets) {
            PhaseResult w = phase(t, options.warmupRate(), options.targetWarmup().isZero() ? Duration.ofMillis(500)
                    : options.targetWarmup(), Duration.ZERO).result();
            log("warm-up %s: %d requests at %.0f req/s, p99 %.1f µs, statuses %s, failed %d", t, w.planned(),
                    options.warmupRate(), Latency.of(w.latency()).p99Micros(), w.statuses(), w.failed());
            if (w.ok() < w.planned() * 0.9) {
                problems.add(String.format(Locale.ROOT, "warm-up of %s: only %d of %d requests answered 200, so its JIT may "
                        + "not have compiled the hot path: what follows measures a partly cold server (a busy machine?)",
                        t, w.ok(), w.planned()));
            }
            if (options.scenario().ramp()) {
                IdleCpu i = idleCpu(t);
                if (i != null) {
                    idle.put(t, i);
                    log("idle %s: JVM %.1f ms/s, PostgreSQL %.1f ms/s of CPU", t, i.jvmMillisPerSecond(),
                            i.postgresMillisPerSecond());
                }
            }
        }
        RampOutcome ramp = options.scenario().ramp() ? rampAndMeasure(targets, idle) : RampOutcome.NONE;
        List<BurstResult> bursts = new ArrayList<>();
        boolean passed = ramp.passed();
        if (options.scenario().burst()) {
            for (Target t : options.burst().targets()) {
                BurstResult b = burst(t, loop);
                bursts.add(b);
                if (!b.allAnswered200()) {
                    passed = false;
                    problems.add(String.format(Locale.ROOT, "burst on target %s: %d answers other than 200 %s and %d "
                            + "unanswered, of %d alerts: every alert of a burst must be answered 200", t, b.non200(),
                            b.statuses(), b.unanswered(), b.alerts()));
                }
            }
        }
        return new LoadResults(options.stamp(), machine, settings(), ramp.measuredRate(), ramp.results(),
                LoadReport.ratios(ramp.results(), bursts), ramp.steps(), bursts, passed, problems);
    }

    /** What the ramp and the measurement at a fraction of Rmax(A) found; empty when only the burst ran. */
    private record RampOutcome(double measuredRate, List<TargetResult> results, List<Step> steps, boolean passed) {
        static final RampOutcome NONE = new RampOutcome(0, List.of(), List.of(), true);
    }

    private BurstResult burst(Target t, EventLoop loop) throws Exception {
        LoadOptions.Burst b = options.burst();
        log("burst %s: %d alerts over %.1f s on %d fresh connections", t, b.alerts(), b.duration().toMillis() / 1000.0,
                b.connections());
        BurstResult r = new BurstRun(t, servers.get(t), port(t), b, options.settle()).run(loop, requests(t));
        log("burst %s: answered %d (non-200 %d, unanswered %d), ack p50 %.1f ms p99 %.1f ms max %.1f ms, last ack %.2f s "
                        + "after the burst, projection %s%s, CPU %s µs/alert", t, r.answered(), r.non200(), r.unanswered(),
                r.ack().p50Micros() / 1000, r.ack().p99Micros() / 1000, r.ack().maxMicros() / 1000,
                r.lastAckAfterBurstSeconds(), r.projection(), r.caughtUpSeconds() == null ? ""
                        : String.format(Locale.ROOT, " %.2f s after the burst", r.caughtUpSeconds()),
                r.cpu() == null ? "n/a" : LoadReport.num(r.cpu().totalMicrosPerAlert()));
        return r;
    }

    private RampOutcome rampAndMeasure(List<Target> targets, Map<Target, IdleCpu> idle) throws Exception {
        // Ramp: all targets at the same rate, one after the other, until each fails a step.
        Map<Target, Double> rmax = new EnumMap<>(Target.class);
        Map<Target, String> stopped = new EnumMap<>(Target.class);
        List<Target> active = new ArrayList<>(targets);
        List<Step> steps = new ArrayList<>();
        targets.forEach(t -> rmax.put(t, 0.0));
        double measureCost = (options.measureDuration().toNanos() + options.drain().toNanos() / 4) / 1e9
                * options.measureRounds() * targets.size();
        for (int step = 0; !active.isEmpty(); step++) {
            double rate = StepVerdict.rateOfStep(options.startRate(), options.rateFactor(), step);
            double stepCost = (options.stepDuration().toNanos() / 1e9 + 0.3) * active.size();
            // The first step always runs: without it there is nothing to report.
            if (step > 0 && elapsedSeconds() + stepCost + measureCost > options.maxTotal().toNanos() / 1e9) {
                for (Target t : active) {
                    stopped.put(t, "time budget reached (--max-total-seconds) while still passing");
                }
                break;
            }
            for (Target t : new ArrayList<>(active)) {
                StepVerdict v = null;
                // A single hiccup (GC, another process on a shared machine) should not end a target's ramp.
                for (int attempt = 0; attempt <= options.retries() && (v == null || !v.passed()); attempt++) {
                    PhaseRun run = phase(t, rate, options.stepDuration(), options.stepWarmup());
                    PhaseResult r = run.result();
                    v = StepVerdict.judge(r, options.p99LimitNanos(), options.maxErrorRate());
                    Latency l = Latency.of(r.latency());
                    CpuPerAlert cpu = run.cpuPerAlert(idle.get(t));
                    steps.add(new Step(t.name(), step, attempt, rate, r.planned(), r.answered(), r.failed(), r.statuses(),
                            round4(r.errorRate()), Math.round(r.achievedRate()), l, v.passed(), v.reason(), cpu));
                    log("step %d%s %-2s %8.0f req/s  p50 %8.1f µs  p99 %8.1f µs  max %9.1f µs  not-200 %6.2f%%  CPU %s µs/alert  %s",
                            step, attempt > 0 ? "r" : " ", t, rate, l.p50Micros(), l.p99Micros(), l.maxMicros(),
                            r.errorRate() * 100, cpu == null ? "n/a" : LoadReport.num(cpu.totalMicrosPerAlert()), v.reason());
                }
                if (v.passed()) {
                    rmax.put(t, rate);
                } else {
                    stopped.put(t, "at " + LoadReport.rate(rate) + " req/s: " + v.reason());
                    active.remove(t);
                }
            }
        }

        // Latency at a fraction of Rmax(A), or at the rate given, interleaved rounds merged per target.
        double base = targets.contains(Target.A) ? rmax.get(Target.A)
                : targets.stream().mapToDouble(rmax::get).max().orElse(0);
        boolean fixed = options.measureRate() > 0;
        double measuredRate = fixed ? options.measureRate() : Math.round(base * options.measureFraction());
        if (!fixed && !targets.contains(Target.A)) {
            problems.add("target A was not run: measured at " + options.measureFraction() + " of the highest Rmax instead");
        }
        if (measuredRate == 0) {
            problems.add("no Rmax to measure at: the first step already failed");
        }
        Map<Target, PhaseResult> at = new EnumMap<>(Target.class);
        Map<Target, CpuWindows> cpu = new EnumMap<>(Target.class);
        for (Target t : targets) {
            at.put(t, new PhaseResult(measuredRate, 0, 0, 0, Map.of(), PhaseResult.newHistogram(), 0, Long.MAX_VALUE));
            cpu.put(t, new CpuWindows());
        }
        Map<Target, DecisionLatencyScrape> before = scrapeDecisionLatency(targets);
        for (int round = 0; round < options.measureRounds() && measuredRate > 0; round++) {
            for (Target t : targets) {
                PhaseRun run = phase(t, measuredRate, options.measureDuration(), options.stepWarmup());
                at.merge(t, run.result(), PhaseResult::plus);
                cpu.get(t).add(run);
            }
        }

        Map<Target, DecisionLatencyScrape> after = scrapeDecisionLatency(targets);
        List<TargetResult> results = new ArrayList<>();
        boolean passed = base > 0;
        for (Target t : targets) {
            PhaseResult r = at.get(t);
            Latency l = Latency.of(r.latency());
            boolean over = rmax.get(t) < measuredRate;
            // Still in the ramp when it stopped: the budget ran out before this target failed a step.
            boolean capped = active.contains(t);
            CpuPerAlert c = cpu.get(t).perAlert(idle.get(t));
            results.add(new TargetResult(t.name(), t.label(), t.description(), rmax.get(t), capped,
                    stopped.getOrDefault(t, ""), l, r.planned(),
                    r.answered(), r.failed(), r.statuses(), round4(r.non200Rate()), over, decisionLatency(t, before, after),
                    c, idle.get(t)));
            log("at %.0f req/s %-2s p50 %8.1f µs  p99 %8.1f µs  p99.9 %8.1f µs  max %9.1f µs  statuses %s failed %d  "
                    + "CPU %s µs/alert (JVM %s, PostgreSQL %s)", measuredRate, t, l.p50Micros(), l.p99Micros(), l.p999Micros(),
                    l.maxMicros(), r.statuses(), r.failed(), c == null ? "n/a" : LoadReport.num(c.totalMicrosPerAlert()),
                    c == null ? "n/a" : LoadReport.num(c.jvmMicrosPerAlert()),
                    c == null ? "n/a" : LoadReport.num(c.postgresMicrosPerAlert()));
            if (c != null && c.unsettledWindows() + c.projectionBehindWindows() > 0) {
                problems.add(String.format(Locale.ROOT, "target %s: %d of %d CPU windows ended still busy after "
                        + "--settle-seconds, %d with the projection behind: its CPU per alert misses part of the catch-up",
                        t, c.unsettledWindows(), c.windows(), c.projectionBehindWindows()));
            }
            if (r.non200Rate() > options.maxErrorRate()) {
                passed = false;
                problems.add(String.format(Locale.ROOT, "target %s answered %.2f%% of requests with a status other than 200 "
                        + "%s: the bench profile must let every alert through (see its server log)", t,
                        r.non200Rate() * 100, r.statuses()));
            }
            if (rmax.get(t) == 0 && !capped) {
                problems.add("target " + t + " failed the first step (" + stopped.get(t) + "); lower --start-rate");
            }
            if (t == Target.A && capped) {
                problems.add("Rmax(A) is a lower bound (the time budget ended the ramp): Rmax ratios against it are upper bounds");
            }
            if (over) {
                problems.add("target " + t + " is measured above its own Rmax, so its latency there is mostly queueing");
            }
        }
        return new RampOutcome(measuredRate, results, steps, passed);
    }

    /** The CPU windows of one target's measurement rounds, summed. */
    private static final class CpuWindows {
        private CpuTicks ticks = CpuTicks.ZERO;
        private long alerts;
        private long nanos;
        private int windows;
        private int unsettled;
        private int projectionBehind;
        private boolean missing;

        void add(PhaseRun run) {
            if (run.cpu() == null) {
                missing = true;
                return;
            }
            ticks = ticks.plus(run.cpu());
            alerts += run.result().answered();
            nanos += run.windowNanos();
            windows++;
            unsettled += run.settled() ? 0 : 1;
            projectionBehind += run.projectionBehind() ? 1 : 0;
        }

        CpuPerAlert perAlert(IdleCpu idle) {
            return missing || windows == 0 ? null : CpuPerAlert.of(ticks, alerts, windows, nanos, idle, unsettled,
                    projectionBehind);
        }
    }

    /** Each TradeFlow target's /metrics latency buckets now; a target whose scrape fails is left out (and named). */
    private Map<Target, DecisionLatencyScrape> scrapeDecisionLatency(List<Target> targets) throws InterruptedException {
        Map<Target, DecisionLatencyScrape> scrapes = new EnumMap<>(Target.class);
        for (Target t : targets) {
            if (t.isTradeFlow()) {
                try {
                    scrapes.put(t, DecisionLatencyScrape.fetch(port(t)));
                } catch (IOException | RuntimeException e) {
                    problems.add("target " + t + ": /metrics could not be read (" + e.getMessage() + ")");
                }
            }
        }
        return scrapes;
    }

    private static DecisionLatency decisionLatency(Target t, Map<Target, DecisionLatencyScrape> before,
                                                   Map<Target, DecisionLatencyScrape> after) {
        if (!before.containsKey(t) || !after.containsKey(t)) {
            return null;
        }
        return DecisionLatency.of(after.get(t).since(before.get(t)));
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("connections", options.connections());
        s.put("startRate", options.startRate());
        s.put("rateFactor", options.rateFactor());
        s.put("warmupSeconds", options.targetWarmup().toMillis() / 1000.0);
        s.put("warmupRate", options.warmupRate());
        s.put("stepSeconds", options.stepDuration().toMillis() / 1000.0);
        s.put("stepWarmupSeconds", options.stepWarmup().toMillis() / 1000.0);
        s.put("measureSeconds", options.measureDuration().toMillis() / 1000.0);
        s.put("measureRounds", options.measureRounds());
        s.put("settleSeconds", options.settle().toMillis() / 1000.0);
        s.put("retries", options.retries());
        s.put("measureFraction", options.measureFraction());
        s.put("measureRate", options.measureRate());
        s.put("p99LimitMillis", options.p99LimitMillis());
        s.put("maxErrorRate", options.maxErrorRate());
        s.put("keyIn", options.keyInQuery() ? "query" : "header");
        s.put("serverJvmOptions", String.join(" ", options.serverJvmOptions()));
        s.put("routerCpus", routerCpus.isEmpty() ? "not pinned" : routerCpus.toString());
        s.put("loadGeneratorCpus", clientCpus.isEmpty() ? "not pinned" : clientCpus.toString());
        s.put("scenario", options.scenario().name().toLowerCase(Locale.ROOT));
        s.put("idleSeconds", options.idleSample().toMillis() / 1000.0);
        if (options.scenario().burst()) {
            LoadOptions.Burst b = options.burst();
            s.put("burstAlerts", b.alerts());
            s.put("burstConnections", b.connections());
            s.put("burstSeconds", b.duration().toMillis() / 1000.0);
            s.put("burstTargets", b.targets().toString());
        }
        s.put("cpuWindow", "from a phase's first planned send until the server is idle again (projection caught up)");
        s.put("quick", options.quick());
        return s;
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[%6.1fs] " + format + "%n", prepend(elapsedSeconds(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
