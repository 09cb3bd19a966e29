package io.tradeflow.broker.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.PaperConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.Venues;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The paper broker behind the real pipeline: each action and each size mode, with fill price,
 * quantity, commission and P&amp;L worked out by hand. P&amp;L is lots × price change × point value
 * (100 000 for EURUSD; 1 for instruments outside the table, such as ACME). Costs: EURUSD spread 0.0002 (other symbols
 * 0.5), slippage 0.00001 + 0.00001 per lot capped at 0.00005, commission 2 per lot, at least 3.
 */
final class PaperExecutionTest {
    private static final String KEY = "tf_live_paperKey0123456789abcdefgh";
    private static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    private static final PaperConfig COSTS = new PaperConfig(100_000, 0.5, 0.00001, 2, Map.of("EURUSD", 0.0002), 0.00001,
            0.00005, 3, 0);

    private final RouterState state = new RouterState(
            new RiskLimits(1000, 0, 20, "", ZoneId.of("UTC"), List.of(), 10_000, Duration.ofMinutes(1)),
            new AlertSettings(1, Duration.ZERO, Duration.ZERO, Duration.ofHours(1), Map.of(), ""),
            Map.of("EURUSD", InstrumentSpec.parse("EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50")),
            COSTS.startingBalance());
    private final RoutingPipeline pipeline = new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
            new Venues(Map.of(BrokerKind.PAPER, new PaperBroker(COSTS))));
    private long now = T0;

    PaperExecutionTest() {
        state.putAccount(7, 70, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        state.keys().add(KeyHasher.sha256(KEY), 7);
    }

    private RingEvent alert(Action action, Side side, String symbol, double qty, double price) {
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        e.receivedAtMillis = ++now;
        System.arraycopy(KeyHasher.sha256(KEY), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        e.keyPresent = true;
        e.action = action;
        e.side = side;
        e.symbol.set(symbol);
        e.quantity = qty;
        e.price = price;
        return e;
    }

    private RingEvent route(RingEvent e) {
        pipeline.process(e);
        assertThat(e.outcome).as("%s: %s", e.field, e.reason).isEqualTo(Outcome.ACCEPTED);
        return e;
    }

    @Test
    void shouldOpenAtTheAskWithSizeDependentSlippageAndTheCommissionMinimum() {
        RingEvent buy = route(alert(Action.OPEN, Side.BUY, "EURUSD", 1, 1.08500));

        // 1.08500 + 0.0001 half spread + (0.00001 + 0.00001 × 1) slippage
        assertThat(buy.fillPrice).isCloseTo(1.08512, within(1e-12));
        assertThat(buy.filledQuantity).isEqualTo(1.0);
        assertThat(buy.commission).isEqualTo(3.0);          // 2 × 1 lot = 2, raised to the minimum 3
        assertThat(buy.realizedPnl).isEqualTo(-3.0);        // an opening fill realises only its commission
    }

    @Test
    void shouldCapSlippageForALargeOrderAndChargeCommissionPerLot() {
        RingEvent sell = route(alert(Action.OPEN, Side.SELL, "EURUSD", 10, 1.08500));

        // 1.08500 − 0.0001 − min(0.00001 + 0.0001, 0.00005)
        assertThat(sell.fillPrice).isCloseTo(1.08485, within(1e-12));
        assertThat(sell.commission).isEqualTo(20.0);
        assertThat(sell.positionQuantity).isEqualTo(-10.0);
    }

    @Test
    void shouldUseTheDefaultSpreadForInstrumentsWithoutTheirOwn() {
        RingEvent buy = route(alert(Action.OPEN, Side.BUY, "ACME", 2, 100));

        // 100 + 0.25 + 0.00001 + 0.00002
        assertThat(buy.fillPrice).isCloseTo(100.25003, within(1e-9));
        assertThat(buy.commission).isEqualTo(4.0);
    }

    @Test
    void shouldRealiseThePriceChangeLessCommissionOnCloseAndPartialClose() {
        route(alert(Action.OPEN, Side.BUY, "ACME", 4, 100));           // fill 100.25005 (slip 0.00001 + 0.00004)
        RingEvent partial = route(alert(Action.CLOSE, null, "ACME", 1, 110));
        RingEvent rest = route(alert(Action.CLOSE_LONG, null, "ACME", 0, 120));

        // sells 1 at 110 − 0.25 − 0.00002 = 109.74998: (109.74998 − 100.25005) × 1 − 3 (minimum)
        assertThat(partial.fillPrice).isCloseTo(109.74998, within(1e-9));
        assertThat(partial.realizedPnl).isCloseTo(9.49993 - 3, within(1e-9));
        assertThat(partial.positionQuantity).isEqualTo(3.0);
        // sells 3 at 120 − 0.25 − 0.00004 = 119.74996: (119.74996 − 100.25005) × 3 − 6
        assertThat(rest.realizedPnl).isCloseTo(19.49991 * 3 - 6, within(1e-9));
        assertThat(rest.positionQuantity).isZero();
        assertThat(rest.dayRealizedPnl).isCloseTo(-8 + 6.49993 + 52.49973, within(1e-9));
    }

    @Test
    void shouldReverseAndExitFirstWhenAnOppositeEntryArrives() {
        route(alert(Action.OPEN, Side.SELL, "ACME", 2, 50));             // fill 49.74997
        RingEvent buy = route(alert(Action.OPEN, Side.BUY, "ACME", 1, 40));

        // buys 3 (2 to cover, 1 to open) at 40 + 0.25 + min(0.00001 + 0.00003, 0.00005) = 40.25004
        assertThat(buy.filledQuantity).isEqualTo(3.0);
        assertThat(buy.fillPrice).isCloseTo(40.25004, within(1e-9));
        assertThat(buy.realizedPnl).isCloseTo((49.74997 - 40.25004) * 2 - 6, within(1e-9));
        assertThat(buy.positionQuantity).isEqualTo(1.0);
        RingEvent reverse = route(alert(Action.REVERSE, Side.SELL, "ACME", 2, 41));
        assertThat(reverse.filledQuantity).isEqualTo(-3.0);
        assertThat(reverse.positionQuantity).isEqualTo(-2.0);
    }

    @Test
    void shouldCloseEveryPositionAtItsLastPriceWithCloseAll() {
        route(alert(Action.OPEN, Side.BUY, "ACME", 1, 100));     // fill 100.25002
        route(alert(Action.OPEN, Side.SELL, "EURUSD", 1, 1.085)); // fill 1.08488
        route(alert(Action.CLOSE_SHORT, null, "ACME", 0, 101));   // nothing short: only records ACME at 101

        RingEvent all = route(alert(Action.CLOSE_ALL, null, "", 0, 0));

        // ACME (not in the table: 1 per point) sells 1 at 101 − 0.25002 = 100.74998: +0.49996 − 3;
        // EURUSD buys 1 lot at 1.085 + 0.00012 = 1.08512: −0.00024 × 100 000 per point = −24, − 3
        assertThat(all.realizedPnl).isCloseTo(0.49996 - 3 - 24 - 3, within(1e-6));
        assertThat(all.symbol.isEmpty()).as("a close-all names no single symbol").isTrue();
        assertThat(all.commission).isEqualTo(6.0);
        assertThat(state.account(7).openPositions()).isZero();
    }

    @Test
    void shouldSizeByRiskWithThePaperEquityAndRoundToTheLotStep() {
        RingEvent e = alert(Action.OPEN, Side.BUY, "EURUSD", 0.5, 1.08500);
        e.sizeMode = SizeMode.RISK_PERCENT;
        e.stopLossMode = StopMode.PIPS;
        e.stopLossValue = 30;

        route(e);

        // 0.5 % of 100 000 = 500; 30 pips = 0.0030 × 100 000 = 300 per lot → 1.666… → 1.66 lots
        assertThat(e.filledQuantity).isEqualTo(1.66);
        // 1.085 + 0.0001 half spread + 0.00001 + 0.00001 × 1.66
        assertThat(e.fillPrice).isCloseTo(1.0851266, within(1e-12));
        assertThat(e.commission).isCloseTo(3.32, within(1e-12));
    }

    @Test
    void shouldAnswerCancelWithoutTouchingThePosition() {
        route(alert(Action.OPEN, Side.BUY, "ACME", 1, 100));

        RingEvent cancel = route(alert(Action.CANCEL, null, "ACME", 0, 0));

        assertThat(cancel.orderId).isZero();
        assertThat(state.positions().quantity(7, state.symbols().intern("ACME"))).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseAnEntryWhoseMarginExceedsTheEquityAtTheConfiguredLeverage() {
        PaperConfig leveraged = new PaperConfig(100_000, 0, 0, 0, Map.of(), 0, 0, 0, 30);
        RoutingPipeline withMargin = new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new PaperBroker(leveraged))));

        // 28 lots × 1.085 × 100 000 = 3 038 000 notional ÷ 30 = 101 266.67 > 100 000 equity
        RingEvent tooBig = alert(Action.OPEN, Side.BUY, "EURUSD", 28, 1.085);
        withMargin.process(tooBig);
        // 27 lots: 2 929 500 ÷ 30 = 97 650 ≤ 100 000
        RingEvent fits = alert(Action.OPEN, Side.BUY, "EURUSD", 27, 1.085);
        withMargin.process(fits);

        assertThat(tooBig.outcome).isEqualTo(Outcome.RISK_REJECTED);
        assertThat(tooBig.field).isEqualTo("margin");
        assertThat(tooBig.reason).contains("leverage 30");
        assertThat(fits.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(fits.filledQuantity).isEqualTo(27.0);

        // A further 200 units of ACME at 50 add 10 000 notional: (2 929 500 + 10 000) ÷ 30 = 97 983.33 ≤ 100 000.
        RingEvent more = alert(Action.OPEN, Side.BUY, "ACME", 200, 50);
        withMargin.process(more);
        assertThat(more.outcome).isEqualTo(Outcome.ACCEPTED);
        RingEvent over = alert(Action.OPEN, Side.BUY, "SPY", 1000, 110);   // + 110 000 ÷ 30 = 3 666.67 → 101 650
        withMargin.process(over);
        assertThat(over.outcome).isEqualTo(Outcome.RISK_REJECTED);
        assertThat(over.field).isEqualTo("margin");
        // Reducing exposure never needs margin.
        RingEvent exit = alert(Action.CLOSE, null, "EURUSD", 0, 1.2);
        withMargin.process(exit);
        assertThat(exit.outcome).isEqualTo(Outcome.ACCEPTED);
    }
}
