package io.tradeflow.core.stage;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.PendingOrder;
import io.tradeflow.core.state.Position;
import io.tradeflow.core.state.PositionBook;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.SymbolTable;
import io.tradeflow.core.venue.BrokerGateway;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.ExecutionVenue;
import io.tradeflow.core.venue.Venues;

/**
 * Turns an approved intent into an order against the net position, sends it to the account's
 * venue and books the fill: position, realised P&amp;L of the day, trades used, order id. Accounts
 * on a real broker hand the order to its gateway instead; their fill comes back as a BROKER_REPORT.
 */
public final class DispatchStage {
    /** The risk rule a refused margin check names. */
    public static final String RULE_MARGIN = "margin";
    /** The answer's reason for an order handed to a real broker; the fill follows as a BROKER_REPORT. */
    public static final String SUBMITTED = "submitted to the broker";
    public static final String MODIFY_SENT = "stop loss / take profit change sent to the broker";
    public static final String CANCEL_SENT = "cancel of the working orders sent to the broker";
    /** The answer's reason for a limit or stop order of a paper account that is not marketable yet. */
    public static final String PENDING = "pending: fills when the price reaches the order price";

    private final RouterState state;
    private final Venues venues;
    private final BrokerGateways gateways;

    public DispatchStage(RouterState state, Venues venues) {
        this(state, venues, BrokerGateways.NONE);
    }

    public DispatchStage(RouterState state, Venues venues, BrokerGateways gateways) {
        this.state = state;
        this.venues = venues;
        this.gateways = gateways;
    }

