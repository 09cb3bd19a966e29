package io.tradeflow.http.metrics;

import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.stage.BrokerReportStage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouterMetricsTest {
    @Test
    void shouldCountLagOnlyWithinOneJournalCycle() {
        long cycle = 20_000L << 32;
        assertThat(RouterMetrics.lag(cycle + 10, cycle + 4)).isEqualTo(6);
        assertThat(RouterMetrics.lag(cycle + 10, cycle + 10)).isZero();
        assertThat(RouterMetrics.lag((20_001L << 32) + 1, cycle + 4)).isEqualTo(-1);
    }

    @Test
    void shouldReportLatencyQuantilesFromRecordedDecisions() {
        RouterMetrics metrics = new RouterMetrics();
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        e.outcome = Outcome.ACCEPTED;
        for (int i = 1; i <= 1000; i++) {
            e.decisionNanos = i * 1_000L;   // 1 µs .. 1 ms
            metrics.onDecided(e);
        }
        String text = metrics.scrape();
        assertThat(text).contains("tradeflow_alerts_total{outcome=\"ACCEPTED\",reason=\"none\"} 1000.0");
        double p50 = value(text, "tradeflow_decision_latency_seconds{quantile=\"0.5\"}");
        double max = value(text, "tradeflow_decision_latency_seconds{quantile=\"1.0\"}");
        assertThat(p50).isBetween(490e-6, 510e-6);
        assertThat(max).isBetween(999e-6, 1001e-6);
        // Cumulative buckets: 1..100 µs → 100 alerts, 1..1000 µs → all, and +Inf counts every one.
        assertThat(value(text, "tradeflow_decision_latency_cumulative{le=\"0.0001\"}")).isEqualTo(100);
        assertThat(value(text, "tradeflow_decision_latency_cumulative{le=\"0.00075\"}")).isEqualTo(750);
        assertThat(value(text, "tradeflow_decision_latency_cumulative{le=\"0.001\"}")).isEqualTo(1000);
        assertThat(value(text, "tradeflow_decision_latency_cumulative{le=\"+Inf\"}")).isEqualTo(1000);
    }

    @Test
    void shouldCountBrokerFillsRefusalsAndDriftApartFromAlerts() {
        RouterMetrics metrics = new RouterMetrics();
        RingEvent e = new RingEvent();
        e.type = EventType.BROKER_REPORT;
        e.reportKind = ReportKind.FILLED;
        e.outcome = Outcome.ACCEPTED;
        metrics.onDecided(e);
        e.reportKind = ReportKind.REJECTED;
        e.outcome = Outcome.BROKER_ERROR;
        metrics.onDecided(e);
        e.reportKind = ReportKind.POSITION_CHECK;
        e.outcome = Outcome.ACCEPTED;
        e.reason = BrokerReportStage.DRIFT;
        metrics.onDecided(e);
        e.reason = BrokerReportStage.IN_SYNC;
        metrics.onDecided(e);

        String text = metrics.scrape();
        assertThat(value(text, "tradeflow_broker_reports_total{kind=\"fill\"}")).isEqualTo(1);
        assertThat(value(text, "tradeflow_broker_reports_total{kind=\"refusal\"}")).isEqualTo(1);
        assertThat(value(text, "tradeflow_broker_reports_total{kind=\"drift\"}")).isEqualTo(1);
        assertThat(value(text, "tradeflow_alerts_total{outcome=\"ACCEPTED\",reason=\"none\"}")).isZero();
    }

    private static double value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElseThrow();
    }
}
