package io.tradeflow.bench.jmh;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.SymbolTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks measure what they claim: each setup decides its events as intended, and one
 * operation of each runs. Timing is never asserted here.
 */
class BenchmarkFixturesTest {
    @Test
    void shouldAcceptTheOpenAndCloseAndRefuseTheOversizedEntryLeavingThePositionFlat() {
        RouterState state = RouterFixture.seededState();
        RoutingPipeline pipeline = new RoutingPipeline(state, RouterFixture.trial(), RouterFixture.venues());
        RingEvent[] cycle = RouterFixture.cycle();

        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < cycle.length; i++) {
                cycle[i].clearDecision();
                pipeline.process(cycle[i]);
                assertThat(cycle[i].outcome).isEqualTo(RouterFixture.CYCLE_OUTCOMES[i]);
            }
        }

        assertThat(cycle[2].field).isEqualTo("max_quantity");
        SymbolTable symbols = state.symbols();
        int eurusd = symbols.intern(cycle[0].symbol);
        assertThat(state.positions().quantity(RouterFixture.ACCOUNT_ID, eurusd)).isZero();
        assertThat(state.account(RouterFixture.ACCOUNT_ID).openPositions()).isZero();
        assertThat(state.user(RouterFixture.ACCOUNT_ID).tradesUsed()).isEqualTo(6);
    }

    @Test
    void shouldParseBothAlertsAndBindThemWithJackson() throws Exception {
        for (String alert : new String[] {"design", "tradingview"}) {
            AlertParsingBenchmark b = new AlertParsingBenchmark();
            b.alert = alert;
            b.setUp();

            RingEvent e = b.parse();

            assertThat(e.isDecided()).as(alert).isFalse();
            assertThat(e.symbol.toString()).isEqualTo("EURUSD");
            assertThat(e.quantity).isEqualTo(1.0);
            assertThat(e.price).isEqualTo(1.0854);
            assertThat(b.jackson().intent().price()).isEqualTo(1.0854);
        }
    }

    @Test
    void shouldRunEveryStageOperation() {
        StageBenchmark b = new StageBenchmark();
        b.setUp();

        assertThat(b.pipeline()).isEqualTo(Outcome.ACCEPTED);
        assertThat(b.pipeline()).isEqualTo(Outcome.ACCEPTED);
        assertThat(b.pipeline()).isEqualTo(Outcome.RISK_REJECTED);
        assertThat(b.authStage()).isEqualTo(Outcome.PENDING);
        assertThat(b.trialStage()).isEqualTo(Outcome.PENDING);
        assertThat(b.riskStage()).isEqualTo(Outcome.PENDING);
        assertThat(b.dispatchStage()).isEqualTo(Outcome.ACCEPTED);
        assertThat(b.dispatchStage()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldAppendToAFreshJournalAndDeleteIt() {
        JournalAppendBenchmark b = new JournalAppendBenchmark();
        b.decidedEvent();
        b.openJournal();
        try {
            long first = b.append();
            assertThat(b.append()).isGreaterThan(first);
        } finally {
            b.closeJournal();
        }
    }

    @Test
    void shouldRoundTripThroughTheRingWithAndWithoutJournal() {
        for (String journal : new String[] {"disabled", "chronicle"}) {
            PipelineRingBenchmark b = new PipelineRingBenchmark();
            b.journal = journal;
            b.waitStrategy = "blocking";
            b.start();
            try {
                assertThat(b.roundTrip()).as(journal).isEqualTo(Outcome.ACCEPTED);
                assertThat(b.roundTrip()).isEqualTo(Outcome.ACCEPTED);
                assertThat(b.roundTrip()).isEqualTo(Outcome.RISK_REJECTED);
            } finally {
                b.stop();
            }
        }
    }

    @Test
    void shouldHopThroughTheDisruptor() throws Exception {
        DisruptorHopBenchmark b = new DisruptorHopBenchmark();
        b.waitStrategy = "blocking";
        b.start();
        try {
            assertThat(b.hop()).isZero();
            assertThat(b.hop()).isEqualTo(1);
        } finally {
            b.stop();
        }
    }
}