    public void onIntent(RingEvent e) {
        if (e.isDecided()) {
            return;
        }
        AccountState account = state.account(e.accountId);
        BrokerGateway gateway = gateways.forBroker(account.broker());
        if (e.action == Action.CLOSE_ALL) {
            if (gateway != null) {
                closeAllAtBroker(e, account, gateway);
            } else {
                closeAll(e, account);
            }
            return;
        }
        SymbolTable symbols = state.symbols();
        PositionBook positions = state.positions();
        int symbolId = symbols.intern(e.symbol);
        // The alert's price becomes the symbol's last price only if the alert is accepted (see
        // RoutingPipeline.rememberAcceptedPrice): as the projection and a journal replay record it.
        if (e.action == Action.CANCEL && gateway != null) {
            // The broker holds the working orders: it cancels those of the symbol (and side).
            if (gateway.cancel(e)) {
                noAction(e, positions.quantity(e.accountId, symbolId), CANCEL_SENT);
            }
            return;
        }
        if (e.action == Action.CANCEL) {
            int cancelled = state.pendingOrders().cancel(e.accountId, symbolId, e.side);
            noAction(e, positions.quantity(e.accountId, symbolId), cancelled == 0 ? "no pending orders to cancel"
                    : cancelled == 1 ? "cancelled 1 pending order" : "cancelled " + cancelled + " pending orders");
            return;
        }
        if (e.action == Action.MODIFY) {
            modify(e, symbolId, gateway);
            return;
        }
        if (gateway != null) {
            submitToBroker(e, account, gateway, positions.get(e.accountId, symbolId));
            return;
        }
        boolean pendingType = e.orderType != OrderType.MARKET;
        if (pendingType && !e.action.isEntry()) {
            e.reject(Outcome.INVALID_PAYLOAD, "type", "limit and stop orders open positions; exits are market orders");
            return;
        }
        if (pendingType && !(e.orderPrice > 0)) {
            e.reject(Outcome.INVALID_PAYLOAD, "price", "a limit or stop order needs its price above 0");
            return;
        }
        Position held = positions.get(e.accountId, symbolId);
        double current = held == null ? 0 : held.quantity();
        if (e.action == Action.OPEN && current != 0 && Math.signum(current) == e.side.sign()
                && !e.addToPosition && held.entries() >= account.alertRules().pyramiding()) {
            e.reject(Outcome.DUPLICATE, "side", "already " + (current > 0 ? "long " : "short ") + e.symbol
                    + ": send add to add to the position (or raise the account's pyramiding)");
            return;
        }
        double reference = e.price > 0 ? e.price : symbols.lastPrice(symbolId);
        // A limit or stop is sized, and its margin checked, at its own price: that is where it fills.
        double orderPrice = pendingType ? e.orderPrice : reference;
        double lots = 0;
        if (e.action.isEntry()) {
            if (orderPrice <= 0) {
                e.reject(Outcome.INVALID_PAYLOAD, "price", "no price in the alert and no earlier price for this symbol");
                return;
            }
            InstrumentSpec spec = state.instruments().find(e.symbol);
            if (!StopPrices.resolvable(e, spec)) {
                return;
            }
            lots = OrderSizer.lots(e, spec, orderPrice, state.equity(account));
            if (Double.isNaN(lots)) {
                return;
            }
            if (lots > account.rules().limits().maxQuantity()) {
                e.reject(Outcome.RISK_REJECTED, RiskStage.RULE_MAX_QUANTITY, "quantity exceeds the account's max quantity");
                return;
            }
        }
        double delta = orderQuantity(e, current, lots);
        if (delta == 0) {
            noAction(e, current, "no open position to close");
            return;
        }
        if (reference <= 0 && !pendingType) {
            e.reject(Outcome.INVALID_PAYLOAD, "price", "no price in the alert and no earlier price for this symbol");
            return;
        }
        ExecutionVenue venue = venues.forBroker(account.broker());
        if (venue == null) {
            e.reject(Outcome.BROKER_ERROR, "broker", "no connector for this broker in this router version");
            return;
        }
        if (venue.leverage() > 0 && Math.abs(current + delta) > Math.abs(current)
                && !marginAllows(e, account, symbolId, current + delta, orderPrice, venue.leverage())) {
            return;
        }
        if (pendingType && !(reference > 0 && PendingOrder.reached(e.orderType, e.side, e.orderPrice, reference))) {
            placePending(e, symbolId, lots, current);
            return;
        }
        if (!venue.fillMarket(e, reference, delta)) {
            return;
        }
        if (e.orderType == OrderType.LIMIT && (delta > 0 ? e.fillPrice > e.orderPrice : e.fillPrice < e.orderPrice)) {
            // Marketable at once, but a limit never fills worse than its limit.
            e.fillPrice = e.orderPrice;
        }
        double realized = positions.applyFill(account, symbolId, delta, e.fillPrice)
                * state.instruments().pointValue(e.symbol) - e.commission;
        e.orderId = state.nextOrderId();
        e.filledQuantity = delta;
        if (e.action.isEntry()) {
            protect(e, positions.get(e.accountId, symbolId), e.fillPrice);
        }
        book(e, account, symbolId, realized);
    }

    /**
     * Keeps a limit or stop entry that the reference price does not reach yet: a later price (an
     * alert of this account, or the price feed) fills it. Nothing is traded, so no trade is counted.
     */
    private void placePending(RingEvent e, int symbolId, double lots, double current) {
        e.orderId = state.nextOrderId();
        e.pendingQuantity = e.side.sign() * lots;
        state.pendingOrders().add(e, symbolId, lots);
        Position p = state.positions().get(e.accountId, symbolId);
        noAction(e, current, PENDING);
        if (p != null) {
            e.positionAveragePrice = p.averagePrice();
            e.positionEntries = p.entries();
            e.positionStopLoss = p.stopLoss();
            e.positionTakeProfit = p.takeProfit();
            e.positionTrailDistance = p.trailDistance();
        }
    }

