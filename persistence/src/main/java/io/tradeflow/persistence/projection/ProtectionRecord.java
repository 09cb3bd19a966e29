package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/** A modify: the position's new stop-loss and take-profit prices and trail (absolute, so applying it twice is harmless). */
record ProtectionRecord(long accountId, String symbol, double stopLoss, double takeProfit, double trailDistance,
                        OffsetDateTime at, long journalIndex) {
}
