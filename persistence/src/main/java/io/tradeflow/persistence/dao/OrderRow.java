package io.tradeflow.persistence.dao;

import java.time.Instant;

/**
 * An order the router executed. {@code side} is {@code buy} or {@code sell}, {@code quantity} is
 * unsigned, and {@code realizedPnl} is net of commission.
 */
public record OrderRow(long id, long journalIndex, long accountId, long userId, String symbol, String side,
                       double quantity, double fillPrice, double commission, double realizedPnl, String status,
                       Instant createdAt) {
}
