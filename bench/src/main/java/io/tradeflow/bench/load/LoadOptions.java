package io.tradeflow.bench.load;

import io.tradeflow.config.CpuSet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The harness's settings, from the command line ({@code --name value}); {@code --quick} starts
 * from a smoke-run preset that later flags may still override. Durations take plain seconds
 * ({@code 2.5}).
 */
public record LoadOptions(
        List<Target> targets,
        int connections,
        double startRate,
        double rateFactor,
        Duration stepDuration,
        Duration stepWarmup,
        Duration targetWarmup,
        double warmupRate,
        Duration measureDuration,
        int measureRounds,
        Duration drain,
        Duration settle,
        int retries,
        Duration maxTotal,
        double p99LimitMillis,
        double maxErrorRate,
        double measureFraction,
        double measureRate,
        Path tradeflowJar,
        Path config,
        Path out,
        Path workRoot,
        String stamp,
        List<String> serverJvmOptions,
        boolean keyInQuery,
        boolean keepData,
        boolean quick,
        CpuSet clientCpus,
        Scenario scenario,
        Duration idleSample,
        Burst burst) {

    /** What a run does: the ramp and its measurement, the burst, or both (ramp first). */
    public enum Scenario {
        RAMP, BURST, ALL;

        boolean ramp() {
            return this != BURST;
        }

        boolean burst() {
            return this != RAMP;
        }
    }

    /**
     * The burst scenario: {@code alerts} planned evenly over {@code duration} on {@code connections}
     * fresh keep-alive connections per target, then nothing; answers awaited up to {@code drain}
     * after the last planned send, the projection up to {@code catchUpLimit} after the burst.
     */
    public record Burst(List<Target> targets, int alerts, int connections, Duration duration, Duration drain,
                        Duration catchUpLimit) {
        public double rate() {
            return alerts / (duration.toNanos() / 1e9);
        }
    }

    static final String USAGE = """
            Usage: LoadHarness [--quick] [--name value ...]
              --targets A,B,C,D        which targets to load (A bare Netty, B journal off, C journal on, D per-write)
              --connections N          keep-alive connections per target (default 32)
              --start-rate R           first step, requests/s (default 200)
              --rate-factor F          rate multiplier per step (default 1.5)
              --step-seconds S         length of each step (default 3)
              --step-warmup-seconds S  start of each step not recorded (default 0.5)
              --warmup-seconds S       per-target warm-up before the ramp, not reported (default 10)
              --warmup-rate R          requests/s during that warm-up (default 2000)
              --measure-seconds S      length of each measurement at 25% of Rmax(A) (default 5)
              --measure-rounds N       interleaved measurement rounds, merged (default 2)
              --drain-seconds S        wait for late answers after a phase (default 2)
              --settle-seconds S       after a phase, wait up to S for that server to go idle (default 10)
              --retries N              re-run a failed step up to N times before a target stops (default 1)
              --max-total-seconds S    budget for the whole run, server start included; the ramp stops early
                                       to respect it, after at least one step (default 600)
              --p99-limit-ms MS        a step passes with p99 at or below this (default 5)
              --max-error-rate X       ... and at most this share of requests not answered 200 (default 0.01)
              --measure-fraction X     measure at X × Rmax(A) (default 0.25)
              --measure-rate R         measure at R req/s instead, whatever Rmax(A) was: CPU per alert then compares
                                       across runs (Rmax(A) varies from run to run on a shared virtual machine)
              --tradeflow-jar PATH     (default server/target/tradeflow.jar)
              --config PATH            bench profile (default bench/bench.conf)
              --out DIR                results directory (default bench/results; --quick: bench/results/quick)
              --work-dir DIR           scratch for server data and logs (default bench/results/tmp)
              --stamp S                name part of the result files (default: UTC date and time)
              --server-jvm-opts "..."  JVM options for every server (default "-Xms1g -Xmx1g")
              --key-in query|header    how the API key is sent (default query, as TradingView does)
              --client-cpus LIST       CPUs for the load generator (default: those the bench profile's
                                       threads.router-cpus leaves; e.g. 1 to share the router's CPU)
              --keep-data              keep server data directories and logs
              --idle-seconds S         per target, CPU of the idle server sampled for S after warm-up (default 2)
              --scenario ramp|burst|all  the ramp and its measurement, the burst, or both, ramp first (default all)
              --burst N                alerts per burst (default 50000)
              --burst-connections N    fresh keep-alive connections per target for the burst (default 1000)
              --burst-seconds S        the burst's alerts are planned evenly over S, then nothing (default 2)
              --burst-targets LIST     targets that get a burst (default: all of --targets)
              --burst-drain-seconds S  wait for the burst's answers up to S after its last planned send (default 30)
              --burst-catchup-seconds S  wait up to S after the burst for the projection to catch up (default 60)
            """;

    public static LoadOptions parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        boolean quick = false;
        boolean keepData = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--keep-data")) {
                keepData = true;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                flags.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + a + "\n" + USAGE);
            }
        }
        Map<String, String> v = new LinkedHashMap<>(quick ? quickPreset() : Map.of());
        v.putAll(flags);
        String stamp = v.getOrDefault("stamp",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'")));
        LoadOptions o = new LoadOptions(
                targets(v.getOrDefault("targets", "A,B,C,D")),
                integer(v, "connections", 32),
                number(v, "start-rate", 200),
                number(v, "rate-factor", 1.5),
                seconds(v, "step-seconds", 3),
                seconds(v, "step-warmup-seconds", 0.5),
                seconds(v, "warmup-seconds", 10),
                number(v, "warmup-rate", 2000),
                seconds(v, "measure-seconds", 5),
                integer(v, "measure-rounds", 2),
                seconds(v, "drain-seconds", 2),
                seconds(v, "settle-seconds", 10),
                integer(v, "retries", 1),
                seconds(v, "max-total-seconds", 600),
                number(v, "p99-limit-ms", 5),
                number(v, "max-error-rate", 0.01),
                number(v, "measure-fraction", 0.25),
                number(v, "measure-rate", 0),
                Path.of(v.getOrDefault("tradeflow-jar", "server/target/tradeflow.jar")),
                Path.of(v.getOrDefault("config", "bench/bench.conf")),
                Path.of(v.getOrDefault("out", quick ? "bench/results/quick" : "bench/results")),
                Path.of(v.getOrDefault("work-dir", "bench/results/tmp")),
                stamp,
                List.of(v.getOrDefault("server-jvm-opts", "-Xms1g -Xmx1g").trim().split("\\s+")),
                !"header".equals(v.getOrDefault("key-in", "query")),
                keepData,
                quick,
                CpuSet.parse(v.getOrDefault("client-cpus", "")).orElseThrow(() ->
                        new IllegalArgumentException("--client-cpus must be a CPU list such as 0, 1 or 0-1")),
                Scenario.valueOf(v.getOrDefault("scenario", "all").trim().toUpperCase(Locale.ROOT)),
                seconds(v, "idle-seconds", 2),
                new Burst(targets(v.getOrDefault("burst-targets", v.getOrDefault("targets", "A,B,C,D"))),
                        integer(v, "burst", 50_000), integer(v, "burst-connections", 1_000), seconds(v, "burst-seconds", 2),
                        seconds(v, "burst-drain-seconds", 30), seconds(v, "burst-catchup-seconds", 60)));
        o.validate(flags);
        return o;
    }

    /** A smoke run: short steps, steep ramp, one short measurement; well under a minute of load. */
    static Map<String, String> quickPreset() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("connections", "16");
        q.put("start-rate", "1000");
        q.put("rate-factor", "2");
        q.put("step-seconds", "1");
        q.put("step-warmup-seconds", "0.25");
        q.put("warmup-seconds", "1.5");
        q.put("measure-seconds", "1.5");
        q.put("measure-rounds", "1");
        q.put("drain-seconds", "1");
        q.put("settle-seconds", "2");
        q.put("retries", "0");
        q.put("max-total-seconds", "50");
        q.put("idle-seconds", "1");
        // A fifth of the real burst, at the same rate per connection.
        q.put("burst", "10000");
        q.put("burst-connections", "200");
        q.put("burst-seconds", "2");
        q.put("burst-drain-seconds", "10");
        q.put("burst-catchup-seconds", "20");
        return q;
    }

    private void validate(Map<String, String> given) {
        Set<String> known = Set.of("targets", "connections", "start-rate", "rate-factor", "step-seconds",
                "step-warmup-seconds", "warmup-seconds", "warmup-rate", "measure-seconds", "measure-rounds", "drain-seconds",
                "settle-seconds", "retries",
                "max-total-seconds", "p99-limit-ms", "max-error-rate", "measure-fraction", "measure-rate",
                "tradeflow-jar", "config",
                "out", "work-dir", "stamp", "server-jvm-opts", "key-in", "client-cpus", "scenario", "idle-seconds", "burst",
                "burst-connections", "burst-seconds", "burst-targets", "burst-drain-seconds", "burst-catchup-seconds");
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
            }
        }
        require(connections > 0, "--connections must be > 0");
        require(retries >= 0, "--retries must be >= 0");
        require(startRate > 0 && warmupRate > 0, "--start-rate and --warmup-rate must be > 0");
        require(rateFactor > 1, "--rate-factor must be > 1");
        require(stepWarmup.compareTo(stepDuration) < 0, "--step-warmup-seconds must be shorter than --step-seconds");
        require(!measureDuration.isZero() && measureRounds > 0, "--measure-seconds and --measure-rounds must be > 0");
        require(measureFraction > 0 && measureFraction <= 1, "--measure-fraction must be in (0, 1]");
        require(measureRate >= 0, "--measure-rate must be >= 0 (0: a fraction of Rmax(A))");
        require(maxErrorRate >= 0 && maxErrorRate < 1, "--max-error-rate must be in [0, 1)");
        require(burst.alerts() > 0 && burst.connections() > 0 && !burst.duration().isZero(),
                "--burst, --burst-connections and --burst-seconds must be > 0");
        require(targets.containsAll(burst.targets()), "--burst-targets must be among --targets");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static List<Target> targets(String list) {
        List<Target> targets = new ArrayList<>();
        for (String name : list.split(",")) {
            Target t = Target.valueOf(name.trim().toUpperCase(Locale.ROOT));
            if (!targets.contains(t)) {
                targets.add(t);
            }
        }
        return List.copyOf(targets);
    }

    private static int integer(Map<String, String> v, String key, int fallback) {
        return v.containsKey(key) ? Integer.parseInt(v.get(key)) : fallback;
    }

    private static double number(Map<String, String> v, String key, double fallback) {
        return v.containsKey(key) ? Double.parseDouble(v.get(key)) : fallback;
    }

    private static Duration seconds(Map<String, String> v, String key, double fallback) {
        double s = v.containsKey(key) ? Double.parseDouble(v.get(key)) : fallback;
        if (s < 0) {
            throw new IllegalArgumentException("--" + key + " must not be negative");
        }
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    public long p99LimitNanos() {
        return Math.round(p99LimitMillis * 1e6);
    }
}
