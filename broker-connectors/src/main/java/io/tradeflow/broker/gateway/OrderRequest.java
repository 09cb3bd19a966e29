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
    /** An exit (close, close_long, close_short): it may only reduce the position. */
    boolean reduceOnly;

    void copyFrom(RingEvent e, double signedQuantity) {
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
        reduceOnly = !e.action.isEntry();
    }

    String symbol() {
        return new String(symbol, 0, symbolLength, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The command; a limit or stop order is placed at the alert's price. */
    OrderCommand toCommand() {
        return new OrderCommand(routerOrderId, OrderCommand.tagFor(accountId, routerOrderId), symbol(), side, type, quantity,
                type == OrderType.LIMIT ? price : 0, type == OrderType.STOP ? price : 0,
                new Protection(stopLossMode, stopLossValue), new Protection(takeProfitMode, takeProfitValue), price, reduceOnly);
    }
}
