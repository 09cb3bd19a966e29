package io.tradeflow.broker.api;

import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Side;

/**
 * An order as the router asks a broker to place it. {@code clientTag} is derived from the router's
 * order id and is unique per account: brokers store it with the order (TradeLocker
 * {@code strategyId}, ProjectX {@code customTag}), which is how a timed-out call is reconciled.
 * {@code referencePrice} (0 when unknown) lets relative stops be turned into broker units.
 * {@code reduceOnly} marks an exit (close, partial close, a close_all leg): it only reduces the
 * broker's open position in the symbol, through the broker's close endpoints, and never opens the
 * other way even when the router's book holds more than the broker does (a broker-side stop may
 * have closed it already).
 */
public record OrderCommand(long routerOrderId, String clientTag, String symbol, Side side, OrderType type,
                           double quantity, double limitPrice, double stopPrice, Protection stopLoss,
                           Protection takeProfit, double referencePrice, boolean reduceOnly) {

    /** An order that may add exposure (not reduce-only). */
    public OrderCommand(long routerOrderId, String clientTag, String symbol, Side side, OrderType type,
                        double quantity, double limitPrice, double stopPrice, Protection stopLoss,
                        Protection takeProfit, double referencePrice) {
        this(routerOrderId, clientTag, symbol, side, type, quantity, limitPrice, stopPrice, stopLoss, takeProfit,
                referencePrice, false);
    }

    public OrderCommand {
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be > 0");
        }
        if (type == OrderType.LIMIT && limitPrice <= 0) {
            throw new IllegalArgumentException("a limit order needs a limit price");
        }
        if (type == OrderType.STOP && stopPrice <= 0) {
            throw new IllegalArgumentException("a stop order needs a stop price");
        }
        if (reduceOnly && type != OrderType.MARKET) {
            throw new IllegalArgumentException("an exit is a market order");
        }
        stopLoss = stopLoss == null ? Protection.NONE : stopLoss;
        takeProfit = takeProfit == null ? Protection.NONE : takeProfit;
    }

    public static OrderCommand market(long routerOrderId, String clientTag, String symbol, Side side, double quantity) {
        return new OrderCommand(routerOrderId, clientTag, symbol, side, OrderType.MARKET, quantity, 0, 0,
                Protection.NONE, Protection.NONE, 0);
    }

    /** An exit of {@code quantity} (closing the position the other side holds): reduces, never opens. */
    public static OrderCommand exit(long routerOrderId, String clientTag, String symbol, Side side, double quantity,
                                    double referencePrice) {
        return new OrderCommand(routerOrderId, clientTag, symbol, side, OrderType.MARKET, quantity, 0, 0,
                Protection.NONE, Protection.NONE, referencePrice, true);
    }

    /** The client tag for a router order id: short enough for TradeLocker's 31-character strategyId. */
    public static String tagFor(long accountId, long routerOrderId) {
        return "tf-" + accountId + "-" + routerOrderId;
    }
}
