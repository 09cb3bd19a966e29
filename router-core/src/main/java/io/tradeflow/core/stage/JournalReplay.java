package io.tradeflow.core.stage;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.BrokerGateways;

import java.util.function.Consumer;

/**
 * Rebuilds the routing state from the journal at start-up, out of the live path: each record's
 * recorded effects are applied (never decided again), so the state is exactly what the clients
 * were told. {@link RoutingPipeline} decides live events; this only reads what they decided.
 */
public final class JournalReplay {
    private final RouterState state;
    private final ControlStage control;
    private final TriggerStage triggers;
    private final BrokerGateways gateways;
    /** What later alerts are compared with (idempotency answers, signal times): the pipeline's own bookkeeping. */
    private final Consumer<RingEvent> onJournaled;
    /**
     * The trail move the last price-carrying record asks for, applied once its TRIGGERED records
     * are replayed (live moves trails at the end of the trigger pass, after the fills).
     */
    private int deferredTrailSymbol = -1;
    private long deferredTrailScope;
    private double deferredTrailPrice;

    JournalReplay(RouterState state, ControlStage control, TriggerStage triggers, BrokerGateways gateways,
                  Consumer<RingEvent> onJournaled) {
        this.state = state;
        this.control = control;
        this.triggers = triggers;
        this.gateways = gateways;
        this.onJournaled = onJournaled;
    }

    /**
     * Reads an event the database projection already holds, at start-up: only what the database
     * does not keep is rebuilt from it: idempotency keys, duplicate-signal times and the accounts'
     * alert settings (absolute, so applying them again is harmless).
     */
    public void rebuildUnprojected(RingEvent e) {
        replayPendingOrders(e);
        if (e.type == EventType.PRICE || e.type == EventType.TRIGGERED) {
            return;
        }
        if (e.type == EventType.CONTROL) {
            // Plans and suspensions come from the journal too, not only the database: both are absolute.
            if ((e.controlType == ControlType.ALERT_SETTINGS || e.controlType == ControlType.PLAN_CHANGED
                    || e.controlType == ControlType.USER_SUSPENDED) && e.outcome == Outcome.ACCEPTED) {
                control.onControl(e);
            }
            return;
        }
        onJournaled.accept(e);
    }

    /**
     * Re-applies a journaled event's recorded effects. Replaying the recorded results (rather
     * than deciding again) guarantees the rebuilt state is exactly what the clients were told,
     * and applying absolute values makes replaying the same event twice harmless.
     */
    public void apply(RingEvent e) {
        if (e.type != EventType.TRIGGERED) {
            flushDeferredTrail();
        }
        replayRecord(e);
        if (e.type != EventType.TRIGGERED && triggers.carriesPrice(e)) {
            deferredTrailSymbol = state.symbols().intern(e.symbol);
            deferredTrailScope = e.type == EventType.PRICE ? 0 : e.accountId;
            deferredTrailPrice = e.price;
        }
    }

    /** Applies what replay still holds back (the last price's trail move); call after the last replayed record. */
    public void finish() {
        flushDeferredTrail();
    }

    private void flushDeferredTrail() {
        if (deferredTrailSymbol >= 0) {
            int symbolId = deferredTrailSymbol;
            deferredTrailSymbol = -1;
            triggers.trail(symbolId, deferredTrailScope, deferredTrailPrice);
        }
    }

    /**
     * Rebuilds the pending orders, which the database does not hold as state: placed by accepted
     * alerts, removed by cancel, close_all and their fill (a TRIGGERED record with their order id).
     */
    private void replayPendingOrders(RingEvent e) {
        if (e.outcome != Outcome.ACCEPTED && e.type != EventType.TRIGGERED) {
            return;
        }
        if (e.type == EventType.TRIGGERED) {
            if (e.orderId != 0) {
                state.pendingOrders().remove(state.symbols().intern(e.symbol), e.orderId);
                state.observeOrderId(e.orderId);
            }
        } else if (e.type == EventType.INTENT && e.repeatOfIndex == 0) {
            if (e.placedPendingOrder()) {
                state.pendingOrders().add(e, state.symbols().intern(e.symbol), Math.abs(e.pendingQuantity));
                state.observeOrderId(e.orderId);
            } else if (e.action == Action.CANCEL) {
                state.pendingOrders().cancel(e.accountId, state.symbols().intern(e.symbol), e.side);
            } else if (e.action == Action.CLOSE_ALL) {
                state.pendingOrders().cancelAll(e.accountId);
            }
        }
    }

