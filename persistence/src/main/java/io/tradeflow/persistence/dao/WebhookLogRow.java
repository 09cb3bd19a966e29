package io.tradeflow.persistence.dao;

import java.time.Instant;

/**
 * One alert from the webhook log ({@code intents}). Account, user and order are null when the
 * alert did not get that far; enum-valued columns hold their wire names ({@code buy}, {@code open}).
 * {@code strategy} is the alert's strategy tag, null when untagged.
 */
public record WebhookLogRow(long journalIndex, Instant receivedAt, Long accountId, Long userId, String symbol,
                            String action, String side, String orderType, Double quantity, Double price,
                            String clientId, String outcome, int httpStatus, String reason, String field,
                            Long orderId, long latencyMicros, String strategy) {
}
