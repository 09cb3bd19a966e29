package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/** What the webhook log keeps of one alert, copied out of the reusable event. */
record IntentRecord(long journalIndex, OffsetDateTime receivedAt, Long accountId, Long userId, String symbol,
                    String action, String side, String orderType, double quantity, double price, String clientId,
                    String outcome, int httpStatus, String reason, String field, Long orderId, long latencyMicros,
                    String strategy) {
}
