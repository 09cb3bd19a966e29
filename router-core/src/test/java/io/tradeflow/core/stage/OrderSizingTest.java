package io.tradeflow.core.stage;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.KEY;
import static io.tradeflow.core.stage.PipelineFixture.OPEN_LIMITS;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.state.AlertSettingsDefaults;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every size mode and every stop-loss mode that risk sizing reads, against numbers worked out by
 * hand. Equity is 100 000; fills are at the alert's price.
 */
final class OrderSizingTest {
    private static final Map<String, InstrumentSpec> TABLE = Map.of(
            "EURUSD", InstrumentSpec.parse("EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50"),
            "XAUUSD", InstrumentSpec.parse("XAUUSD contract=100 pip=0.1 tick=0.01 tick-value=1 step=0.01 min=0.01 max=50"),
            "ES", InstrumentSpec.parse("ES contract=50 pip=0.25 tick=0.25 tick-value=12.5 step=1 min=1 max=100"),
            "MNQ", InstrumentSpec.parse("MNQ contract=2 pip=0.25 tick=0.25 tick-value=0.5 step=1 min=1 max=500"));

    private final RouterState state = new RouterState(OPEN_LIMITS, AlertSettingsDefaults.NONE, TABLE, 100_000);
    private final RoutingPipeline pipeline = new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
            new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));

    OrderSizingTest() {
        state.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        state.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
    }

    private RingEvent open(Side side, String symbol, double price, SizeMode mode, double value, StopMode sl, double slValue) {
        RingEvent e = Events.open(KEY, T0, side, symbol, value, price);
        e.sizeMode = mode;
        e.stopLossMode = sl;
        e.stopLossValue = slValue;
        pipeline.process(e);
        return e;
    }

    static Stream<Arguments> handComputed() {
        return Stream.of(
                // qty rounds down to the lot step: 0.129 → 0.12
                Arguments.of("qty rounded to the step", Side.BUY, "EURUSD", 1.08, SizeMode.QTY, 0.129, StopMode.NONE, 0, 0.12),
                // notional 10 800 / (1.08 × 100 000) = 0.1 lot
                Arguments.of("notional", Side.BUY, "EURUSD", 1.08, SizeMode.NOTIONAL, 10_800, StopMode.NONE, 0, 0.10),
                // 10 % of 100 000 = 10 000 / (2 500 × 100) = 0.04 lot of gold
                Arguments.of("percent of equity", Side.BUY, "XAUUSD", 2500, SizeMode.PERCENT_EQUITY, 10, StopMode.NONE, 0, 0.04),
                // 1 % = 1 000 at risk; 20 pips = 0.0020 × 100 000 per lot = 200 per lot → 5 lots
                Arguments.of("risk percent, pips", Side.BUY, "EURUSD", 1.08, SizeMode.RISK_PERCENT, 1, StopMode.PIPS, 20, 5.0),
                // 0.5 % = 500; stop at 1.0830 is 0.0030 below a buy at 1.0860 → 300 per lot → 1.666… → 1.66
                Arguments.of("risk percent, price", Side.BUY, "EURUSD", 1.086, SizeMode.RISK_PERCENT, 0.5, StopMode.PRICE, 1.083, 1.66),
                // a sell's stop above: 2 510 − 2 500 = 10 × 100 per lot = 1 000 per lot; 1 % = 1 000 → 1 lot
                Arguments.of("risk percent, price, sell", Side.SELL, "XAUUSD", 2500, SizeMode.RISK_PERCENT, 1, StopMode.PRICE, 2510, 1.0),
                // 500 at risk; 8 ticks of ES = 8 × 12.5 = 100 per contract → 5 contracts
                Arguments.of("risk amount, ticks", Side.BUY, "ES", 5900, SizeMode.RISK_AMOUNT, 500, StopMode.TICKS, 8, 5.0),
                // 250 at risk; 1 % of 21 000 = 210 points × 2 per point = 420 per contract → 0.59 → below the minimum of 1
                Arguments.of("risk amount, percent stop: below the minimum", Side.BUY, "MNQ", 21000, SizeMode.RISK_AMOUNT, 250,
                        StopMode.PERCENT, 1, -1),
                // 2 000 at risk; offset 5.0 × 100 per lot = 500 per lot → 4 lots
                Arguments.of("risk amount, offset", Side.SELL, "XAUUSD", 2650, SizeMode.RISK_AMOUNT, 2000, StopMode.OFFSET, 5, 4.0),
                // 60 lots asked, table max 50
                Arguments.of("above the maximum", Side.BUY, "EURUSD", 1.08, SizeMode.QTY, 60, StopMode.NONE, 0, -1),
                // a fixed quantity of an instrument the table does not know passes unrounded
                Arguments.of("unknown instrument, qty", Side.BUY, "ACME", 12.5, SizeMode.QTY, 3.333, StopMode.NONE, 0, 3.333),
                // notional of an unknown instrument counts one unit per lot: 1 000 / 12.5 = 80
                Arguments.of("unknown instrument, notional", Side.BUY, "ACME", 12.5, SizeMode.NOTIONAL, 1_000, StopMode.NONE, 0, 80.0),
                // broker suffix and dated contract find their instrument: 2 × 12.5 per contract per tick, 250 / (4 × 12.5) = 5
                Arguments.of("dated contract ESZ6", Side.BUY, "ESZ6", 5900, SizeMode.RISK_AMOUNT, 250, StopMode.TICKS, 4, 5.0),
                Arguments.of("suffixed EURUSD.M", Side.BUY, "EURUSD.M", 1.08, SizeMode.RISK_PERCENT, 1, StopMode.PIPS, 20, 5.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handComputed")
    void shouldSizeTheEntryAsComputedByHand(String name, Side side, String symbol, double price, SizeMode mode,
                                            double value, StopMode sl, double slValue, double expectedLots) {
        RingEvent e = open(side, symbol, price, mode, value, sl, slValue);

        if (expectedLots < 0) {
            assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
            assertThat(e.field).isEqualTo(mode == SizeMode.QTY ? "qty" : "size");
            assertThat(e.reason).containsAnyOf("below its minimum", "above its maximum");
            assertThat(e.orderId).isZero();
        } else {
            assertThat(e.outcome).as("%s: %s", e.field, e.reason).isEqualTo(Outcome.ACCEPTED);
            assertThat(Math.abs(e.filledQuantity)).isCloseTo(expectedLots, within(1e-9));
            assertThat(e.filledQuantity).isEqualTo(side.sign() * Math.abs(e.filledQuantity));
            assertThat(e.fillPrice).isEqualTo(price);
            assertThat(e.quantity).as("the alert's own value is kept for the log").isEqualTo(value);
        }
    }

    @Test
    void shouldSizeByTheEquityIncludingWhatTheAccountRealised() {
        RingEvent first = open(Side.BUY, "ACME", 100, SizeMode.QTY, 100, StopMode.NONE, 0);
        RingEvent close = Events.exit(KEY, T0 + 1, Action.CLOSE, "ACME", 150);
        pipeline.process(close);
        assertThat(first.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.realizedPnl).isEqualTo(5_000.0);
        assertThat(close.accountRealizedPnl).isEqualTo(5_000.0);

        // 10 % of 105 000 = 10 500 / 150 = 70 units
        RingEvent sized = open(Side.BUY, "ACME", 150, SizeMode.PERCENT_EQUITY, 10, StopMode.NONE, 0);

        assertThat(sized.filledQuantity).isEqualTo(70.0);
    }

    @Test
    void shouldRefuseRiskSizingForAnInstrumentOutsideTheTable() {
        RingEvent e = open(Side.BUY, "ACME", 12.5, SizeMode.RISK_PERCENT, 1, StopMode.PIPS, 10);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("sl");
        assertThat(e.reason).contains("instrument table");
        RingEvent byPercent = open(Side.BUY, "ACME", 12.5, SizeMode.RISK_PERCENT, 1, StopMode.PERCENT, 10);
        assertThat(byPercent.field).isEqualTo("size");
        assertThat(byPercent.reason).contains("not in the instrument table");
    }

    static Stream<Arguments> stopAndTargetModes() {
        return Stream.of(
                // EURUSD long filled at 1.08500: 20 pips = 0.0020
                Arguments.of(Side.BUY, StopMode.PIPS, 20, StopMode.PIPS, 40, 1.0830, 1.0890),
                Arguments.of(Side.BUY, StopMode.PRICE, 1.0820, StopMode.PRICE, 1.0900, 1.0820, 1.0900),
                // 50 ticks of 0.00001 = 0.0005; tp 2 × the stop distance (0.0005) = 0.0010
                Arguments.of(Side.BUY, StopMode.TICKS, 50, StopMode.RR, 2, 1.0845, 1.0860),
                // short: 1 % of 1.085 = 0.01085 above, 0.5 % = 0.005425 below
                Arguments.of(Side.SELL, StopMode.PERCENT, 1, StopMode.PERCENT, 0.5, 1.09585, 1.079575),
                Arguments.of(Side.SELL, StopMode.OFFSET, 0.003, StopMode.OFFSET, 0.006, 1.088, 1.079),
                // trailing 15 pips starts 0.0015 away; rr 3 of that is 0.0045
                Arguments.of(Side.SELL, StopMode.TRAIL, 15, StopMode.RR, 3, 1.0865, 1.0805));
    }

    @ParameterizedTest(name = "{0} sl {1} {2}, tp {3} {4}")
    @MethodSource("stopAndTargetModes")
    void shouldResolveEveryStopAndTargetModeToAPriceFromTheFill(Side side, StopMode sl, double slValue, StopMode tp,
                                                                  double tpValue, double stopPrice, double targetPrice) {
        RingEvent e = Events.open(KEY, T0, side, "EURUSD", 1, 1.085);
        e.stopLossMode = sl;
        e.stopLossValue = slValue;
        e.takeProfitMode = tp;
        e.takeProfitValue = tpValue;

        pipeline.process(e);

        assertThat(e.outcome).as("%s: %s", e.field, e.reason).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.positionStopLoss).isCloseTo(stopPrice, within(1e-9));
        assertThat(e.positionTakeProfit).isCloseTo(targetPrice, within(1e-9));
        assertThat(state.positions().get(ACCOUNT, state.symbols().intern("EURUSD")).stopLoss()).isCloseTo(stopPrice, within(1e-9));
    }

    @Test
    void shouldModifyTheStopAndTargetOfTheOpenPositionFromItsAveragePrice() {
        pipeline.process(Events.open(KEY, T0, Side.BUY, "EURUSD", 2, 1.0800));
        RingEvent add = Events.add(KEY, T0 + 1, Side.BUY, "EURUSD", 2, 1.0900);
        add.stopLossMode = StopMode.PRICE;
        add.stopLossValue = 1.0700;
        pipeline.process(add);
        assertThat(add.positionStopLoss).isEqualTo(1.07);
        assertThat(add.positionTakeProfit).isZero();

        RingEvent modify = Events.exit(KEY, T0 + 2, Action.MODIFY, "EURUSD", 0);
        modify.side = Side.BUY;
        modify.takeProfitMode = StopMode.PIPS;
        modify.takeProfitValue = 100;
        pipeline.process(modify);

        // average 1.0850; tp 100 pips above it; the stop stays
        assertThat(modify.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(modify.orderId).isZero();
        assertThat(modify.positionTakeProfit).isCloseTo(1.0950, within(1e-9));
        assertThat(modify.positionStopLoss).isEqualTo(1.07);
        RingEvent wrongSide = Events.exit(KEY, T0 + 3, Action.MODIFY, "EURUSD", 0);
        wrongSide.side = Side.SELL;
        wrongSide.stopLossMode = StopMode.PIPS;
        wrongSide.stopLossValue = 10;
        pipeline.process(wrongSide);
        assertThat(wrongSide.reason).isEqualTo("no open short position to modify");
        assertThat(state.positions().get(ACCOUNT, state.symbols().intern("EURUSD")).takeProfit()).isCloseTo(1.0950, within(1e-9));

        // Closing clears the protection.
        pipeline.process(Events.exit(KEY, T0 + 4, Action.CLOSE, "EURUSD", 1.09));
        assertThat(state.positions().get(ACCOUNT, state.symbols().intern("EURUSD")).stopLoss()).isZero();
    }

    @Test
    void shouldApplyTheAccountsMaxQuantityToTheSizedQuantity() {
        RingEvent e = open(Side.BUY, "ACME", 1, SizeMode.NOTIONAL, 5_000, StopMode.NONE, 0);

        assertThat(e.outcome).isEqualTo(Outcome.RISK_REJECTED);
        assertThat(e.field).isEqualTo(RiskStage.RULE_MAX_QUANTITY);
    }
}
