package io.tradeflow.core.stage;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.testing.Events;
import org.junit.jupiter.api.Test;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

class ClosePositionControlTest {
    private final PipelineFixture fixture = new PipelineFixture();

    private RingEvent close(long at, String symbol) {
        RingEvent e = Events.control(new RingEvent(), at, ControlType.CLOSE_POSITION, ACCOUNT, USER);
        e.symbol.set(symbol);
        return fixture.process(e);
    }

    @Test
    void shouldCloseThePositionAtTheLastPriceAndBookThePnl() {
        fixture.buy(T0, "EURUSD", 2, 1.10);
        fixture.exit(T0 + 1, Action.CLOSE, "GBPUSD", 0);
        // Nothing short to close, but the alert's price becomes EURUSD's last price.
        fixture.exit(T0 + 2, Action.CLOSE_SHORT, "EURUSD", 1.20);

        RingEvent closed = close(T0 + 3, "EURUSD");

        assertThat(closed.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(closed.orderId).isPositive();
        assertThat(closed.filledQuantity).isEqualTo(-2.0);
        assertThat(closed.positionQuantity).isZero();
        // 2 × 0.10 (this fixture has no instrument table, so the point value is 1).
        assertThat(closed.realizedPnl).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(fixture.quantity("EURUSD")).isZero();
        assertThat(fixture.account().openPositions()).isZero();
    }

    @Test
    void shouldCloseEvenWhenTheAccountIsDisabledAndTheEmergencyStopIsOn() {
        fixture.sell(T0, "XAUUSD", 1, 2000);
        fixture.state.enableAccount(ACCOUNT, false);
        fixture.process(Events.emergencyStop(new RingEvent(), T0 + 1, USER, true));

        RingEvent closed = close(T0 + 2, "XAUUSD");

        assertThat(closed.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(closed.filledQuantity).isEqualTo(1);
        assertThat(fixture.quantity("XAUUSD")).isZero();
    }

    @Test
    void shouldAnswerNoActionWhenAlreadyFlat() {
        RingEvent closed = close(T0, "EURUSD");

        assertThat(closed.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(closed.orderId).isZero();
    }

    @Test
    void shouldRefuseAnUnknownAccount() {
        RingEvent e = Events.control(new RingEvent(), T0, ControlType.CLOSE_POSITION, 999, USER);
        e.symbol.set("EURUSD");

        fixture.process(e);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("account_id");
    }

    @Test
    void shouldReplayTheRecordedCloseWithoutFillingAgain() {
        RingEvent opened = Events.copyOf(fixture.buy(T0, "EURUSD", 3, 1.10));
        RingEvent closed = Events.copyOf(close(T0 + 1, "EURUSD"));
        PipelineFixture rebuilt = new PipelineFixture();

        rebuilt.pipeline.replay().apply(opened);
        assertThat(rebuilt.quantity("EURUSD")).isEqualTo(3);
        rebuilt.pipeline.replay().apply(closed);
        rebuilt.pipeline.replay().apply(closed);

        assertThat(rebuilt.quantity("EURUSD")).isZero();
        assertThat(rebuilt.account().openPositions()).isZero();
        assertThat(rebuilt.state.lastOrderId()).isEqualTo(closed.orderId);
    }
}
