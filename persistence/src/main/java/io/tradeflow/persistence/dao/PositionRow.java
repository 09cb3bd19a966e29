package io.tradeflow.persistence.dao;

import java.time.Instant;

/**
 * A net position: positive quantity is long, negative short. Stop loss, take profit and trailing
 * distance are 0 when not set; {@code lastPrice} is the symbol's latest known price (feed or alert), 0 when none.
 */
public record PositionRow(long accountId, String symbol, double quantity, double averagePrice, Instant updatedAt,
                          double stopLoss, double takeProfit, double trailDistance, double lastPrice) {
    public PositionRow(long accountId, String symbol, double quantity, double averagePrice, Instant updatedAt) {
        this(accountId, symbol, quantity, averagePrice, updatedAt, 0, 0, 0, 0);
    }
}
