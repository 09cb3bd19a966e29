package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/** A limit or stop order a paper account placed and the price has not reached yet (an orders row with status 'pending'). */
record PendingOrderRecord(long orderId, long journalIndex, long accountId, long userId, String symbol, String side,
                          double quantity, String orderType, double orderPrice, OffsetDateTime at, String strategy) {
}
