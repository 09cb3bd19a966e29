package io.tradeflow.core.stage;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.PendingOrder;
import io.tradeflow.core.state.Position;
import io.tradeflow.core.state.PositionBook;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.ExecutionVenue;
import io.tradeflow.core.venue.Venues;

import java.util.List;

/**
 * What a price does to paper accounts after the event that carried it was decided and journaled:
 * fills the pending orders it reaches, closes the positions whose stop loss or take profit it hits,
 * then moves trailing stops. Each fill is written into a separate event the caller journals as its
 * own TRIGGERED record (absolute results, like an order fill), so replay restores it without
 * deciding again.
 *
 * <p>Order, so live and replay agree: pending orders by order id, then stop losses, then take
 * profits (positions by account id), then trails. A stop is checked before its trail moves on the
 * same price. Scope: the operator's price feed (PRICE) triggers every paper account; an alert's
 * price only its own account, so a trader's alert never moves another trader's positions. Real
 * brokers manage their own stops and are never triggered here.
 *
 * <p>A pass that finds nothing looks only at the symbol's own orders and positions and allocates nothing.
 */
public final class TriggerStage {
    private final RouterState state;
    private final Venues venues;
    private final BrokerGateways gateways;
    private final DispatchStage dispatch;

    TriggerStage(RouterState state, Venues venues, BrokerGateways gateways, DispatchStage dispatch) {
        this.state = state;
        this.venues = venues;
        this.gateways = gateways;
        this.dispatch = dispatch;
    }

    /** Whether the decided event carries a price that may trigger: an accepted PRICE, or an accepted paper alert with a price. */
    public boolean carriesPrice(RingEvent cause) {
        if (cause.outcome != Outcome.ACCEPTED || !(cause.price > 0) || cause.repeatOfIndex != 0) {
            return false;
        }
        return cause.type == EventType.PRICE || (cause.type == EventType.INTENT && paper(cause.accountId));
    }

    /**
     * Applies the next fill {@code cause}'s price triggers and describes it in {@code out} (reset
     * first); returns false when nothing more is triggered, after moving the trailing stops. Call
     * until it returns false, journaling {@code out} after each true.
     */
    public boolean next(RingEvent cause, RingEvent out) {
        int symbolId = state.symbols().intern(cause.symbol);
        long scope = cause.type == EventType.PRICE ? 0 : cause.accountId;
        double price = cause.price;
        List<PendingOrder> orders = state.pendingOrders().ofSymbol(symbolId);
        for (int i = 0; i < orders.size(); i++) {
            PendingOrder o = orders.get(i);
            if ((scope == 0 || o.accountId() == scope) && o.reachedBy(price) && paper(o.accountId())
                    && mayEnter(state.account(o.accountId()))) {
                fillPending(cause, o, price, out);
                return true;
            }
        }
        List<Position> positions = state.positions().ofSymbol(symbolId);
        for (int i = 0; i < positions.size(); i++) {
            Position p = positions.get(i);
            if (p.stopLoss() > 0 && inScope(p, scope) && (p.quantity() > 0 ? price <= p.stopLoss() : price >= p.stopLoss())) {
                exit(cause, p, price, false, out);
                return true;
            }
        }
        for (int i = 0; i < positions.size(); i++) {
            Position p = positions.get(i);
            if (p.takeProfit() > 0 && inScope(p, scope)
                    && (p.quantity() > 0 ? price >= p.takeProfit() : price <= p.takeProfit())) {
                exit(cause, p, price, true, out);
                return true;
            }
        }
        trail(symbolId, scope, price);
        return false;
    }

    /**
     * Moves the symbol's trailing stops after {@code price} (scope 0: every paper account, else
     * that account): a long's stop to price − distance when that is higher, a short's to price +
     * distance when lower. Fills nothing, so replay re-runs it from the journaled prices.
     */
    public void trail(int symbolId, long scope, double price) {
        PositionBook book = state.positions();
        List<Position> positions = book.ofSymbol(symbolId);
        for (int i = 0; i < positions.size(); i++) {
            Position p = positions.get(i);
            if (p.trailDistance() > 0 && inScope(p, scope)) {
                if (p.quantity() > 0) {
                    double level = price - p.trailDistance();
                    if (level > p.stopLoss()) {
                        book.trail(p, level);
                    }
                } else {
                    double level = price + p.trailDistance();
                    if (p.stopLoss() <= 0 || level < p.stopLoss()) {
                        book.trail(p, level);
                    }
                }
            }
        }
    }

