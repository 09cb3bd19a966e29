package io.tradeflow.bench.load;

import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one constant-rate phase against one target measured.
 *
 * @param targetRate  planned requests per second
 * @param planned     requests the schedule planned
 * @param answered    requests that got an HTTP answer (any status)
 * @param failed      requests lost to a connection error or still unanswered at the drain deadline
 * @param statuses    answers per HTTP status
 * @param latency     planned-send-time → answer latency (ns) of the recorded (post-warm-up) requests;
 *                    requests still unanswered at the deadline are recorded at their age then
 * @param elapsedNanos wall time from the first planned send to the last answer
 * @param startNanos  planned time of the first request ({@link System#nanoTime()} clock)
 */
public record PhaseResult(double targetRate, long planned, long answered, long failed, Map<Integer, Long> statuses,
                          Histogram latency, long elapsedNanos, long startNanos) {

    /** Highest latency the histograms track: anything slower is clamped to this (a minute). */
    public static final long MAX_TRACKED_NANOS = 60_000_000_000L;

    public static Histogram newHistogram() {
        return new Histogram(MAX_TRACKED_NANOS, 3);
    }

    public long ok() {
        return statuses.getOrDefault(200, 0L);
    }

    /** Answers with a status other than 200. */
    public long non200() {
        return answered - ok();
    }

    /** Share of planned requests that did not end in a 200 (refused, failed or unanswered). */
    public double errorRate() {
        return planned == 0 ? 0 : (double) (planned - ok()) / planned;
    }

    /** Share of answers that were not 200. */
    public double non200Rate() {
        return answered == 0 ? 0 : (double) non200() / answered;
    }

    public double achievedRate() {
        return elapsedNanos <= 0 ? 0 : answered * 1e9 / elapsedNanos;
    }

    /** Adds another phase at the same rate (used to merge interleaved measurement rounds). */
    public PhaseResult plus(PhaseResult other) {
        Histogram merged = latency.copy();
        merged.add(other.latency);
        Map<Integer, Long> statusSum = new TreeMap<>(statuses);
        other.statuses.forEach((status, n) -> statusSum.merge(status, n, Long::sum));
        return new PhaseResult(targetRate, planned + other.planned, answered + other.answered, failed + other.failed,
                statusSum, merged, elapsedNanos + other.elapsedNanos, Math.min(startNanos, other.startNanos));
    }
}
