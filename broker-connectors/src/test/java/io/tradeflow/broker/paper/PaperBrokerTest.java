package io.tradeflow.broker.paper;

import io.tradeflow.config.PaperConfig;
import io.tradeflow.core.event.RingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PaperBrokerTest {
    private final PaperBroker broker = new PaperBroker(new PaperConfig(100_000, 0.0002, 0.0001, 0.5));

    @Test
    void shouldBuyAtReferencePlusHalfSpreadPlusSlippage() {
        RingEvent e = new RingEvent();
        assertThat(broker.fillMarket(e, 1.0850, 3)).isTrue();
        assertThat(e.fillPrice).isCloseTo(1.0850 + 0.0001 + 0.0001, within(1e-12));
        assertThat(e.commission).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void shouldSellAtReferenceMinusHalfSpreadMinusSlippage() {
        RingEvent e = new RingEvent();
        assertThat(broker.fillMarket(e, 1.0850, -2)).isTrue();
        assertThat(e.fillPrice).isCloseTo(1.0850 - 0.0002, within(1e-12));
        assertThat(e.commission).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void shouldFillAtReferenceWhenFrictionless() {
        PaperBroker free = new PaperBroker(new PaperConfig(100_000, 0, 0, 0));
        RingEvent e = new RingEvent();
        free.fillMarket(e, 101.25, 1);
        assertThat(e.fillPrice).isEqualTo(101.25);
        assertThat(e.commission).isZero();
    }
}