    /**
     * A pending entry fills only while its account could enter now: switched on and not under an
     * emergency stop (it stays pending meanwhile). Stops and targets always fire: they only reduce.
     */
    private static boolean mayEnter(AccountState account) {
        return account.enabled() && !account.user().emergencyStop();
    }

    private boolean inScope(Position p, long scope) {
        return p.quantity() != 0 && (scope == 0 || p.accountId() == scope) && paper(p.accountId());
    }

    /** Accounts whose orders the router fills itself (a venue, no gateway to a real broker). */
    private boolean paper(long accountId) {
        AccountState account = state.account(accountId);
        return account != null && gateways.forBroker(account.broker()) == null && venues.forBroker(account.broker()) != null;
    }

    private static void start(RingEvent cause, RingEvent out, AccountState account, byte[] symbol) {
        out.begin(EventType.TRIGGERED, cause.receivedAtMillis, cause.receivedAtNanos);
        out.symbol.set(symbol, 0, symbol.length);
        out.price = cause.price;
        out.accountId = account.accountId();
        out.userId = account.user().userId();
    }

    /** A limit fills at its limit or better (the price, when it gapped through); a stop fills as a market order. */
    private void fillPending(RingEvent cause, PendingOrder o, double price, RingEvent out) {
        AccountState account = state.account(o.accountId());
        int symbolId = o.symbolId();
        start(cause, out, account, state.symbols().bytes(symbolId));
        o.describe(out);
        out.orderId = o.orderId();
        state.pendingOrders().remove(symbolId, o.orderId());
        Position held = state.positions().get(o.accountId(), symbolId);
        double current = held == null ? 0 : held.quantity();
        double delta = DispatchStage.orderQuantity(out, current, o.lots());
        if (delta == 0) {
            out.outcome = Outcome.ACCEPTED;
            out.reason = "pending order had nothing left to do";
            out.positionQuantity = current;
            return;
        }
        ExecutionVenue venue = venues.forBroker(account.broker());
        boolean limit = o.type() == OrderType.LIMIT;
        double limitPrice = delta > 0 ? Math.min(price, o.price()) : Math.max(price, o.price());
        if (!(limit ? venue.fillLimit(out, limitPrice, delta) : venue.fillMarket(out, price, delta))) {
            return;
        }
        double realized = state.positions().applyFill(account, symbolId, delta, out.fillPrice)
                * state.instruments().pointValue(out.symbol) - out.commission;
        out.filledQuantity = delta;
        dispatch.protect(out, state.positions().get(o.accountId(), symbolId), out.fillPrice);
        // An alert placed this order: its fill is that alert's trade.
        dispatch.book(out, account, symbolId, realized, true);
        out.reason = (limit ? "limit order filled at " : "stop order triggered at ") + out.fillPrice;
    }

    /** Closes the whole position: a stop loss at market from {@code price}, a take profit at its own price. */
    private void exit(RingEvent cause, Position p, double price, boolean takeProfit, RingEvent out) {
        AccountState account = state.account(p.accountId());
        int symbolId = p.symbolId();
        start(cause, out, account, state.symbols().bytes(symbolId));
        double delta = -p.quantity();
        double level = takeProfit ? p.takeProfit() : p.stopLoss();
        String kind = takeProfit ? "take profit hit at " : p.trailDistance() > 0 ? "trailing stop hit at " : "stop loss hit at ";
        out.action = Action.CLOSE;
        out.side = delta > 0 ? Side.BUY : Side.SELL;
        out.quantity = Math.abs(delta);
        ExecutionVenue venue = venues.forBroker(account.broker());
        boolean filled = takeProfit ? venue.fillLimit(out, level, delta) : venue.fillMarket(out, price, delta);
        if (!filled) {
            // Disarm, or the same price would find this position again forever; the record says so for replay.
            state.positions().protect(p.accountId(), symbolId, 0, 0, 0);
            out.positionQuantity = p.quantity();
            out.positionAveragePrice = p.averagePrice();
            out.positionEntries = p.entries();
            return;
        }
        double realized = state.positions().applyFill(account, symbolId, delta, out.fillPrice)
                * state.instruments().pointValue(out.symbol) - out.commission;
        out.orderId = state.nextOrderId();
        out.filledQuantity = delta;
        // The router's own exit: not a trade of the trial.
        dispatch.book(out, account, symbolId, realized, false);
        out.reason = kind + level;
    }
}
