package io.tradeflow.bench.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StepVerdictTest {
    private static final long MS = 1_000_000L;

    private static PhaseResult phase(long planned, Map<Integer, Long> statuses, long failed, long... latencies) {
        Histogram h = PhaseResult.newHistogram();
        for (long l : latencies) {
            h.recordValue(l);
        }
        long answered = statuses.values().stream().mapToLong(Long::longValue).sum();
        return new PhaseResult(1_000, planned, answered, failed, statuses, h, 1_000_000_000L, 0);
    }

    private static long[] repeat(long value, int times) {
        long[] v = new long[times];
        java.util.Arrays.fill(v, value);
        return v;
    }

    @Test
    void shouldPassWhenP99AndErrorsAreWithinLimits() {
        long[] latencies = repeat(MS, 100);
        latencies[99] = 50 * MS; // one slow request in a hundred is the 1% above p99

        StepVerdict v = StepVerdict.judge(phase(100, Map.of(200, 100L), 0, latencies), 5 * MS, 0.01);

        assertThat(v.passed()).isTrue();
    }

    @Test
    void shouldFailWhenP99IsAboveTheLimit() {
        long[] latencies = repeat(MS, 100);
        latencies[98] = 6 * MS;
        latencies[99] = 6 * MS;

        StepVerdict v = StepVerdict.judge(phase(100, Map.of(200, 100L), 0, latencies), 5 * MS, 0.01);

        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("p99 6.00 ms > 5.00 ms");
    }

    @Test
    void shouldFailWhenMoreThanOnePercentAreNot200() {
        StepVerdict v = StepVerdict.judge(phase(1_000, Map.of(200, 985L, 429, 15L), 0, repeat(MS, 1_000)), 5 * MS, 0.01);

        assertThat(v.passed()).isFalse();
        assertThat(v.reason()).contains("1.50% of requests not answered 200");
    }

    @Test
    void shouldCountFailedAndUnansweredRequestsAsErrors() {
        StepVerdict v = StepVerdict.judge(phase(1_000, Map.of(200, 980L), 20, repeat(MS, 1_000)), 5 * MS, 0.01);

        assertThat(v.passed()).isFalse();
    }

    @Test
    void shouldFailAStepWithNoRecordedAnswer() {
        StepVerdict v = StepVerdict.judge(phase(0, Map.of(), 0), 5 * MS, 0.01);

        assertThat(v.passed()).isFalse();
    }

    @Test
    void shouldGrowTheRateGeometrically() {
        assertThat(StepVerdict.rateOfStep(200, 1.5, 0)).isEqualTo(200);
        assertThat(StepVerdict.rateOfStep(200, 1.5, 1)).isEqualTo(300);
        assertThat(StepVerdict.rateOfStep(200, 1.5, 4)).isEqualTo(1013); // 1012.5 rounded
    }

    @Test
    void shouldMergeMeasurementRounds() {
        PhaseResult a = phase(10, Map.of(200, 10L), 0, repeat(MS, 10));
        PhaseResult b = phase(10, Map.of(200, 9L, 503, 1L), 0, repeat(2 * MS, 10));

        PhaseResult merged = a.plus(b);

        assertThat(merged.planned()).isEqualTo(20);
        assertThat(merged.ok()).isEqualTo(19);
        assertThat(merged.non200()).isEqualTo(1);
        assertThat(merged.latency().getTotalCount()).isEqualTo(20);
        assertThat(a.latency().getTotalCount()).as("inputs untouched").isEqualTo(10);
    }
}
