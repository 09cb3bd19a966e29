package io.tradeflow.persistence.dao;

import io.tradeflow.core.event.BrokerKind;

import java.time.Instant;

/** A row of {@code broker_accounts} (credentials are not read here). */
public record AccountRow(long id, long userId, BrokerKind broker, String label, boolean enabled, Instant createdAt) {
}
