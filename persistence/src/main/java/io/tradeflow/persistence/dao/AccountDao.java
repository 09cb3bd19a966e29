package io.tradeflow.persistence.dao;

import io.tradeflow.core.event.BrokerKind;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Broker accounts. The dashboard creates them here before publishing ACCOUNT_ADDED; the enabled
 * flag is then kept by the projection from the ACCOUNT_ENABLED/DISABLED commands.
 */
public final class AccountDao {
    private static final String COLUMNS = "id, user_id, broker, label, enabled, created_at";
    private static final RowMapper<AccountRow> ROW = (rs, ctx) -> new AccountRow(
            rs.getLong("id"),
            rs.getLong("user_id"),
            broker(rs.getString("broker")),
            rs.getString("label"),
            rs.getBoolean("enabled"),
            SqlTime.instant(rs, "created_at"));

    private final Jdbi jdbi;

    public AccountDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Creates an account for an existing user and returns its id. */
    public long create(long userId, BrokerKind broker, String label, boolean enabled) {
        return create(userId, broker, label, enabled, null);
    }

    /** Creates an account with its broker credentials, already encrypted by the caller (null for none). */
    public long create(long userId, BrokerKind broker, String label, boolean enabled, byte[] encryptedCredentials) {
        return jdbi.withHandle(h -> h.createQuery(
                        "insert into broker_accounts (user_id, broker, label, enabled, credentials)"
                                + " values (:user, :broker, :label, :enabled, :credentials) returning id")
                .bind("user", userId)
                .bind("broker", broker.wireName())
                .bind("label", label)
                .bind("enabled", enabled)
                .bind("credentials", encryptedCredentials)
                .mapTo(Long.class)
                .one());
    }

    /** The account, deleted or not. */
    public Optional<AccountRow> findById(long id) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from broker_accounts where id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    /** The account unless it was deleted. */
    public Optional<AccountRow> findLive(long id) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from broker_accounts"
                        + " where id = :id and deleted_at is null")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    /** The user's accounts that are not deleted, oldest first. */
    public List<AccountRow> listByUser(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from broker_accounts"
                        + " where user_id = :user and deleted_at is null order by id")
                .bind("user", userId)
                .map(ROW)
                .list());
    }

    /** Every account that is not deleted, oldest first, a page at a time (admin view). */
    public List<AccountRow> listAll(int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from broker_accounts"
                        + " where deleted_at is null order by id limit :limit offset :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map(ROW)
                .list());
    }

    /** Every account that is not deleted and has stored credentials, oldest first (reconnected on start). */
    public List<AccountRow> listLiveWithCredentials() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from broker_accounts"
                        + " where deleted_at is null and credentials is not null order by id")
                .map(ROW)
                .list());
    }

    /** The account's encrypted credentials, or empty when it has none. */
    public Optional<byte[]> encryptedCredentials(long id) {
        return jdbi.withHandle(h -> h.createQuery("select credentials from broker_accounts"
                        + " where id = :id and credentials is not null")
                .bind("id", id)
                .mapTo(byte[].class)
                .findOne());
    }

    /** Hides the account from the dashboard; false when it was already deleted. */
    public boolean markDeleted(long id, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("update broker_accounts set deleted_at = :at"
                        + " where id = :id and deleted_at is null")
                .bind("at", SqlTime.utc(at))
                .bind("id", id)
                .execute()) > 0;
    }

    static BrokerKind broker(String wireName) {
        BrokerKind kind = BrokerKind.fromWireName(wireName);
        if (kind == null) {
            throw new IllegalStateException("unknown broker in database: " + wireName);
        }
        return kind;
    }
}
