package io.tradeflow.persistence.dao;

import io.tradeflow.core.event.BrokerKind;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

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
        return jdbi.withHandle(h -> h.createQuery(
                        "insert into broker_accounts (user_id, broker, label, enabled)"
                                + " values (:user, :broker, :label, :enabled) returning id")
                .bind("user", userId)
                .bind("broker", broker.wireName())
                .bind("label", label)
                .bind("enabled", enabled)
                .mapTo(Long.class)
                .one());
    }

    public Optional<AccountRow> findById(long id) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from broker_accounts where id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    /** The user's accounts, oldest first. */
    public List<AccountRow> listByUser(long userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select " + COLUMNS + " from broker_accounts where user_id = :user order by id")
                .bind("user", userId)
                .map(ROW)
                .list());
    }

    static BrokerKind broker(String wireName) {
        BrokerKind kind = BrokerKind.fromWireName(wireName);
        if (kind == null) {
            throw new IllegalStateException("unknown broker in database: " + wireName);
        }
        return kind;
    }
}