    /** A fill the router made when a price triggered it: absolute results, like an order's. */
    private void replayTriggered(RingEvent e) {
        AccountState account = state.account(e.accountId);
        if (account == null) {
            return;
        }
        int symbolId = state.symbols().intern(e.symbol);
        if (e.outcome != Outcome.ACCEPTED) {
            // A refused exit disarmed the position's stops (a refused pending fill only removed the order).
            if (e.action == Action.CLOSE) {
                state.positions().protect(e.accountId, symbolId, 0, 0, 0);
            }
            return;
        }
        if (e.filledQuantity == 0) {
            return;
        }
        state.positions().restore(account, symbolId, e.positionQuantity, e.positionAveragePrice, e.positionEntries);
        state.positions().protect(e.accountId, symbolId, e.positionStopLoss, e.positionTakeProfit, e.positionTrailDistance);
        state.restoreDailyPnl(e.accountId, e.tradingDay, e.dayRealizedPnl);
        state.restoreRealizedTotal(e.accountId, e.accountRealizedPnl);
        state.restoreTradesUsed(e.userId, e.tradesUsed);
        state.observeOrderId(e.orderId);
    }

    private void replayRecord(RingEvent e) {
        replayPendingOrders(e);
        if (e.type == EventType.TRIGGERED) {
            replayTriggered(e);
            return;
        }
        if (e.type == EventType.PRICE) {
            if (e.outcome == Outcome.ACCEPTED) {
                state.symbols().lastPrice(state.symbols().intern(e.symbol), e.price);
            }
            return;
        }
        if (e.type == EventType.CONTROL && e.controlType != ControlType.CLOSE_POSITION) {
            control.onControl(e);
            return;
        }
        // Orders (alerts and dashboard closes, which reach here) and broker fills carry their effects.
        boolean order = e.type == EventType.INTENT || e.type == EventType.CONTROL;
        boolean bookedFill = e.type == EventType.BROKER_REPORT && e.reportKind == ReportKind.FILLED;
        if (!(order || bookedFill)) {
            return;
        }
        if (e.type == EventType.INTENT) {
            onJournaled.accept(e);
        }
        if (e.outcome != Outcome.ACCEPTED || e.repeatOfIndex != 0) {
            return;
        }
        AccountState account = state.account(e.accountId);
        if (account == null) {
            return;
        }
        if (e.type == EventType.INTENT) {
            RoutingPipeline.rememberAcceptedPrice(state, e);
        }
        if (e.action == Action.MODIFY && e.positionQuantity != 0) {
            state.positions().protect(e.accountId, state.symbols().intern(e.symbol), e.positionStopLoss,
                    e.positionTakeProfit, e.positionTrailDistance);
            return;
        }
        if (e.orderId == 0 || e.placedPendingOrder()) {
            // A close_all's record names no symbol (a follower's copy of a master's close_all neither): no last price.
            if (e.price > 0 && !e.symbol.isEmpty()) {
                state.symbols().lastPrice(state.symbols().intern(e.symbol), e.price);
            }
            return;
        }
        if (e.action == Action.CLOSE_ALL && gateways.forBroker(account.broker()) != null) {
            // A real broker's close_all only handed exits over: their fills (broker reports) book them.
            state.observeOrderId(e.orderId);
            return;
        }
        if (e.action == Action.CLOSE_ALL) {
            // The event holds no per-symbol results: it flattened whatever the account held at this point.
            int[] open = new int[state.symbols().size()];
            int[] count = {0};
            state.positions().forEachOpen(e.accountId, p -> open[count[0]++] = p.symbolId());
            for (int i = 0; i < count[0]; i++) {
                state.positions().restore(account, open[i], 0, 0, 0);
            }
        } else {
            int symbolId = state.symbols().intern(e.symbol);
            if (e.price > 0) {
                state.symbols().lastPrice(symbolId, e.price);
            }
            state.positions().restore(account, symbolId, e.positionQuantity, e.positionAveragePrice, e.positionEntries);
            state.positions().protect(e.accountId, symbolId, e.positionStopLoss, e.positionTakeProfit,
                    e.positionTrailDistance);
        }
        state.restoreDailyPnl(e.accountId, e.tradingDay, e.dayRealizedPnl);
        state.restoreRealizedTotal(e.accountId, e.accountRealizedPnl);
        state.restoreTradesUsed(e.userId, e.tradesUsed);
        state.observeOrderId(e.orderId);
    }
}