    /**
     * Real brokers: the order is handed to the connector and answered as submitted; position and
     * P&amp;L change only when the broker's fill comes back. The state fields record the current
     * position so a replay of this event restores exactly what was there.
     */
    private void submitToBroker(RingEvent e, AccountState account, BrokerGateway gateway, Position position) {
        if (e.orderType != OrderType.MARKET && e.orderPrice <= 0 && e.price <= 0) {
            e.reject(Outcome.INVALID_PAYLOAD, "price", "a limit or stop order needs a price");
            return;
        }
        if (account.broker() == BrokerKind.MTX && !metaTraderStops(e)) {
            return;
        }
        double lots = e.quantity;
        if (e.sizeMode != SizeMode.QTY && e.action.isEntry()) {
            lots = brokerLots(e, account, gateway);
            if (Double.isNaN(lots)) {
                return;
            }
        }
        double current = position == null ? 0 : position.quantity();
        double delta = orderQuantity(e, current, lots);
        long day = account.rules().tradingDay(e.receivedAtMillis);
        e.positionQuantity = current;
        e.positionAveragePrice = position == null ? 0 : position.averagePrice();
        if (delta == 0) {
            e.outcome = Outcome.ACCEPTED;
            e.reason = "no open position to close";
            return;
        }
        e.orderId = state.nextOrderId();
        if (!gateway.submit(e, delta)) {
            e.orderId = 0;
            return;
        }
        if (e.type == EventType.INTENT) {
            // Only an alert's order uses up the trial: a dashboard close of a real-broker position does not.
            state.countTrade(account.user());
        }
        e.outcome = Outcome.ACCEPTED;
        e.reason = lots == e.quantity || e.sizeMode == SizeMode.QTY ? SUBMITTED
                : Math.abs(delta) + " lots (" + e.sizeMode.name().toLowerCase(java.util.Locale.ROOT) + ") " + SUBMITTED;
        e.tradingDay = day;
        e.dayRealizedPnl = account.realizedPnlOn(day);
        // Replay restores the account's realised total from every accepted order record.
        e.accountRealizedPnl = account.realizedTotal();
        e.tradesUsed = account.user().tradesUsed();
    }

    /**
     * MetaTrader gets stops as prices or as distances the router computes with its instrument table
     * (the EA never converts pips): pips and ticks need the instrument in the table, and there are no
     * trailing stops. False with the event rejected (400 naming sl or tp) otherwise.
     */
    private boolean metaTraderStops(RingEvent e) {
        if (e.stopLossMode == StopMode.TRAIL || e.takeProfitMode == StopMode.TRAIL) {
            e.reject(Outcome.INVALID_PAYLOAD, e.stopLossMode == StopMode.TRAIL ? "sl" : "tp",
                    "MetaTrader accounts take no trailing stops");
            return false;
        }
        return StopPrices.resolvable(e, state.instruments().find(e.symbol));
    }

    /**
     * Sizes an entry on a real broker as on paper, from the equity the broker last reported and the
     * broker's own instrument specification (both cached by the gateway, never fetched here), rounded
     * down to the broker's lot step; NaN with the event refused when they are not known yet or the
     * size is outside the instrument's limits.
     */
    private double brokerLots(RingEvent e, AccountState account, BrokerGateway gateway) {
        if (!gateway.sizesByEquityOrRisk(e.accountId)) {
            e.reject(Outcome.INVALID_PAYLOAD, "size", "this broker account takes a fixed quantity");
            return Double.NaN;
        }
        double reference = e.orderType != OrderType.MARKET && e.orderPrice > 0 ? e.orderPrice
                : e.price > 0 ? e.price : state.symbols().lastPrice(state.symbols().intern(e.symbol));
        if (!(reference > 0)) {
            e.reject(Outcome.INVALID_PAYLOAD, "price", "no price in the alert and no earlier price for this symbol");
            return Double.NaN;
        }
        InstrumentSpec spec = gateway.brokerInstrument(e.accountId, e);
        if (spec == null) {
            e.reject(Outcome.BROKER_ERROR, "broker", "the broker's instrument details for " + e.symbol
                    + " are not loaded yet (needed to size by " + e.sizeMode.name().toLowerCase(java.util.Locale.ROOT)
                    + "); retry in a moment");
            return Double.NaN;
        }
        double equity = gateway.brokerEquity(e.accountId);
        if (e.sizeMode != SizeMode.NOTIONAL && e.sizeMode != SizeMode.RISK_AMOUNT && !(equity > 0)) {
            e.reject(Outcome.BROKER_ERROR, "broker", "the account's balance is not loaded from the broker yet; retry in a moment");
            return Double.NaN;
        }
        if (!StopPrices.resolvable(e, spec)) {
            return Double.NaN;
        }
        double lots = OrderSizer.lots(e, spec, reference, equity);
        if (Double.isNaN(lots)) {
            return Double.NaN;
        }
        if (lots > account.rules().limits().maxQuantity()) {
            e.reject(Outcome.RISK_REJECTED, RiskStage.RULE_MAX_QUANTITY, "quantity exceeds the account's max quantity");
            return Double.NaN;
        }
        return lots;
    }

