package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Optional;

/**
 * Refresh tokens, stored only as SHA-256. {@link #rotate} consumes a token and stores its
 * successor in one transaction, so a token can be used once even when two refreshes race.
 */
public final class RefreshTokenDao {
    private final Jdbi jdbi;

    public RefreshTokenDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What a presented token turned out to be. */
    public record Rotation(Status status, long userId, boolean twoFactor) {
    }

    public enum Status {
        /** The token was valid; it is now revoked and the new one stored. */
        ROTATED,
        /** Unknown or expired. */
        INVALID,
        /** Already used or logged out: a replay, so every token of the user was revoked. */
        REUSED
    }

    public void add(long userId, byte[] tokenHash, Instant expiresAt) {
        add(userId, tokenHash, expiresAt, false);
    }

    /** Stores a token; {@code twoFactor} records that its session passed a second factor. */
    public void add(long userId, byte[] tokenHash, Instant expiresAt, boolean twoFactor) {
        jdbi.useHandle(h -> h.createUpdate("insert into refresh_tokens (user_id, token_hash, expires_at, two_factor)"
                        + " values (:user, :hash, :expires, :twoFactor)")
                .bind("user", userId)
                .bind("twoFactor", twoFactor)
                .bind("hash", tokenHash)
                .bind("expires", SqlTime.utc(expiresAt))
                .execute());
    }

    /** Consumes {@code oldHash} and stores {@code newHash} for the same user when the old one is valid. */
    public Rotation rotate(byte[] oldHash, byte[] newHash, Instant now, Instant newExpiresAt) {
        return jdbi.inTransaction(h -> {
            Optional<Row> row = h.createQuery("select user_id, expires_at, revoked_at, two_factor from refresh_tokens"
                            + " where token_hash = :hash for update")
                    .bind("hash", oldHash)
                    .map((rs, ctx) -> new Row(rs.getLong("user_id"), SqlTime.instant(rs, "expires_at"),
                            SqlTime.instant(rs, "revoked_at"), rs.getBoolean("two_factor")))
                    .findOne();
            if (row.isEmpty() || !row.get().expiresAt().isAfter(now)) {
                return new Rotation(Status.INVALID, 0, false);
            }
            long userId = row.get().userId();
            if (row.get().revokedAt() != null) {
                h.createUpdate("update refresh_tokens set revoked_at = :now where user_id = :user and revoked_at is null")
                        .bind("now", SqlTime.utc(now))
                        .bind("user", userId)
                        .execute();
                return new Rotation(Status.REUSED, userId, false);
            }
            h.createUpdate("update refresh_tokens set revoked_at = :now where token_hash = :hash")
                    .bind("now", SqlTime.utc(now))
                    .bind("hash", oldHash)
                    .execute();
            h.createUpdate("insert into refresh_tokens (user_id, token_hash, expires_at, two_factor)"
                            + " values (:user, :hash, :expires, :twoFactor)")
                    .bind("user", userId)
                    .bind("twoFactor", row.get().twoFactor())
                    .bind("hash", newHash)
                    .bind("expires", SqlTime.utc(newExpiresAt))
                    .execute();
            return new Rotation(Status.ROTATED, userId, row.get().twoFactor());
        });
    }

    /** Revokes the token; false when it was unknown or already revoked. */
    public boolean revoke(byte[] tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update refresh_tokens set revoked_at = :now"
                        + " where token_hash = :hash and revoked_at is null")
                .bind("now", SqlTime.utc(now))
                .bind("hash", tokenHash)
                .execute()) > 0;
    }

    private record Row(long userId, Instant expiresAt, Instant revokedAt, boolean twoFactor) {
    }
}
