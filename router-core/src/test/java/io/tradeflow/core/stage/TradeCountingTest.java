package io.tradeflow.core.stage;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.testing.Events;
import org.junit.jupiter.api.Test;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.KEY;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What uses up a trial: an order an alert made (entry or exit, also a pending order that fills
 * later); never a close the router makes itself (dashboard close, emergency stop, stop loss, take
 * profit, trailing stop).
 */
class TradeCountingTest {
    private final PipelineFixture f = new PipelineFixture();

    private int used() {
        return f.state.user(USER).tradesUsed();
    }

    /** Runs the trigger pass of an operator price and returns the fills it made. */
    private int price(String symbol, double price) {
        RingEvent tick = new RingEvent();
        tick.type = EventType.PRICE;
        tick.symbol.set(symbol);
        tick.price = price;
        tick.outcome = Outcome.ACCEPTED;
        TriggerStage triggers = f.pipeline.triggers();
        int fills = 0;
        RingEvent out = new RingEvent();
        while (triggers.carriesPrice(tick) && triggers.next(tick, out)) {
            if (out.outcome == Outcome.ACCEPTED && out.filledQuantity != 0) {
                fills++;
            }
            out = new RingEvent();
        }
        return fills;
    }

    @Test
    void shouldCountAnAlertsEntryAndExitButNotADashboardClose() {
        f.buy(T0, "EURUSD", 2, 1.10);
        f.exit(T0 + 1, Action.CLOSE, "EURUSD", 1, 1.11);
        assertThat(used()).isEqualTo(2);

        RingEvent close = Events.control(new RingEvent(), T0 + 2, ControlType.CLOSE_POSITION, ACCOUNT, USER);
        close.symbol.set("EURUSD");
        f.process(close);

        assertThat(close.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.filledQuantity).isEqualTo(-1.0);
        assertThat(close.tradesUsed).as("recorded for replay").isEqualTo(2);
        assertThat(used()).isEqualTo(2);
    }

    @Test
    void shouldNotCountAStopLossTheRouterExecutes() {
        RingEvent open = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 1.10);
        open.protection(true, StopMode.PRICE, 1.09);
        f.process(open);
        assertThat(open.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(used()).isEqualTo(1);

        int fills = price("EURUSD", 1.085);

        assertThat(fills).as("the stop loss fired").isEqualTo(1);
        assertThat(f.quantity("EURUSD")).isZero();
        assertThat(used()).isEqualTo(1);
    }

    @Test
    void shouldCountAPendingOrderOfAnAlertWhenItFills() {
        RingEvent limit = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 1.10);
        limit.orderType = OrderType.LIMIT;
        limit.orderPrice = 1.05;
        f.process(limit);
        assertThat(limit.placedPendingOrder()).isTrue();
        assertThat(used()).as("nothing traded yet").isZero();

        int fills = price("EURUSD", 1.04);

        assertThat(fills).isEqualTo(1);
        assertThat(f.quantity("EURUSD")).isEqualTo(1.0);
        assertThat(used()).isEqualTo(1);
    }
}