    /**
     * Sets the entry's stop loss and take profit on the position, from the fill price. A trail stop
     * starts its distance below (above, for a short) the fill and keeps that distance as the trail.
     */
    void protect(RingEvent e, Position p, double entry) {
        if (p.isFlat() || (e.stopLossMode == StopMode.NONE && e.takeProfitMode == StopMode.NONE)) {
            return;
        }
        InstrumentSpec spec = state.instruments().find(e.symbol);
        boolean isLong = p.quantity() > 0;
        double stopLoss = StopPrices.stopLoss(e, spec, entry, isLong, p.stopLoss());
        double takeProfit = StopPrices.takeProfit(e, spec, entry, isLong, stopLoss, p.takeProfit());
        state.positions().protect(e.accountId, p.symbolId(), stopLoss, takeProfit, trailDistance(e, spec, p));
    }

    /** The trail an alert asks for: its distance when its stop loss trails, none when it sets another stop, else kept. */
    private static double trailDistance(RingEvent e, InstrumentSpec spec, Position p) {
        if (e.stopLossMode == StopMode.TRAIL) {
            return e.stopLossValue * spec.pipSize();
        }
        return e.stopLossMode == StopMode.NONE ? p.trailDistance() : 0;
    }

    /**
     * Replaces the stop loss and/or take profit of the open position (of the alert's side, when it
     * names one), measured from the position's average price. Places no order.
     */
    private void modify(RingEvent e, int symbolId, BrokerGateway gateway) {
        Position p = state.positions().get(e.accountId, symbolId);
        boolean matches = p != null && !p.isFlat() && (e.side == null || Math.signum(p.quantity()) == e.side.sign());
        if (!matches) {
            noAction(e, p == null ? 0 : p.quantity(), e.side == null ? "no open position to modify"
                    : "no open " + (e.side.sign() > 0 ? "long" : "short") + " position to modify");
            return;
        }
        InstrumentSpec spec = state.instruments().find(e.symbol);
        if (!StopPrices.resolvable(e, spec)) {
            return;
        }
        boolean isLong = p.quantity() > 0;
        double stopLoss = StopPrices.stopLoss(e, spec, p.averagePrice(), isLong, p.stopLoss());
        double takeProfit = StopPrices.takeProfit(e, spec, p.averagePrice(), isLong, stopLoss, p.takeProfit());
        double trail = trailDistance(e, spec, p);
        if (gateway != null && !gateway.modify(e, stopLoss, takeProfit)) {
            return;
        }
        state.positions().protect(e.accountId, symbolId, stopLoss, takeProfit, trail);
        noAction(e, p.quantity(), gateway != null ? MODIFY_SENT : "stop loss / take profit updated");
        e.positionTrailDistance = trail;
        e.positionAveragePrice = p.averagePrice();
        e.positionEntries = p.entries();
        e.positionStopLoss = stopLoss;
        e.positionTakeProfit = takeProfit;
    }

