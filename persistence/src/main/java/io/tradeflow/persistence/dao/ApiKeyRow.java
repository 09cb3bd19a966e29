package io.tradeflow.persistence.dao;

import java.time.Instant;

/**
 * A row of {@code api_keys}: the SHA-256 of a key (never the key), the prefix shown to the user,
 * and when it was revoked (null while active). Arrays in records compare by identity.
 */
public record ApiKeyRow(long id, long accountId, byte[] keyHash, String keyPrefix, Instant createdAt,
                        Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
