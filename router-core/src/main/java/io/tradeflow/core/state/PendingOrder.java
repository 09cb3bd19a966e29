package io.tradeflow.core.state;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;

/**
 * A limit or stop entry of a paper account that was not marketable when it arrived. It keeps the
 * alert's stop-loss and take-profit as modes and values: they are resolved from the fill price
 * when the order fills, as for a market entry.
 */
public final class PendingOrder {
    private final long orderId;
    private final long accountId;
    private final long userId;
    private final int symbolId;
    private final Action action;
    private final Side side;
    private final OrderType type;
    private final double price;
    private final double lots;
    private final StopMode stopLossMode;
    private final double stopLossValue;
    private final StopMode takeProfitMode;
    private final double takeProfitValue;
    private final AsciiField strategy = new AsciiField(RingEvent.STRATEGY_CAPACITY);

    /** Takes the order from the accepted alert that placed it ({@code e.orderId}, {@code e.orderPrice}). */
    PendingOrder(RingEvent e, int symbolId, double lots) {
        this.orderId = e.orderId;
        this.accountId = e.accountId;
        this.userId = e.userId;
        this.symbolId = symbolId;
        this.action = e.action;
        this.side = e.side;
        this.type = e.orderType;
        this.price = e.orderPrice;
        this.lots = lots;
        this.stopLossMode = e.stopLossMode;
        this.stopLossValue = e.stopLossValue;
        this.takeProfitMode = e.takeProfitMode;
        this.takeProfitValue = e.takeProfitValue;
        this.strategy.copyFrom(e.strategy);
    }

    public long orderId() {
        return orderId;
    }

    public long accountId() {
        return accountId;
    }

    public long userId() {
        return userId;
    }

    public int symbolId() {
        return symbolId;
    }

    public Action action() {
        return action;
    }

    public Side side() {
        return side;
    }

    public OrderType type() {
        return type;
    }

    /** The limit price, or the stop's trigger price. */
    public double price() {
        return price;
    }

    /** Unsigned size in lots, fixed when the order was placed (sized at its own price). */
    public double lots() {
        return lots;
    }

    /**
     * Whether {@code last} reaches the order: a buy limit at or below its limit, a sell limit at or
     * above, a buy stop at or above its trigger, a sell stop at or below.
     */
    public boolean reachedBy(double last) {
        return reached(type, side, price, last);
    }

    public static boolean reached(OrderType type, Side side, double price, double last) {
        boolean buy = side.sign() > 0;
        if (type == OrderType.LIMIT) {
            return buy ? last <= price : last >= price;
        }
        return buy ? last >= price : last <= price;
    }

    /** Copies the alert's order and protection fields into {@code e}, to fill it as that alert. */
    public void describe(RingEvent e) {
        e.action = action;
        e.side = side;
        e.orderType = type;
        e.orderPrice = price;
        e.quantity = lots;
        e.stopLossMode = stopLossMode;
        e.stopLossValue = stopLossValue;
        e.takeProfitMode = takeProfitMode;
        e.takeProfitValue = takeProfitValue;
        e.strategy.copyFrom(strategy);
    }
}
