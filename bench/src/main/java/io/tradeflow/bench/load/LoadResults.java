package io.tradeflow.bench.load;

import io.tradeflow.bench.report.Machine;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/** Everything one harness run measured, as written to {@code load-<stamp>.json}. */
public record LoadResults(String stamp, Machine machine, Map<String, Object> settings, double measuredRate,
                          List<TargetResult> targets, List<Ratio> ratios, List<Step> steps, boolean passed,
                          List<String> problems) {

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

    /** One step of the ramp for one target; {@code attempt} > 0 is a retry of a failed step. */
    public record Step(String target, int step, int attempt, double rate, long planned, long answered, long failed,
                       Map<Integer, Long> statuses, double errorRate, double achievedRate, Latency latency,
                       boolean passed, String verdict) {
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
                               DecisionLatency decision) {
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
}
