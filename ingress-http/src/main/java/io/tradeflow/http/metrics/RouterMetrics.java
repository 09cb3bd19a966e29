package io.tradeflow.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.ring.DecisionObserver;
import io.tradeflow.core.stage.BrokerReportStage;
import io.tradeflow.core.stage.RiskStage;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Live router metrics in Prometheus format: alerts per outcome (and per risk rule), receive →
 * decision latency from an HdrHistogram, ring capacity and backlog, journal and projection
 * positions, and what real brokers reported (fills, refusals, position drift). Recording happens
 * on the ring thread without locks or allocation: counters are created up front and latency goes
 * into an HdrHistogram {@link Recorder}.
 */
public final class RouterMetrics implements DecisionObserver {
    private static final List<String> RISK_RULES = List.of(RiskStage.RULE_EMERGENCY_STOP, RiskStage.RULE_MAX_QUANTITY,
            RiskStage.RULE_ALLOWED_SYMBOLS, RiskStage.RULE_TRADING_HOURS, RiskStage.RULE_MAX_DAILY_LOSS,
            RiskStage.RULE_MAX_OPEN_POSITIONS);
    private static final long MAX_TRACKED_NANOS = 60_000_000_000L;
    /**
     * Upper bounds (µs) of the cumulative latency buckets. A scraper subtracts two scrapes to get
     * the latency of just the alerts in between (the quantile gauges cover everything since start).
     */
    static final long[] BUCKET_BOUNDS_MICROS = {5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500,
        2_000, 3_000, 5_000, 10_000, 50_000, 100_000, 1_000_000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter[] byOutcome = new Counter[Outcome.values().length];
    private final Counter[] byRiskRule = new Counter[RISK_RULES.size()];
    private final Counter controlEvents;
    private final Counter brokerFills;
    private final Counter brokerRefusals;
    private final Counter positionDrifts;
    private final Recorder latency = new Recorder(MAX_TRACKED_NANOS, 3);
    private final Histogram cumulative = new Histogram(MAX_TRACKED_NANOS, 3);
    private Histogram interval;

    public RouterMetrics() {
        for (Outcome outcome : Outcome.values()) {
            if (outcome != Outcome.RISK_REJECTED && outcome != Outcome.PENDING) {
                byOutcome[outcome.ordinal()] = alerts(outcome.name(), "none");
            }
        }
        for (int i = 0; i < RISK_RULES.size(); i++) {
            byRiskRule[i] = alerts(Outcome.RISK_REJECTED.name(), RISK_RULES.get(i));
        }
        controlEvents = Counter.builder("tradeflow.control.events").description("Control commands applied by the ring")
                .register(registry);
        brokerFills = brokerReports("fill");
        brokerRefusals = brokerReports("refusal");
        positionDrifts = brokerReports("drift");
        for (double quantile : new double[] {0.5, 0.99, 0.999, 1.0}) {
            Gauge.builder("tradeflow.decision.latency", this, m -> m.quantileSeconds(quantile))
                    .description("Receive to decision latency of alerts since start (1.0 = max)")
                    .tag("quantile", Double.toString(quantile))
                    .baseUnit("seconds")
                    .register(registry);
        }
        for (long bound : BUCKET_BOUNDS_MICROS) {
            Gauge.builder("tradeflow.decision.latency.cumulative", this, m -> m.countAtMost(bound * 1_000))
                    .description("Alerts decided within le seconds of receipt, since start (a cumulative histogram bucket)")
                    .tag("le", BigDecimal.valueOf(bound, 6).stripTrailingZeros().toPlainString())
                    .register(registry);
        }
        Gauge.builder("tradeflow.decision.latency.cumulative", this, m -> m.countAtMost(MAX_TRACKED_NANOS))
                .tag("le", "+Inf").register(registry);
    }

    private Counter brokerReports(String kind) {
        return Counter.builder("tradeflow.broker.reports").description("What real brokers reported: fills, refusals, position drift")
                .tag("kind", kind).register(registry);
    }

    private Counter alerts(String outcome, String reason) {
        return Counter.builder("tradeflow.alerts").description("Alerts decided, by outcome and risk rule")
                .tag("outcome", outcome).tag("reason", reason).register(registry);
    }

    /** Registers gauges over live router state; the suppliers are read at scrape time. */
    public void watch(LongSupplier ringRemaining, LongSupplier ringBacklog, LongSupplier journalLastIndex,
                      LongSupplier projectionLastIndex) {
        Gauge.builder("tradeflow.ring.remaining.capacity", ringRemaining, s -> s.getAsLong())
                .description("Free ring slots; 0 means alerts are refused with 503").register(registry);
        Gauge.builder("tradeflow.ring.backlog", ringBacklog, s -> s.getAsLong())
                .description("Events published but not yet decided and journaled").register(registry);
        Gauge.builder("tradeflow.journal.last.index", journalLastIndex, s -> s.getAsLong())
                .description("Index of the last journal record").register(registry);
        Gauge.builder("tradeflow.projection.last.index", projectionLastIndex, s -> s.getAsLong())
                .description("Last journal index applied to PostgreSQL").register(registry);
        Gauge.builder("tradeflow.projection.lag", () -> lag(journalLastIndex.getAsLong(), projectionLastIndex.getAsLong()))
                .description("Journal records not yet in PostgreSQL (-1 when the journal rolled since)").register(registry);
    }

    /** Chronicle indexes carry the roll cycle in the high bits; records within one cycle count in the low bits. */
    static long lag(long journal, long projection) {
        if (journal == projection) {
            return 0;
        }
        return (journal >>> 32) == (projection >>> 32) ? journal - projection : -1;
    }

    @Override
    public void onDecided(RingEvent e) {
        if (e.type == EventType.CONTROL) {
            controlEvents.increment();
            return;
        }
        if (e.type == EventType.BROKER_REPORT) {
            countReport(e);
            return;
        }
        if (e.type != EventType.INTENT) {
            return;
        }
        counterFor(e).increment();
        if (e.decisionNanos > 0) {
            latency.recordValue(Math.min(e.decisionNanos, MAX_TRACKED_NANOS));
        }
    }

    private void countReport(RingEvent e) {
        if (e.reportKind == ReportKind.FILLED && e.outcome == Outcome.ACCEPTED) {
            brokerFills.increment();
        } else if (e.reportKind == ReportKind.REJECTED || e.reportKind == ReportKind.OUTCOME_UNKNOWN) {
            brokerRefusals.increment();
        } else if (e.reportKind == ReportKind.POSITION_CHECK && BrokerReportStage.isDrift(e)) {
            positionDrifts.increment();
        }
    }

    private Counter counterFor(RingEvent e) {
        if (e.outcome == Outcome.RISK_REJECTED) {
            int rule = RISK_RULES.indexOf(e.field);
            return byRiskRule[rule < 0 ? 0 : rule];
        }
        Counter counter = byOutcome[e.outcome.ordinal()];
        return counter != null ? counter : byOutcome[Outcome.INTERNAL_ERROR.ordinal()];
    }

    private synchronized double quantileSeconds(double quantile) {
        refresh();
        long nanos = quantile >= 1.0 ? cumulative.getMaxValue() : cumulative.getValueAtPercentile(quantile * 100);
        return nanos / 1e9;
    }

    private synchronized long countAtMost(long nanos) {
        refresh();
        return cumulative.getCountBetweenValues(0, nanos);
    }

    /** Moves what the ring thread recorded since the last scrape into the cumulative histogram. */
    private void refresh() {
        interval = latency.getIntervalHistogram(interval);
        cumulative.add(interval);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
