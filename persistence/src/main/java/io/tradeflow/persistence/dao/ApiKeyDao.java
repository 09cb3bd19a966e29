package io.tradeflow.persistence.dao;

import io.tradeflow.core.event.RingEvent;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;

/**
 * API keys, stored only as SHA-256 hashes. The dashboard adds a key here before publishing
 * KEY_ADDED; revocation is recorded by the projection from KEY_REVOKED, or directly with
 * {@link #revoke} (idempotent, so both may happen).
 */
public final class ApiKeyDao {
    private static final String COLUMNS = "id, account_id, key_hash, key_prefix, created_at, revoked_at";
    private static final RowMapper<ApiKeyRow> ROW = (rs, ctx) -> new ApiKeyRow(
            rs.getLong("id"),
            rs.getLong("account_id"),
            rs.getBytes("key_hash"),
            rs.getString("key_prefix"),
            SqlTime.instant(rs, "created_at"),
            SqlTime.instant(rs, "revoked_at"));

    private final Jdbi jdbi;

    public ApiKeyDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Stores the hash of a new key for the account and returns the key's id. */
    public long add(long accountId, byte[] keyHash, String keyPrefix) {
        if (keyHash.length != RingEvent.KEY_HASH_LENGTH) {
            throw new IllegalArgumentException("a key hash is " + RingEvent.KEY_HASH_LENGTH + " bytes, got "
                    + keyHash.length);
        }
        return jdbi.withHandle(h -> h.createQuery(
                        "insert into api_keys (account_id, key_hash, key_prefix) values (:account, :hash, :prefix)"
                                + " returning id")
                .bind("account", accountId)
                .bind("hash", keyHash)
                .bind("prefix", keyPrefix)
                .mapTo(Long.class)
                .one());
    }

    /** Marks the key revoked at {@code at}; false when no active key has this hash. */
    public boolean revoke(byte[] keyHash, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "update api_keys set revoked_at = :at where key_hash = :hash and revoked_at is null")
                .bind("at", SqlTime.utc(at))
                .bind("hash", keyHash)
                .execute()) > 0;
    }

    /** The account's keys that still authenticate, oldest first. */
    public List<ApiKeyRow> activeByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from api_keys"
                        + " where account_id = :account and revoked_at is null order by id")
                .bind("account", accountId)
                .map(ROW)
                .list());
    }

    /** Every key that still authenticates (what the router's key index must hold). */
    public List<ApiKeyRow> activeKeys() {
        return jdbi.withHandle(h -> h.createQuery(
                        "select " + COLUMNS + " from api_keys where revoked_at is null order by id")
                .map(ROW)
                .list());
    }
}
