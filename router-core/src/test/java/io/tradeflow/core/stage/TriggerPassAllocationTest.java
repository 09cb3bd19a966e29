package io.tradeflow.core.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.state.AlertSettingsDefaults;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A price that reaches nothing must cost (almost) nothing on the ring thread: the trigger pass
 * looks only at its symbol's pending orders and positions and allocates no bytes. Measured with the
 * JVM's per-thread allocation counter (bytes, not time: timing belongs in bench/).
 */
final class TriggerPassAllocationTest {
    @Test
    void shouldAllocateNothingWhenAPriceTriggersNothing() {
        RouterState state = new RouterState(PipelineFixture.OPEN_LIMITS, AlertSettingsDefaults.NONE,
                Map.of("EURUSD", InstrumentSpec.parse(
                        "EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50")), 100_000);
        RoutingPipeline pipeline = new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
        for (long account = 1; account <= 50; account++) {
            state.putAccount(account, account, BrokerKind.PAPER, true, PipelineFixture.T0 - 1, false, 0);
            state.keys().add(KeyHasher.sha256("tf_alloc_" + account), account);
            RingEvent open = Events.open("tf_alloc_" + account, PipelineFixture.T0, Side.BUY, "EURUSD", 1, 1.0850);
            open.addToPosition = true;
            open.protection(true, StopMode.TRAIL, 50);
            pipeline.process(open);
            assertThat(open.outcome).isEqualTo(Outcome.ACCEPTED);
            RingEvent limit = Events.open("tf_alloc_" + account, PipelineFixture.T0, Side.BUY, "EURUSD", 1, 1.0850);
            limit.addToPosition = true;
            limit.orderType = OrderType.LIMIT;
            limit.orderPrice = 1.0700;
            pipeline.process(limit);
            assertThat(limit.placedPendingOrder()).isTrue();
        }
        RingEvent tick = new RingEvent();
        tick.type = EventType.PRICE;
        tick.symbol.set("EURUSD");
        tick.price = 1.0840;
        tick.outcome = Outcome.ACCEPTED;
        RingEvent out = new RingEvent();
        TriggerStage triggers = pipeline.triggers();
        for (int i = 0; i < 20_000; i++) {
            assertThat(triggers.carriesPrice(tick) && triggers.next(tick, out)).isFalse();
        }

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        boolean triggered = false;
        for (int i = 0; i < 100_000; i++) {
            triggered |= triggers.carriesPrice(tick) && triggers.next(tick, out);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(triggered).isFalse();
        assertThat(allocated).as("bytes allocated by 100 000 passes over 50 positions and 50 pending orders")
                .isLessThan(1_024);
    }
}