    /**
     * Flattens every open position of the account at each symbol's last price, as one order id.
     * Every price is checked before anything is filled, so the account is never left half closed.
     */
    private void closeAll(RingEvent e, AccountState account) {
        SymbolTable symbols = state.symbols();
        PositionBook positions = state.positions();
        int[] open = openSymbols(e.accountId);
        if (open.length == 0) {
            int cancelled = state.pendingOrders().cancelAll(e.accountId);
            noAction(e, 0, cancelled == 0 ? "no open positions to close"
                    : "no open positions to close; cancelled " + cancelled + " pending orders");
            return;
        }
        for (int symbolId : open) {
            if (symbols.lastPrice(symbolId) <= 0) {
                e.reject(Outcome.INVALID_PAYLOAD, "price", "no known price for " + symbols.name(symbolId));
                return;
            }
        }
        ExecutionVenue venue = venues.forBroker(account.broker());
        if (venue == null) {
            e.reject(Outcome.BROKER_ERROR, "broker", "no connector for this broker in this router version");
            return;
        }
        double realized = 0;
        double commission = 0;
        for (int symbolId : open) {
            double delta = -positions.quantity(e.accountId, symbolId);
            // The venue prices each leg by its instrument (spread), so the event names it while it fills.
            byte[] instrument = symbols.bytes(symbolId);
            e.symbol.set(instrument, 0, instrument.length);
            boolean filled = venue.fillMarket(e, symbols.lastPrice(symbolId), delta);
            double pointValue = state.instruments().pointValue(e.symbol);
            e.symbol.clear();
            if (!filled) {
                return;
            }
            realized += positions.applyFill(account, symbolId, delta, e.fillPrice) * pointValue - e.commission;
            commission += e.commission;
        }
        e.orderId = state.nextOrderId();
        e.commission = commission;
        e.fillPrice = 0;
        e.filledQuantity = 0;
        int cancelled = state.pendingOrders().cancelAll(e.accountId);
        e.reason = "closed " + open.length + (open.length == 1 ? " position" : " positions")
                + (cancelled == 0 ? "" : "; cancelled " + cancelled + " pending orders");
        book(e, account, -1, realized);
    }

    /**
     * A real broker's close_all: one exit per position the router's book holds, each under its own
     * order id (the broker closes it through its close endpoint and reports the fill, which books
     * it), and the symbols' working orders cancelled. The event's order id is the last exit's; the
     * positions change only when the fills come back. Nothing is handed over unless every exit can be.
     */
    private void closeAllAtBroker(RingEvent e, AccountState account, BrokerGateway gateway) {
        SymbolTable symbols = state.symbols();
        PositionBook positions = state.positions();
        int[] open = openSymbols(e.accountId);
        if (open.length == 0) {
            noAction(e, 0, "no open positions to close");
            return;
        }
        long lastOrderId = 0;
        for (int symbolId : open) {
            byte[] instrument = symbols.bytes(symbolId);
            e.symbol.set(instrument, 0, instrument.length);
            double reference = symbols.lastPrice(symbolId);
            double savedPrice = e.price;
            e.price = reference;
            e.orderType = OrderType.MARKET;
            e.orderId = state.nextOrderId();
            boolean sent = gateway.submit(e, -positions.quantity(e.accountId, symbolId));
            e.price = savedPrice;
            if (!sent) {
                // Legs already staged go nowhere: the event is refused, so the handler drops them.
                e.orderId = 0;
                e.symbol.clear();
                return;
            }
            lastOrderId = e.orderId;
        }
        e.symbol.clear();
        e.orderId = lastOrderId;
        e.outcome = Outcome.ACCEPTED;
        e.reason = "close of " + open.length + (open.length == 1 ? " position" : " positions") + " " + SUBMITTED;
        e.positionQuantity = 0;
        long day = account.rules().tradingDay(e.receivedAtMillis);
        e.tradingDay = day;
        e.dayRealizedPnl = account.realizedPnlOn(day);
        e.accountRealizedPnl = account.realizedTotal();
        e.tradesUsed = account.user().tradesUsed();
    }

