package io.tradeflow.bench.load;

/**
 * Whether a constant-rate step was sustained: p99 within the limit and at most the allowed share
 * of requests not answered with a 200 (refused, failed or left unanswered).
 */
public record StepVerdict(boolean passed, String reason) {

    public static StepVerdict judge(PhaseResult r, long p99LimitNanos, double maxErrorRate) {
        double errors = r.errorRate();
        long p99 = r.latency().getTotalCount() == 0 ? Long.MAX_VALUE : r.latency().getValueAtPercentile(99);
        if (errors > maxErrorRate) {
            return new StepVerdict(false, String.format(java.util.Locale.ROOT,
                    "%.2f%% of requests not answered 200 (limit %.2f%%)", errors * 100, maxErrorRate * 100));
        }
        if (p99 > p99LimitNanos) {
            return new StepVerdict(false, String.format(java.util.Locale.ROOT,
                    "p99 %.2f ms > %.2f ms", p99 / 1e6, p99LimitNanos / 1e6));
        }
        return new StepVerdict(true, "sustained");
    }

    /** The rate of step {@code step} (0-based): {@code start × factor^step}, rounded to whole requests/s. */
    public static double rateOfStep(double start, double factor, int step) {
        return Math.round(start * Math.pow(factor, step));
    }
}
