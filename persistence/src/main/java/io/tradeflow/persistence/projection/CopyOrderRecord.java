package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/** A follower's accepted copy that placed an order: projected into copy_orders for the groups' settlement. */
record CopyOrderRecord(long orderId, long accountId, long userId, long masterAccountId, long subscriptionId,
                       long journalIndex, OffsetDateTime at) {
}
