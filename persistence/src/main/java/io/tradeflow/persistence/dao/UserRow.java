package io.tradeflow.persistence.dao;

import java.time.Instant;

/** A row of {@code users}; {@code passwordHash} is null for users who never set a password. */
public record UserRow(long id, String email, String passwordHash, Role role, Plan plan, int tradesCount,
                      boolean emergencyStop, Instant createdAt) {
}
