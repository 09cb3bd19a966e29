package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Reads the webhook log (written only by the projection) for the dashboard. */
public final class WebhookLogDao {
    private static final String COLUMNS = "journal_index, received_at, account_id, user_id, symbol, action, side,"
            + " order_type, quantity, price, client_id, outcome, http_status, reason, field, order_id, latency_us,"
            + " strategy";
    private static final RowMapper<WebhookLogRow> ROW = (rs, ctx) -> new WebhookLogRow(
            rs.getLong("journal_index"),
            SqlTime.instant(rs, "received_at"),
            nullableLong(rs, "account_id"),
            nullableLong(rs, "user_id"),
            rs.getString("symbol"),
            rs.getString("action"),
            rs.getString("side"),
            rs.getString("order_type"),
            rs.getObject("quantity", Double.class),
            rs.getObject("price", Double.class),
            rs.getString("client_id"),
            rs.getString("outcome"),
            rs.getInt("http_status"),
            rs.getString("reason"),
            rs.getString("field"),
            nullableLong(rs, "order_id"),
            rs.getLong("latency_us"),
            rs.getString("strategy"));

    private final Jdbi jdbi;

    public WebhookLogDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's most recent alerts, newest first. */
    public List<WebhookLogRow> recentForAccount(long accountId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from intents where account_id = :id"
                        + " order by received_at desc, journal_index desc limit :limit")
                .bind("id", accountId)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }

    /** The user's most recent alerts over all their accounts, newest first. */
    public List<WebhookLogRow> recentForUser(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from intents where user_id = :id"
                        + " order by received_at desc, journal_index desc limit :limit")
                .bind("id", userId)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }

    /** The user's alerts matching the filter (status = outcome), newest first, one page. */
    public List<WebhookLogRow> search(DashboardFilter filter) {
        return jdbi.withHandle(h -> filter.bind(h.createQuery("select " + COLUMNS + " from intents"
                        + filter.where("received_at", "outcome")
                        + " order by received_at desc, journal_index desc limit :limit offset :offset"))
                .map(ROW)
                .list());
    }

    /** How many alerts match the filter (ignoring the page). */
    public long count(DashboardFilter filter) {
        return jdbi.withHandle(h -> filter.bind(h.createQuery("select count(*) from intents"
                        + filter.where("received_at", "outcome")))
                .mapTo(Long.class)
                .one());
    }

    public Optional<WebhookLogRow> byJournalIndex(long journalIndex) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from intents where journal_index = :index")
                .bind("index", journalIndex)
                .map(ROW)
                .findOne());
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
