package io.tradeflow.broker.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.PaperConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.stage.DispatchStage;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.PendingOrder;
import io.tradeflow.core.state.Position;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.RouterStateDigest;
import io.tradeflow.core.venue.Venues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pending limit and stop orders, stop losses, take profits and trailing stops of paper accounts,
 * triggered by later prices through the real routing handler, paper broker and Chronicle journal;
 * every fill is a TRIGGERED record and a replay of the journal rebuilds the same state. Costs as in
 * {@link PaperExecutionTest}: EURUSD half spread 0.0001, slippage 0.00001 + 0.00001 per lot, commission
 * 2 per lot with a minimum of 3, point value 100 000.
 */
final class PaperTriggerTest {
    private static final String KEY_A = "tf_live_triggerKeyA0123456789abcdef";
    private static final String KEY_B = "tf_live_triggerKeyB0123456789abcdef";
    private static final long A = 7;
    private static final long B = 8;
    private static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    private static final PaperConfig COSTS = new PaperConfig(100_000, 0.5, 0.00001, 2, Map.of("EURUSD", 0.0002), 0.00001,
            0.00005, 3, 0);
    private static final double EPS = 1e-9;

    @TempDir
    Path dir;

    private RouterState state;
    private RoutingPipeline pipeline;
    private ChronicleJournal journal;
    private RoutingHandler handler;
    private final List<RingEvent> journaled = new ArrayList<>();
    private long now = T0;
    private long sequence;

    private static RouterState newState() {
        RouterState s = new RouterState(
                new RiskLimits(1000, 0, 20, "", ZoneId.of("UTC"), List.of(), 10_000, Duration.ofMinutes(1)),
                new AlertSettings(1, Duration.ZERO, Duration.ZERO, Duration.ofHours(1), Map.of(), ""),
                Map.of("EURUSD", InstrumentSpec.parse(
                        "EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50")),
                COSTS.startingBalance());
        s.putAccount(A, 70, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        s.putAccount(B, 80, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        s.keys().add(KeyHasher.sha256(KEY_A), A);
        s.keys().add(KeyHasher.sha256(KEY_B), B);
        return s;
    }

    private static RoutingPipeline newPipeline(RouterState s) {
        return new RoutingPipeline(s, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new PaperBroker(COSTS))));
    }

    PaperTriggerTest() {
        start(newState());
    }

    private void start(RouterState s) {
        state = s;
        pipeline = newPipeline(s);
    }

    private void openJournal() {
        journal = new ChronicleJournal(dir, JournalSync.NONE);
        handler = new RoutingHandler(pipeline, journal, e -> journaled.add(copy(e)));
    }

    @AfterEach
    void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    private static RingEvent copy(RingEvent e) {
        RingEvent c = new RingEvent();
        c.copyFrom(e);
        return c;
    }

    private RingEvent alert(String key, Action action, Side side, double qty, double price) {
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        e.receivedAtMillis = ++now;
        e.receivedAtNanos = System.nanoTime();
        System.arraycopy(KeyHasher.sha256(key), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        e.keyPresent = true;
        e.action = action;
        e.side = side;
        e.symbol.set("EURUSD");
        e.quantity = qty;
        e.price = price;
        return e;
    }

    private RingEvent pending(String key, Side side, OrderType type, double orderPrice, double reference) {
        RingEvent e = alert(key, Action.OPEN, side, 1, reference);
        e.orderType = type;
        e.orderPrice = orderPrice;
        return e;
    }

    /** Handles the event as the ring consumer does; returns the TRIGGERED records it journaled. */
    private List<RingEvent> handle(RingEvent e) {
        if (handler == null) {
            openJournal();
        }
        int before = journaled.size();
        handler.onEvent(e, sequence++, true);
        List<RingEvent> records = journaled.subList(before, journaled.size());
        assertThat(records.get(0).type).isEqualTo(e.type);
        return List.copyOf(records.subList(1, records.size()));
    }

    private RingEvent accepted(RingEvent e) {
        handle(e);
        assertThat(e.outcome).as("%s: %s", e.field, e.reason).isEqualTo(Outcome.ACCEPTED);
        return e;
    }

    private List<RingEvent> price(double price) {
        RingEvent e = new RingEvent();
        e.type = EventType.PRICE;
        e.receivedAtMillis = ++now;
        e.symbol.set("EURUSD");
        e.price = price;
        return handle(e);
    }

    private Position position(long account) {
        return state.positions().get(account, state.symbols().intern("EURUSD"));
    }

    private double quantity(long account) {
        return state.positions().quantity(account, state.symbols().intern("EURUSD"));
    }

    @Test
    void shouldKeepABuyLimitBelowTheMarketPendingAndFillItAtTheLimitWhenAPriceReachesIt() {
        RingEvent placed = accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));

