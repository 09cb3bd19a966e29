package io.tradeflow.core.stage;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
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
 * venue and books the fill: position, realised P&amp;L of the day, trades used, order id.
 */
public final class DispatchStage {
    /** The answer's reason for an order handed to a real broker; the fill follows as a BROKER_REPORT. */
    public static final String SUBMITTED = "submitted to the broker";

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
        SymbolTable symbols = state.symbols();
        PositionBook positions = state.positions();
        int symbolId = symbols.intern(e.symbol);
        if (e.price > 0) {
            symbols.lastPrice(symbolId, e.price);
        }
        BrokerGateway gateway = gateways.forBroker(account.broker());
        if (gateway != null) {
            submitToBroker(e, account, gateway, positions.quantity(e.accountId, symbolId), positions.get(e.accountId, symbolId));
            return;
        }
        if (e.orderType != OrderType.MARKET) {
            e.reject(Outcome.INVALID_PAYLOAD, "intent.type", "only market orders are supported by this router version");
            return;
        }
        if (e.action == Action.CLOSE_ALL || e.action == Action.CANCEL || e.action == Action.MODIFY) {
            e.reject(Outcome.INVALID_PAYLOAD, "intent.action", "this action is not supported by this router version");
            return;
        }
        double current = positions.quantity(e.accountId, symbolId);
        double delta = orderQuantity(e, current);
        if (delta == 0) {
            e.outcome = Outcome.ACCEPTED;
            e.reason = "no open position to close";
            e.positionQuantity = current;
            return;
        }
        double reference = e.price > 0 ? e.price : symbols.lastPrice(symbolId);
        if (reference <= 0) {
            e.reject(Outcome.INVALID_PAYLOAD, "intent.price", "no price in the alert and no earlier price for this symbol");
            return;
        }
        ExecutionVenue venue = venues.forBroker(account.broker());
        if (venue == null) {
            e.reject(Outcome.BROKER_ERROR, "broker", "no connector for this broker in this router version");
            return;
        }
        if (!venue.fillMarket(e, reference, delta)) {
            return;
        }
        double realized = positions.applyFill(account, symbolId, delta, e.fillPrice) - e.commission;
        long day = account.rules().tradingDay(e.receivedAtMillis);
        state.countTrade(account.user());

        e.outcome = Outcome.ACCEPTED;
        e.orderId = state.nextOrderId();
        e.filledQuantity = delta;
        e.realizedPnl = realized;
        e.positionQuantity = positions.quantity(e.accountId, symbolId);
        e.positionAveragePrice = positions.get(e.accountId, symbolId).averagePrice();
        e.tradingDay = day;
        e.dayRealizedPnl = state.addRealizedPnl(account, day, realized);
        e.tradesUsed = account.user().tradesUsed();
    }

    /**
     * Real brokers: the order is handed to the connector and answered as submitted; position and
     * P&amp;L change only when the broker's fill comes back. The state fields record the current
     * position so a replay of this event restores exactly what was there.
     */
    private void submitToBroker(RingEvent e, AccountState account, BrokerGateway gateway, double current, Position position) {
        if (e.action == Action.CLOSE_ALL || e.action == Action.CANCEL || e.action == Action.MODIFY) {
            e.reject(Outcome.INVALID_PAYLOAD, "intent.action", "this action is not supported by this router version");
            return;
        }
        if (e.orderType != OrderType.MARKET && e.price <= 0) {
            e.reject(Outcome.INVALID_PAYLOAD, "intent.price", "a limit or stop order needs intent.price");
            return;
        }
        double delta = orderQuantity(e, current);
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
        state.countTrade(account.user());
        e.outcome = Outcome.ACCEPTED;
        e.reason = SUBMITTED;
        e.tradingDay = day;
        e.dayRealizedPnl = account.realizedPnlOn(day);
        e.tradesUsed = account.user().tradesUsed();
    }

    /** The signed quantity to trade so the net position ends where the action wants it. */
    private static double orderQuantity(RingEvent e, double current) {
        switch (e.action) {
            case OPEN:
                return e.side.sign() * e.quantity;
            case REVERSE:
                return e.side.sign() * e.quantity - current;
            case CLOSE:
                return -current;
            case CLOSE_LONG:
                return current > 0 ? -current : 0;
            case CLOSE_SHORT:
                return current < 0 ? -current : 0;
            default:
                return 0;
        }
    }
}
