package io.tradeflow.bench.load;

import io.tradeflow.bench.report.Machine;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * Everything one harness run measured, as written to {@code load-<stamp>.json}; {@code targets} and
 * {@code steps} are empty when only the burst ran, {@code bursts} when only the ramp ran.
 */
public record LoadResults(String stamp, Machine machine, Map<String, Object> settings, double measuredRate,
                          List<TargetResult> targets, List<Ratio> ratios, List<Step> steps, List<BurstResult> bursts,
                          boolean passed, List<String> problems) {

    /** Latency percentiles in microseconds, from planned send time to answer. */
    public record Latency(long count, double p50Micros, double p90Micros, double p99Micros, double p999Micros,
                          double maxMicros) {
        public static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Latency(h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                    micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
        }

        private static double micros(long nanos) {
            return Math.round(nanos / 100.0) / 10.0;
        }
    }

    /**
     * TradeFlow's own receive → decision latency over the measurement phases, from its /metrics
     * buckets: each quantile is the upper bound of the bucket holding it (µs).
     */
    public record DecisionLatency(long count, double p50UpToMicros, double p99UpToMicros, double p999UpToMicros) {
        static DecisionLatency of(DecisionLatencyScrape phase) {
            return new DecisionLatency(phase.count(), phase.upperBoundMicros(0.5), phase.upperBoundMicros(0.99),
                    phase.upperBoundMicros(0.999));
        }
    }

    /**
     * The server's CPU per alert over one or more windows, each from a phase's first planned send
     * until the server was idle again after it (so the projection's catch-up is included): its JVM,
     * its embedded PostgreSQL, both. {@code idleMicrosPerAlert} is the part the idle server would
     * have used anyway over the same windows (from {@link IdleCpu}), included in the total.
     * {@code unsettledWindows} counts windows that ended at the settle timeout, still busy, and
     * {@code projectionBehindWindows} those after which /metrics still showed a projection lag:
     * there the catch-up is partly missing.
     */
    public record CpuPerAlert(long alerts, int windows, double windowSeconds, double jvmCpuSeconds,
                              double postgresCpuSeconds, double jvmMicrosPerAlert, double postgresMicrosPerAlert,
                              double totalMicrosPerAlert, Double idleMicrosPerAlert, int unsettledWindows,
                              int projectionBehindWindows) {
        static CpuPerAlert of(CpuTicks ticks, long alerts, int windows, long windowNanos, IdleCpu idle, int unsettled,
                              int projectionBehind) {
            double jvm = CpuTicks.seconds(ticks.jvm());
            double pg = CpuTicks.seconds(ticks.postgres());
            double window = windowNanos / 1e9;
            Double idleShare = idle == null || alerts == 0 ? null
                    : round1((idle.jvmMillisPerSecond() + idle.postgresMillisPerSecond()) * 1e3 * window / alerts);
            return new CpuPerAlert(alerts, windows, round3(window), round3(jvm), round3(pg), perAlert(jvm, alerts),
                    perAlert(pg, alerts), perAlert(jvm + pg, alerts), idleShare, unsettled, projectionBehind);
        }

        private static double perAlert(double cpuSeconds, long alerts) {
            return alerts == 0 ? Double.NaN : round1(cpuSeconds * 1e6 / alerts);
        }
    }

    /** CPU of the idle server (after its warm-up), milliseconds per second, sampled over {@code seconds}. */
    public record IdleCpu(double seconds, double jvmMillisPerSecond, double postgresMillisPerSecond) {
        static IdleCpu of(CpuTicks ticks, long windowNanos) {
            double window = windowNanos / 1e9;
            return new IdleCpu(round3(window), round1(CpuTicks.seconds(ticks.jvm()) * 1e3 / window),
                    round1(CpuTicks.seconds(ticks.postgres()) * 1e3 / window));
        }
    }

    /** One step of the ramp for one target; {@code attempt} > 0 is a retry of a failed step. */
    public record Step(String target, int step, int attempt, double rate, long planned, long answered, long failed,
                       Map<Integer, Long> statuses, double errorRate, double achievedRate, Latency latency,
                       boolean passed, String verdict, CpuPerAlert cpu) {
    }

    /**
     * One burst against one target. {@code unanswered} were lost or still unanswered at the drain
     * deadline; {@code ack} runs from each alert's planned send time. {@code caughtUpSeconds} runs
     * from the end of the burst (its last planned send) until the first /metrics scrape after the
     * last answer that showed the projection at the journal's last index came back
     * ({@code caughtUpAfterLastAckSeconds}: from that last answer); null when the target has no
     * projection or it did not catch up within the limit ({@code projection} says which).
     * {@code projectionLagAtLastAck}: records behind in the first scrape after the last answer (-1:
     * no projection). {@code cpu} covers the burst until the server was idle again, the scrapes included.
     */
    public record BurstResult(String target, String label, int alerts, int connections, double seconds, long answered,
                              long non200, long unanswered, Map<Integer, Long> statuses, Latency ack,
                              double lastAckAfterBurstSeconds, Double caughtUpSeconds, Double caughtUpAfterLastAckSeconds,
                              long projectionLagAtLastAck, String projection, CpuPerAlert cpu) {
        public boolean allAnswered200() {
            return non200 == 0 && unanswered == 0;
        }
    }

    /**
     * One target's summary. {@code rmaxCapped} means the ramp stopped (time budget) while it still
     * passed, so the real Rmax is at least {@code rmax}. {@code overCapacity} means the measurement
     * rate is above this target's Rmax, so its latency there is queueing, not service time.
     * {@code decision} is null for the bare Netty server (it has no ring) or when /metrics failed.
     */
    public record TargetResult(String target, String label, String description, double rmax, boolean rmaxCapped,
                               String stoppedBecause, Latency latency, long planned, long answered, long failed,
                               Map<Integer, Long> statuses, double non200Rate, boolean overCapacity,
                               DecisionLatency decision, CpuPerAlert cpu, IdleCpu idle) {
    }

    /** One of the targets, e.g. {@code Rmax(C) / Rmax(A) >= 0.6}; value null when not measurable. */
    public record Ratio(String name, Double value, String comparison, double goal, Boolean met) {
        public static Ratio atLeast(String name, Double value, double goal) {
            return new Ratio(name, value, ">=", goal, value == null ? null : value >= goal);
        }

        public static Ratio atMost(String name, Double value, double goal) {
            return new Ratio(name, value, "<=", goal, value == null ? null : value <= goal);
        }
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