    /**
     * Whether the account's equity (open P&amp;L included) covers the margin of all its positions
     * once this one is {@code after}; refuses with the rule {@code margin} otherwise.
     */
    private boolean marginAllows(RingEvent e, AccountState account, int symbolId, double after, double price,
                                 double leverage) {
        InstrumentSpec spec = state.instruments().find(e.symbol);
        double notional = state.notional(account, symbolId) + Math.abs(after) * price * (spec == null ? 1 : spec.contractSize());
        double required = notional / leverage;
        double equity = state.equity(account);
        if (required > equity) {
            e.reject(Outcome.RISK_REJECTED, RULE_MARGIN, "insufficient margin: the positions would need " + required
                    + " at leverage " + leverage + " but the account's equity is " + equity);
            return false;
        }
        return true;
    }

    private int[] openSymbols(long accountId) {
        int[] count = {0};
        state.positions().forEachOpen(accountId, p -> count[0]++);
        int[] ids = new int[count[0]];
        int[] at = {0};
        state.positions().forEachOpen(accountId, p -> ids[at[0]++] = p.symbolId());
        java.util.Arrays.sort(ids);
        return ids;
    }

    /**
     * Books a fill's results into the state and records the absolute values after it in the event.
     * The fill counts as a trade (the trial's and the analytics' {@code totalTrades}) when an alert
     * made it: the alert's own order, or a pending order an alert placed. A close the router makes
     * itself (a dashboard close, the emergency stop, a stop loss, take profit or trailing stop)
     * never uses up a trial.
     */
    void book(RingEvent e, AccountState account, int symbolId, double realized) {
        book(e, account, symbolId, realized, e.type == EventType.INTENT);
    }

    void book(RingEvent e, AccountState account, int symbolId, double realized, boolean alertTrade) {
        long day = account.rules().tradingDay(e.receivedAtMillis);
        if (alertTrade) {
            state.countTrade(account.user());
        }
        e.outcome = Outcome.ACCEPTED;
        e.realizedPnl = realized;
        if (symbolId >= 0) {
            Position p = state.positions().get(e.accountId, symbolId);
            e.positionQuantity = p.quantity();
            e.positionAveragePrice = p.averagePrice();
            e.positionEntries = p.entries();
            e.positionStopLoss = p.stopLoss();
            e.positionTakeProfit = p.takeProfit();
            e.positionTrailDistance = p.trailDistance();
        }
        e.tradingDay = day;
        e.dayRealizedPnl = state.addRealizedPnl(account, day, realized);
        e.accountRealizedPnl = account.realizedTotal();
        e.tradesUsed = account.user().tradesUsed();
    }

    private static void noAction(RingEvent e, double position, String reason) {
        e.outcome = Outcome.ACCEPTED;
        e.reason = reason;
        e.positionQuantity = position;
    }

    /** The part of the position an exit closes: all of it, or the alert's quantity when smaller. */
    private static double part(RingEvent e, double current) {
        return e.quantity > 0 && e.quantity < Math.abs(current) ? Math.signum(current) * e.quantity : current;
    }

    /** The signed quantity to trade so the net position ends where the action wants it. */
    static double orderQuantity(RingEvent e, double current, double lots) {
        switch (e.action) {
            case OPEN:
                // A buy while short exits the short first, then opens the long (and the mirror for sells).
                if (current != 0 && Math.signum(current) != e.side.sign()) {
                    return e.side.sign() * lots - current;
                }
                return e.side.sign() * lots;
            case REVERSE:
                return e.side.sign() * lots - current;
            case CLOSE:
                return -part(e, current);
            case CLOSE_LONG:
                return current > 0 ? -part(e, current) : 0;
            case CLOSE_SHORT:
                return current < 0 ? -part(e, current) : 0;
            default:
                return 0;
        }
    }
}
