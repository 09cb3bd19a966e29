package io.tradeflow.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionLatencyScrapeTest {
    private static String exposition(long le50us, long le100us, long le1ms, long inf) {
        return "# HELP tradeflow_decision_latency_cumulative Alerts decided within le seconds\n"
                + "# TYPE tradeflow_decision_latency_cumulative gauge\n"
                + "tradeflow_decision_latency_cumulative{le=\"0.00005\"} " + le50us + ".0\n"
                + "tradeflow_decision_latency_cumulative{le=\"0.0001\"} " + le100us + ".0\n"
                + "tradeflow_decision_latency_cumulative{le=\"0.001\"} " + le1ms + ".0\n"
                + "tradeflow_decision_latency_cumulative{le=\"+Inf\"} " + inf + ".0\n"
                + "tradeflow_decision_latency_seconds{quantile=\"0.5\"} 4.2E-5\n";
    }

    @Test
    void shouldTakeQuantilesOfOnlyTheAlertsBetweenTwoScrapes() {
        // Before: 100 slow alerts from an overload step (all above 1 ms).
        DecisionLatencyScrape before = DecisionLatencyScrape.parse(exposition(0, 0, 0, 100));
        // After: 1,000 more, of which 990 within 50 µs, 9 within 100 µs, 1 within 1 ms.
        DecisionLatencyScrape after = DecisionLatencyScrape.parse(exposition(990, 999, 1_000, 1_100));

        DecisionLatencyScrape phase = after.since(before);

        assertThat(phase.count()).isEqualTo(1_000);
        assertThat(phase.upperBoundMicros(0.5)).isEqualTo(50.0);
        assertThat(phase.upperBoundMicros(0.99)).isEqualTo(50.0);
        assertThat(phase.upperBoundMicros(0.999)).isEqualTo(100.0);
        assertThat(phase.upperBoundMicros(1.0)).isEqualTo(1_000.0, org.assertj.core.data.Offset.offset(1e-9));
        // Without subtracting, the overload step's alerts dominate the tail.
        assertThat(after.upperBoundMicros(0.999)).isInfinite();
    }

    @Test
    void shouldRefuseAnExpositionWithoutTheBuckets() {
        assertThatThrownBy(() -> DecisionLatencyScrape.parse("tradeflow_alerts_total 3.0\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("buckets");
    }

    @Test
    void shouldHaveNoQuantileWithoutAlerts() {
        DecisionLatencyScrape s = DecisionLatencyScrape.parse(exposition(0, 0, 0, 0));
        assertThat(s.upperBoundMicros(0.999)).isNaN();
    }
}
