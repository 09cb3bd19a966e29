package io.tradeflow.broker.gateway;

import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;

/**
 * A pooled, mutable copy of one order, filled on the ring thread (no allocation) and read on the
 * gateway's dispatcher thread, which turns it into an {@link OrderCommand} and returns it to the
 * pool. The queues between the two threads order the writes before the reads.
 */
final class OrderRequest {
    /** What the request asks the broker to do. */
    enum Kind {
        PLACE, MODIFY, CANCEL
    }

    Kind kind = Kind.PLACE;
    boolean reduceOnly;
    /** MODIFY: the absolute stop loss and take profit (0 = none); CANCEL: {@code side} null = both sides. */
    double newStopLoss;
    double newTakeProfit;
    long accountId;
    long routerOrderId;
    final byte[] symbol = new byte[RingEvent.SYMBOL_CAPACITY];
    int symbolLength;
    Side side;
    OrderType type;
    double quantity;
    double price;
    StopMode stopLossMode;
    double stopLossValue;
    StopMode takeProfitMode;
    double takeProfitValue;

    void copyFrom(RingEvent e, double signedQuantity) {
        kind = Kind.PLACE;
        // Exits only reduce what the broker holds: they never open the other way.
        reduceOnly = !e.action.isEntry();
        accountId = e.accountId;
        routerOrderId = e.orderId;
        symbolLength = e.symbol.length();
        System.arraycopy(e.symbol.array(), 0, symbol, 0, symbolLength);
        side = signedQuantity > 0 ? Side.BUY : Side.SELL;
        type = e.orderType;
        quantity = Math.abs(signedQuantity);
        // A limit or stop order is placed at its own price (the limit, or the stop's trigger).
        price = e.orderType != OrderType.MARKET && e.orderPrice > 0 ? e.orderPrice : e.price;
        stopLossMode = e.stopLossMode;
        stopLossValue = e.stopLossValue;
        takeProfitMode = e.takeProfitMode;
        takeProfitValue = e.takeProfitValue;
    }

    void modifyFrom(RingEvent e, double stopLoss, double takeProfit) {
        kind = Kind.MODIFY;
        accountId = e.accountId;
        routerOrderId = 0;
        symbolLength = e.symbol.length();
        System.arraycopy(e.symbol.array(), 0, symbol, 0, symbolLength);
        newStopLoss = stopLoss;
        newTakeProfit = takeProfit;
    }

    void cancelFrom(RingEvent e) {
        kind = Kind.CANCEL;
        accountId = e.accountId;
        routerOrderId = 0;
        symbolLength = e.symbol.length();
        System.arraycopy(e.symbol.array(), 0, symbol, 0, symbolLength);
        side = e.side;
    }

    String symbol() {
        return new String(symbol, 0, symbolLength, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The command; a limit or stop order is placed at the alert's price. */
    OrderCommand toCommand() {
        if (reduceOnly) {
            return OrderCommand.exit(routerOrderId, OrderCommand.tagFor(accountId, routerOrderId), symbol(), side, quantity, price);
        }
        return new OrderCommand(routerOrderId, OrderCommand.tagFor(accountId, routerOrderId), symbol(), side, type, quantity,
                type == OrderType.LIMIT ? price : 0, type == OrderType.STOP ? price : 0,
                new Protection(stopLossMode, stopLossValue), new Protection(takeProfitMode, takeProfitValue), price, reduceOnly);
    }
}
