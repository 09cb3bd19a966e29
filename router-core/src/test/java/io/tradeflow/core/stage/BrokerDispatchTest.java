package io.tradeflow.core.stage;

import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.JournalCodec;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.BrokerGateway;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.Venues;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A TradeLocker account behind the real pipeline: dispatch hands orders to a gateway, fills come back as reports. */
class BrokerDispatchTest {
    private static final long ACCOUNT = 11;
    private static final long USER = 110;
    private static final String KEY = "tf_live_broker_key_0123456789abcd";
    private static final long T0 = PipelineFixture.T0;

    /** A gateway that keeps what it was handed, and can refuse like a broker with an open circuit. */
    private static final class HandedOrders implements BrokerGateway {
        final List<double[]> orders = new ArrayList<>();
        final List<String> symbols = new ArrayList<>();
        final List<String> managed = new ArrayList<>();
        String refuseWith;
        double equity = Double.NaN;
        io.tradeflow.config.InstrumentSpec spec;

        @Override
        public boolean sizesByEquityOrRisk(long accountId) {
            return true;
        }

        @Override
        public double brokerEquity(long accountId) {
            return equity;
        }

        @Override
        public io.tradeflow.config.InstrumentSpec brokerInstrument(long accountId, RingEvent event) {
            return spec;
        }

        @Override
        public boolean submit(RingEvent event, double signedQuantity) {
            if (refuseWith != null) {
                event.reject(Outcome.BROKER_ERROR, "broker", refuseWith);
                return false;
            }
            orders.add(new double[] {event.orderId, signedQuantity, event.orderType.ordinal()});
            symbols.add(event.symbol.toString());
            return true;
        }

        @Override
        public boolean modify(RingEvent event, double stopLoss, double takeProfit) {
            managed.add("modify " + event.symbol + " " + stopLoss + " " + takeProfit);
            return true;
        }

        @Override
        public boolean cancel(RingEvent event) {
            managed.add("cancel " + event.symbol + " " + event.side);
            return true;
        }
    }

    private final HandedOrders gateway = new HandedOrders();
    private final List<RingEvent> journal = new ArrayList<>();
    private final RouterState state = newState();
    private final RoutingPipeline pipeline = pipeline(state, gateway);

    private static RouterState newState() {
        RouterState s = new RouterState(PipelineFixture.OPEN_LIMITS);
        s.putAccount(ACCOUNT, USER, BrokerKind.TRADELOCKER, true, T0 - Duration.ofDays(1).toMillis(), false, 0);
        s.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
        return s;
    }