        assertThat(placed.reason).isEqualTo(DispatchStage.PENDING);
        assertThat(placed.orderId).isEqualTo(1);
        assertThat(placed.pendingQuantity).isEqualTo(1);
        assertThat(placed.filledQuantity).isZero();
        assertThat(state.pendingOrders().size()).isEqualTo(1);
        assertThat(price(1.08200)).isEmpty();
        assertThat(quantity(A)).isZero();

        List<RingEvent> fills = price(1.08000);

        assertThat(fills).hasSize(1);
        RingEvent fill = fills.get(0);
        assertThat(fill.type).isEqualTo(EventType.TRIGGERED);
        assertThat(fill.orderId).as("the pending order's own id").isEqualTo(1);
        assertThat(fill.fillPrice).isEqualTo(1.08000);
        assertThat(fill.filledQuantity).isEqualTo(1);
        assertThat(fill.commission).isEqualTo(3);
        assertThat(fill.realizedPnl).isEqualTo(-3);
        assertThat(fill.positionQuantity).isEqualTo(1);
        assertThat(fill.reason).startsWith("limit order filled at 1.08");
        assertThat(state.pendingOrders().size()).isZero();
        assertThat(state.account(A).user().tradesUsed()).as("counted when filled, not when placed").isEqualTo(1);
    }

    @Test
    void shouldAnswerARepeatedIdempotencyKeyAsPendingWithoutPlacingASecondOrder() {
        RingEvent first = pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500);
        first.clientId.set("limit-1");
        accepted(first);
        RingEvent again = pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500);
        again.clientId.set("limit-1");
        accepted(again);

        assertThat(again.repeatOfIndex).isEqualTo(first.journalIndex);
        assertThat(again.orderId).isEqualTo(first.orderId);
        assertThat(again.pendingQuantity).as("answered as pending again").isEqualTo(1);
        assertThat(again.placedPendingOrder()).isFalse();
        assertThat(state.pendingOrders().size()).isEqualTo(1);
    }

    @Test
    void shouldFillAtTheBetterPriceWhenThePriceGapsThroughTheLimit() {
        accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));
        accepted(pending(KEY_B, Side.SELL, OrderType.LIMIT, 1.09000, 1.08500));

        assertThat(price(1.07900)).singleElement().satisfies(f -> assertThat(f.fillPrice).isEqualTo(1.07900));
        assertThat(price(1.09100)).singleElement().satisfies(f -> {
            assertThat(f.fillPrice).isEqualTo(1.09100);
            assertThat(f.filledQuantity).isEqualTo(-1);
        });
        assertThat(quantity(B)).isEqualTo(-1);
    }

    @Test
    void shouldFillStopsAsMarketOrdersWithSpreadAndSlippage() {
        accepted(pending(KEY_A, Side.BUY, OrderType.STOP, 1.09000, 1.08500));
        accepted(pending(KEY_B, Side.SELL, OrderType.STOP, 1.08000, 1.08500));

        assertThat(price(1.08990)).isEmpty();
        // 1.09050 + 0.0001 half spread + 0.00002 slippage (0.00001 + 0.00001 × 1 lot)
        assertThat(price(1.09050)).singleElement().satisfies(f -> {
            assertThat(f.fillPrice).isCloseTo(1.09062, within(EPS));
            assertThat(f.reason).startsWith("stop order triggered at");
        });
        // 1.07950 − 0.00012
        assertThat(price(1.07950)).singleElement().satisfies(f -> assertThat(f.fillPrice).isCloseTo(1.07938, within(EPS)));
        assertThat(quantity(A)).isEqualTo(1);
        assertThat(quantity(B)).isEqualTo(-1);
    }

    @Test
    void shouldFillAMarketableLimitAtOnceNeverWorseThanItsLimit() {
        RingEvent e = accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08505, 1.08500));

        // The market fill would be 1.08512; the limit caps it.
        assertThat(e.fillPrice).isEqualTo(1.08505);
        assertThat(e.filledQuantity).isEqualTo(1);
        assertThat(state.pendingOrders().size()).isZero();
    }

    @Test
    void shouldRefuseALimitWithoutAPrice() {
        RingEvent e = pending(KEY_A, Side.BUY, OrderType.LIMIT, 0, 1.08500);
        handle(e);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("price");
    }

    @Test
    void shouldCancelTheAccountsPendingOrdersOfTheSymbolAndSide() {
        accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));
        accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.07900, 1.08500));
        accepted(pending(KEY_A, Side.SELL, OrderType.LIMIT, 1.09000, 1.08500));
        accepted(pending(KEY_B, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));

        RingEvent buys = accepted(alert(KEY_A, Action.CANCEL, Side.BUY, 0, 0));
        assertThat(buys.reason).isEqualTo("cancelled 2 pending orders");
        RingEvent rest = accepted(alert(KEY_A, Action.CANCEL, null, 0, 0));
        assertThat(rest.reason).isEqualTo("cancelled 1 pending order");
        RingEvent none = accepted(alert(KEY_A, Action.CANCEL, null, 0, 0));
        assertThat(none.reason).isEqualTo("no pending orders to cancel");

        assertThat(state.pendingOrders().all()).singleElement()
                .satisfies(o -> assertThat(o.accountId()).as("another account's order stays").isEqualTo(B));
        assertThat(price(1.07000)).as("nothing of A's is left to fill").allSatisfy(f -> assertThat(f.accountId).isEqualTo(B));
    }

    @Test
    void shouldCancelPendingOrdersOnCloseAll() {
        accepted(alert(KEY_A, Action.OPEN, Side.BUY, 1, 1.08500));
        accepted(pending(KEY_A, Side.SELL, OrderType.LIMIT, 1.09000, 1.08500));

        RingEvent all = accepted(alert(KEY_A, Action.CLOSE_ALL, null, 0, 0));

        assertThat(all.reason).isEqualTo("closed 1 position; cancelled 1 pending orders");
        assertThat(state.pendingOrders().size()).isZero();
    }

    @Test
    void shouldCloseAtMarketWhenTheStopLossIsHit() {
        RingEvent open = alert(KEY_A, Action.OPEN, Side.BUY, 1, 1.08500);
        open.protection(true, StopMode.PRICE, 1.08000);
        accepted(open);
        assertThat(open.fillPrice).isCloseTo(1.08512, within(EPS));

        assertThat(price(1.08010)).isEmpty();
        RingEvent stop = price(1.08000).get(0);

        // Sold at 1.08000 − 0.00012 = 1.07988: 1 lot × (1.07988 − 1.08512) × 100 000 − 3 commission = −527
        assertThat(stop.fillPrice).isCloseTo(1.07988, within(EPS));
        assertThat(stop.realizedPnl).isCloseTo(-527, within(1e-6));
        assertThat(stop.reason).isEqualTo("stop loss hit at 1.08");
        assertThat(stop.orderId).as("a new order id").isEqualTo(2);
        assertThat(stop.positionQuantity).isZero();
        // Entry commission 3 + the stop's 527.
        assertThat(stop.dayRealizedPnl).isCloseTo(-530, within(1e-6));
        assertThat(stop.accountRealizedPnl).isCloseTo(-530, within(1e-6));
        // Only the alert's entry uses up the trial: the stop loss the router executed does not.
        assertThat(stop.tradesUsed).isEqualTo(1);
        assertThat(quantity(A)).isZero();
    }

    @Test
    void shouldCloseAShortAtTheTakeProfitPrice() {
        RingEvent open = alert(KEY_A, Action.OPEN, Side.SELL, 2, 1.08500);
        open.protection(false, StopMode.PRICE, 1.08000);
        accepted(open);
        // 1.08500 − 0.0001 − (0.00001 + 0.00002) = 1.08487
        assertThat(open.fillPrice).isCloseTo(1.08487, within(EPS));

        RingEvent target = price(1.07950).get(0);

        // Bought back at the target 1.08000: 2 lots × (1.08487 − 1.08000) × 100 000 − 4 commission = 970
        assertThat(target.fillPrice).isEqualTo(1.08000);
        assertThat(target.filledQuantity).isEqualTo(2);
        assertThat(target.commission).isEqualTo(4);
        assertThat(target.realizedPnl).isCloseTo(970, within(1e-6));
        assertThat(target.reason).isEqualTo("take profit hit at 1.08");
    }

    @Test
    void shouldTrailTheStopUpAndExitOnThePullbackAtTheTrailedLevel() {
        RingEvent open = alert(KEY_A, Action.OPEN, Side.BUY, 1, 1.08500);
        open.protection(true, StopMode.TRAIL, 20);
        accepted(open);
        // Filled 1.08512; 20 pips = 0.0020 below it.
        assertThat(position(A).stopLoss()).isCloseTo(1.08312, within(EPS));
        assertThat(position(A).trailDistance()).isCloseTo(0.0020, within(EPS));

        assertThat(price(1.08700)).isEmpty();
        assertThat(position(A).stopLoss()).isCloseTo(1.08500, within(EPS));
        assertThat(price(1.08900)).isEmpty();
        assertThat(position(A).stopLoss()).isCloseTo(1.08700, within(EPS));
        assertThat(price(1.08800)).as("a trail never moves back").isEmpty();
        assertThat(position(A).stopLoss()).isCloseTo(1.08700, within(EPS));

        RingEvent exit = price(1.08690).get(0);

        // Sold at 1.08690 − 0.00012 = 1.08678: (1.08678 − 1.08512) × 100 000 − 3 = 163
        assertThat(exit.fillPrice).isCloseTo(1.08678, within(EPS));
        assertThat(exit.realizedPnl).isCloseTo(163, within(1e-6));
        assertThat(exit.reason).startsWith("trailing stop hit at 1.08");
        assertThat(quantity(A)).isZero();
    }

    @Test
    void shouldTriggerOnlyTheSendingAccountFromAnAlertsPriceAndEveryAccountFromTheFeed() {
        accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));
        accepted(pending(KEY_B, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));
        RingEvent openB = alert(KEY_B, Action.OPEN, Side.SELL, 1, 1.08500);
        openB.orderType = OrderType.MARKET;
        accepted(openB);

        // A's alert (a close with nothing to close) carries 1.07900: only A's own order fills.
        RingEvent fromA = alert(KEY_A, Action.CLOSE, null, 0, 1.07900);
        List<RingEvent> fills = handle(fromA);

        assertThat(fromA.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(fills).singleElement().satisfies(f -> assertThat(f.accountId).isEqualTo(A));
        assertThat(state.pendingOrders().all()).singleElement().satisfies(o -> assertThat(o.accountId()).isEqualTo(B));

        // The feed's price reaches B's limit: the buy exits B's short and opens the long (2 bought).
        List<RingEvent> feed = price(1.07900);
        assertThat(feed).extracting(f -> f.accountId).containsExactly(B);
        assertThat(feed.get(0).filledQuantity).isEqualTo(2);
        assertThat(quantity(B)).isEqualTo(1);
    }

    @Test
    void shouldKeepAPendingOrderAcrossARestartAndFillItAfterwards() {
        accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));
        RingEvent trailing = alert(KEY_B, Action.OPEN, Side.BUY, 1, 1.08500);
        trailing.protection(true, StopMode.TRAIL, 20);
        accepted(trailing);
        price(1.08800);
        journal.close();
        journal = null;
        handler = null;

        start(newState());
        journal = new ChronicleJournal(dir, JournalSync.NONE);
        RingEvent e = new RingEvent();
        try (JournalReader reader = journal.readerAfter(0)) {
            while (reader.next(e)) {
                pipeline.replay().apply(e);
            }
        }
        pipeline.replay().finish();
        journal.close();
        journal = null;

        assertThat(state.pendingOrders().all()).singleElement().satisfies(o -> {
            assertThat(o.orderId()).isEqualTo(1);
            assertThat(o.price()).isEqualTo(1.08000);
        });
        assertThat(position(B).trailDistance()).isCloseTo(0.0020, within(EPS));
        assertThat(position(B).stopLoss()).as("trailed by the journaled price").isCloseTo(1.08600, within(EPS));

        openJournal();
        List<RingEvent> fills = price(1.07990);

        assertThat(fills).hasSize(2);
        assertThat(fills.get(0).orderId).isEqualTo(1);
        assertThat(fills.get(0).fillPrice).isEqualTo(1.07990);
        assertThat(fills.get(1).accountId).as("B's trailed stop").isEqualTo(B);
        assertThat(fills.get(1).orderId).as("ids continue after the restart").isEqualTo(3);
    }

    @Test
    void shouldReplayPendingFillsStopsAndTrailsToTheIdenticalState() {
        accepted(pending(KEY_A, Side.BUY, OrderType.LIMIT, 1.08000, 1.08500));
        RingEvent withStops = pending(KEY_A, Side.SELL, OrderType.STOP, 1.07500, 1.08500);
        withStops.protection(true, StopMode.TRAIL, 10);
        withStops.protection(false, StopMode.PIPS, 50);
        accepted(withStops);
        RingEvent b = alert(KEY_B, Action.OPEN, Side.BUY, 2, 1.08500);
        b.protection(true, StopMode.PRICE, 1.07600);
        b.protection(false, StopMode.PRICE, 1.09500);
        accepted(b);
        double[] path = {1.0830, 1.0800, 1.0790, 1.0760, 1.0740, 1.0720, 1.0735, 1.0760, 1.0800, 1.0960};
        int triggered = 0;
        for (double p : path) {
            triggered += price(p).size();
        }
        accepted(alert(KEY_A, Action.CANCEL, null, 0, 0));
        assertThat(triggered).as("limit, stop entry, stops and targets all fired").isGreaterThanOrEqualTo(4);
        String live = RouterStateDigest.of(state);
        List<String> pendingLive = state.pendingOrders().all().stream().map(PendingOrder::orderId).map(String::valueOf).toList();
        journal.close();
        journal = null;

        RouterState rebuilt = newState();
        RoutingPipeline replay = newPipeline(rebuilt);
        try (ChronicleJournal again = new ChronicleJournal(dir, JournalSync.NONE);
             JournalReader reader = again.readerAfter(0)) {
            RingEvent e = new RingEvent();
            while (reader.next(e)) {
                replay.replay().apply(e);
            }
        }
        replay.replay().finish();

        assertThat(RouterStateDigest.of(rebuilt)).isEqualTo(live);
        assertThat(rebuilt.pendingOrders().all().stream().map(PendingOrder::orderId).map(String::valueOf).toList())
                .isEqualTo(pendingLive);
        assertThat(rebuilt.account(A).realizedTotal()).isEqualTo(state.account(A).realizedTotal());
        assertThat(rebuilt.account(B).realizedTotal()).isEqualTo(state.account(B).realizedTotal());
    }
}
