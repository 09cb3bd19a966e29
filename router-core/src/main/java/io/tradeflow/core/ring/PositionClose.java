package io.tradeflow.core.ring;

/**
 * The result of a CLOSE_POSITION command: the router's order id (0 when the position was already
 * flat), the signed filled quantity, the fill price, the realised P&amp;L net of commission, and
 * the command's journal index (to wait for the database projection to show the close).
 */
public record PositionClose(long accountId, String symbol, long orderId, double filledQuantity, double fillPrice,
                            double realizedPnl, long journalIndex) {
    public boolean closedSomething() {
        return orderId != 0;
    }
}