    private static RoutingPipeline pipeline(RouterState state, BrokerGateway gateway) {
        return new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())),
                new BrokerGateways(Map.of(BrokerKind.TRADELOCKER, gateway)));
    }

    private RingEvent process(RingEvent e) {
        pipeline.process(e);
        journal.add(Events.copyOf(e));
        return e;
    }

    private static RingEvent report(ReportKind kind, long at, long orderId, String symbol, double qty, double price) {
        RingEvent e = new RingEvent();
        e.type = EventType.BROKER_REPORT;
        e.receivedAtMillis = at;
        e.reportKind = kind;
        e.accountId = ACCOUNT;
        e.orderId = orderId;
        e.symbol.set(symbol);
        e.brokerOrderId.set("1001");
        if (kind == ReportKind.POSITION_CHECK) {
            e.quantity = qty;
        } else {
            e.filledQuantity = qty;
            e.fillPrice = price;
        }
        return e;
    }

    private double quantity(RouterState s, String symbol) {
        return s.positions().quantity(ACCOUNT, s.symbols().intern(symbol));
    }

    @Test
    void shouldAnswerSubmittedAndMoveThePositionOnlyWhenTheFillArrives() {
        RingEvent open = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 2, 1.08));

        assertThat(open.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(open.reason).isEqualTo(DispatchStage.SUBMITTED);
        assertThat(open.orderId).isPositive();
        assertThat(gateway.orders).singleElement().satisfies(o -> {
            assertThat((long) o[0]).isEqualTo(open.orderId);
            assertThat(o[1]).isEqualTo(2);
        });
        assertThat(quantity(state, "EURUSD")).isZero();
        assertThat(state.user(USER).tradesUsed()).isEqualTo(1);

        RingEvent fill = process(report(ReportKind.FILLED, T0 + 50, open.orderId, "EURUSD", 2, 1.0851));

        assertThat(fill.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(fill.userId).isEqualTo(USER);
        assertThat(fill.positionQuantity).isEqualTo(2);
        assertThat(fill.positionAveragePrice).isEqualTo(1.0851);
        assertThat(quantity(state, "EURUSD")).isEqualTo(2);
    }

    @Test
    void shouldCloseAgainstTheBrokerFilledPositionAndBookRealisedPnl() {
        RingEvent open = process(Events.open(KEY, T0, Side.SELL, "XAUUSD", 1, 2650));
        process(report(ReportKind.FILLED, T0 + 1, open.orderId, "XAUUSD", -1, 2650));
        RingEvent close = process(Events.exit(KEY, T0 + 2, Action.CLOSE, "XAUUSD", 2640));

        assertThat(gateway.orders.get(1)[1]).isEqualTo(1);
        RingEvent fill = process(report(ReportKind.FILLED, T0 + 3, close.orderId, "XAUUSD", 1, 2640));

        assertThat(fill.realizedPnl).isEqualTo(10);
        assertThat(fill.dayRealizedPnl).isEqualTo(10);
        assertThat(quantity(state, "XAUUSD")).isZero();
    }

    @Test
    void shouldPassLimitOrdersToTheBrokerButRequireTheirPrice() {
        RingEvent limit = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 1.07);
        limit.orderType = OrderType.LIMIT;
        process(limit);
        RingEvent noPrice = Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 0);
        noPrice.orderType = OrderType.STOP;
        process(noPrice);

        assertThat(limit.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(gateway.orders).singleElement().satisfies(o -> assertThat((int) o[2]).isEqualTo(OrderType.LIMIT.ordinal()));
        assertThat(noPrice.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(noPrice.field).isEqualTo("price");
    }

    @Test
    void shouldRefuseFastWhenTheGatewayCannotTakeTheOrder() {
        gateway.refuseWith = "tradelocker unavailable (circuit open)";

        RingEvent open = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 1.08));

        assertThat(open.outcome).isEqualTo(Outcome.BROKER_ERROR);
        assertThat(open.reason).contains("circuit open");
        assertThat(open.orderId).isZero();
        assertThat(state.user(USER).tradesUsed()).isZero();
    }

    @Test
    void shouldRecordTheBrokersRefusalWithItsReason() {
        RingEvent open = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 1.08));
        RingEvent rejected = report(ReportKind.REJECTED, T0 + 5, open.orderId, "EURUSD", 0, 0);
        rejected.reason = "tradelocker order rejected: Insufficient margin";

        process(rejected);

        assertThat(rejected.outcome).isEqualTo(Outcome.BROKER_ERROR);
        assertThat(rejected.reason).contains("Insufficient margin");
        assertThat(quantity(state, "EURUSD")).isZero();
    }

    @Test
    void shouldRecordDriftWhenTheBrokersPositionDiffers() {
        RingEvent open = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 1.08));
        process(report(ReportKind.FILLED, T0 + 1, open.orderId, "EURUSD", 1, 1.08));

        RingEvent same = process(report(ReportKind.POSITION_CHECK, T0 + 2, 0, "EURUSD", 1, 0));
        RingEvent drift = process(report(ReportKind.POSITION_CHECK, T0 + 3, 0, "EURUSD", 3, 0));

        assertThat(BrokerReportStage.isDrift(same)).isFalse();
        assertThat(BrokerReportStage.isDrift(drift)).isTrue();
        assertThat(drift.positionQuantity).isEqualTo(1);
        assertThat(quantity(state, "EURUSD")).isEqualTo(1);
    }

    @Test
    void shouldRebuildTheSameStateFromTheJournaledReports() {
        RingEvent a = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 2, 1.08));
        process(report(ReportKind.FILLED, T0 + 1, a.orderId, "EURUSD", 1.5, 1.0800));
        process(report(ReportKind.FILLED, T0 + 2, a.orderId, "EURUSD", 0.5, 1.0810));
        RingEvent b = process(Events.exit(KEY, T0 + 3, Action.CLOSE, "EURUSD", 1.09));
        process(report(ReportKind.FILLED, T0 + 4, b.orderId, "EURUSD", -1, 1.0900));

        RouterState rebuilt = newState();
        RoutingPipeline replaying = pipeline(rebuilt, new HandedOrders());
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(512);
        RingEvent decoded = new RingEvent();
        for (RingEvent recorded : journal) {
            bytes.clear();
            JournalCodec.write(recorded, bytes);
            JournalCodec.read(bytes, decoded);
            assertThat(decoded.reportKind).isEqualTo(recorded.reportKind);
            assertThat(decoded.brokerOrderId.toString()).isEqualTo(recorded.brokerOrderId.toString());
            replaying.replay().apply(decoded);
        }

        assertThat(quantity(rebuilt, "EURUSD")).isEqualTo(quantity(state, "EURUSD")).isEqualTo(1);
        assertThat(rebuilt.positions().get(ACCOUNT, rebuilt.symbols().intern("EURUSD")).averagePrice())
                .isEqualTo(state.positions().get(ACCOUNT, state.symbols().intern("EURUSD")).averagePrice());
        assertThat(rebuilt.account(ACCOUNT).realizedPnlOn(rebuilt.account(ACCOUNT).rules().tradingDay(T0)))
                .isEqualTo(state.account(ACCOUNT).realizedPnlOn(state.account(ACCOUNT).rules().tradingDay(T0)));
        assertThat(rebuilt.lastOrderId()).isEqualTo(state.lastOrderId());
    }

    @Test
    void shouldHandEveryOpenPositionToTheBrokerAsAnExitOnCloseAllAndBookThemAsTheyFill() {
        RingEvent a = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 2, 1.08));
        process(report(ReportKind.FILLED, T0 + 1, a.orderId, "EURUSD", 2, 1.08));
        RingEvent b = process(Events.open(KEY, T0 + 2, Side.SELL, "XAUUSD", 1, 2650));
        process(report(ReportKind.FILLED, T0 + 3, b.orderId, "XAUUSD", -1, 2650));

        RingEvent closeAll = process(Events.exit(KEY, T0 + 4, Action.CLOSE_ALL, "EURUSD", 0));

        assertThat(closeAll.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(closeAll.reason).contains("close of 2 positions").contains(DispatchStage.SUBMITTED);
        assertThat(gateway.orders).hasSize(4);
        assertThat(gateway.symbols.subList(2, 4)).containsExactlyInAnyOrder("EURUSD", "XAUUSD");
        double[] eurExit = gateway.orders.get(2 + gateway.symbols.subList(2, 4).indexOf("EURUSD"));
        double[] xauExit = gateway.orders.get(2 + gateway.symbols.subList(2, 4).indexOf("XAUUSD"));
        assertThat(eurExit[1]).isEqualTo(-2);
        assertThat(xauExit[1]).isEqualTo(1);
        assertThat((long) eurExit[0]).isNotEqualTo((long) xauExit[0]);
        assertThat(closeAll.orderId).isEqualTo((long) Math.max(eurExit[0], xauExit[0]));
        // Nothing moves until the broker reports the fills.
        assertThat(quantity(state, "EURUSD")).isEqualTo(2);
        int closeAllRecord = journal.size();

        process(report(ReportKind.FILLED, T0 + 5, (long) eurExit[0], "EURUSD", -2, 1.09));
        process(report(ReportKind.FILLED, T0 + 6, (long) xauExit[0], "XAUUSD", 1, 2640));
        assertThat(quantity(state, "EURUSD")).isZero();
        assertThat(quantity(state, "XAUUSD")).isZero();

        // A replay up to the close_all record still holds both positions (it only handed exits over).
        RouterState rebuilt = newState();
        RoutingPipeline replaying = pipeline(rebuilt, new HandedOrders());
        for (int i = 0; i < closeAllRecord; i++) {
            replaying.replay().apply(Events.copyOf(journal.get(i)));
        }
        assertThat(quantity(rebuilt, "EURUSD")).isEqualTo(2);
        assertThat(quantity(rebuilt, "XAUUSD")).isEqualTo(-1);
        assertThat(rebuilt.lastOrderId()).isEqualTo(closeAll.orderId);
        for (int i = closeAllRecord; i < journal.size(); i++) {
            replaying.replay().apply(Events.copyOf(journal.get(i)));
        }
        assertThat(quantity(rebuilt, "EURUSD")).isZero();
        assertThat(rebuilt.account(ACCOUNT).realizedTotal()).isEqualTo(state.account(ACCOUNT).realizedTotal()).isNotZero();
    }

    @Test
    void shouldSendModifyAndCancelToTheBroker() {
        RingEvent a = process(Events.open(KEY, T0, Side.BUY, "EURUSD", 2, 1.08));
        process(report(ReportKind.FILLED, T0 + 1, a.orderId, "EURUSD", 2, 1.08));
        RingEvent modify = Events.exit(KEY, T0 + 2, Action.MODIFY, "EURUSD", 1.08);
        modify.stopLossMode = io.tradeflow.core.event.StopMode.PRICE;
        modify.stopLossValue = 1.07;
        modify.takeProfitMode = io.tradeflow.core.event.StopMode.PRICE;
        modify.takeProfitValue = 1.10;

        process(modify);
        RingEvent cancel = process(Events.exit(KEY, T0 + 3, Action.CANCEL, "EURUSD", 1.08));

        assertThat(modify.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(modify.reason).isEqualTo(DispatchStage.MODIFY_SENT);
        assertThat(cancel.reason).isEqualTo(DispatchStage.CANCEL_SENT);
        assertThat(gateway.managed).containsExactly("modify EURUSD 1.07 1.1", "cancel EURUSD null");
        assertThat(state.positions().get(ACCOUNT, state.symbols().intern("EURUSD")).stopLoss()).isEqualTo(1.07);
    }

    private static RingEvent riskPercent(long at, double percent, double stopLoss) {
        RingEvent e = Events.open(KEY, at, Side.BUY, "EURUSD", percent, 1.0850);
        e.sizeMode = io.tradeflow.core.event.SizeMode.RISK_PERCENT;
        e.stopLossMode = io.tradeflow.core.event.StopMode.PRICE;
        e.stopLossValue = stopLoss;
        return e;
    }

    @Test
    void shouldSizeByRiskFromTheBrokersEquityAndSpecOrRefuseUntilTheyAreLoaded() {
        RingEvent early = process(riskPercent(T0, 1, 1.0830));
        assertThat(early.outcome).isEqualTo(Outcome.BROKER_ERROR);
        assertThat(early.reason).contains("not loaded yet").contains("retry");
        gateway.spec = io.tradeflow.config.InstrumentSpec.parse(
                "EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=100");
        RingEvent noBalance = process(riskPercent(T0 + 1, 1, 1.0830));
        assertThat(noBalance.reason).contains("balance is not loaded");
        assertThat(gateway.orders).isEmpty();

        gateway.equity = 2024.75;
        RingEvent sized = process(riskPercent(T0 + 2, 1, 1.0830));

        // 20.2475 at risk over a 0.0020 stop at 100 000 per lot and point: 0.101 → 0.10 (the 0.01 step, rounded down).
        assertThat(sized.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(gateway.orders).singleElement().satisfies(o -> assertThat(o[1]).isEqualTo(0.1));
        assertThat(sized.reason).contains("0.1 lots (risk_percent)").endsWith(DispatchStage.SUBMITTED);
    }
}
