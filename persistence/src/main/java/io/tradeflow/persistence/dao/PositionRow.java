package io.tradeflow.persistence.dao;

import java.time.Instant;

/** A net position: positive quantity is long, negative short. */
public record PositionRow(long accountId, String symbol, double quantity, double averagePrice, Instant updatedAt) {
}
