package io.tradeflow.persistence.dao;

import java.time.Instant;

/**
 * An order of the router. {@code side} is {@code buy} or {@code sell}, {@code quantity} is
 * unsigned, and {@code realizedPnl} is net of commission. {@code status} is {@code filled},
 * {@code pending} (a paper limit/stop not reached yet: no fill price) or {@code cancelled};
 * {@code orderType} is {@code market}, {@code limit} or {@code stop} with its {@code orderPrice};
 * {@code reason} says why the router filled it itself (stop loss, take profit, trail, limit reached), else null.
 */
public record OrderRow(long id, long journalIndex, long accountId, long userId, String symbol, String side,
                       double quantity, double fillPrice, double commission, double realizedPnl, String status,
                       Instant createdAt, String orderType, double orderPrice, String reason) {
    public OrderRow(long id, long journalIndex, long accountId, long userId, String symbol, String side, double quantity,
                    double fillPrice, double commission, double realizedPnl, String status, Instant createdAt) {
        this(id, journalIndex, accountId, userId, symbol, side, quantity, fillPrice, commission, realizedPnl, status,
                createdAt, "market", 0, null);
    }
}
