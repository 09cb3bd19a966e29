package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/** A follower's copy the router refused (copy trading): projected as a protection event of the follower. */
record CopyRefusalRecord(long journalIndex, long userId, long subscriptionId, long accountId, String reason,
                         String details, String symbol, OffsetDateTime at) {
}
