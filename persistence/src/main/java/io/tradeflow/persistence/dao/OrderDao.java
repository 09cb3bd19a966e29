package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;

/** Reads orders (written only by the projection: filled, pending and cancelled), newest first. */
public final class OrderDao {
    private static final String COLUMNS = "id, journal_index, account_id, user_id, symbol, side, quantity,"
            + " fill_price, commission, realized_pnl, status, created_at, order_type, order_price, reason";
    private static final RowMapper<OrderRow> ROW = (rs, ctx) -> new OrderRow(
            rs.getLong("id"),
            rs.getLong("journal_index"),
            rs.getLong("account_id"),
            rs.getLong("user_id"),
            rs.getString("symbol"),
            rs.getString("side"),
            rs.getDouble("quantity"),
            rs.getDouble("fill_price"),
            rs.getDouble("commission"),
            rs.getDouble("realized_pnl"),
            rs.getString("status"),
            SqlTime.instant(rs, "created_at"),
            rs.getString("order_type"),
            rs.getDouble("order_price"),
            rs.getString("reason"));

    private final Jdbi jdbi;

    public OrderDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public List<OrderRow> listByAccount(long accountId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from orders where account_id = :id"
                        + " order by id desc limit :limit")
                .bind("id", accountId)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }

    /** The user's orders matching the filter, newest first, one page. */
    public List<OrderRow> search(DashboardFilter filter) {
        return jdbi.withHandle(h -> filter.bind(h.createQuery("select " + COLUMNS + " from orders"
                        + filter.where("created_at", "status") + " order by id desc limit :limit offset :offset"))
                .map(ROW)
                .list());
    }

    /** How many orders match the filter (ignoring the page). */
    public long count(DashboardFilter filter) {
        return jdbi.withHandle(h -> filter.bind(h.createQuery("select count(*) from orders"
                        + filter.where("created_at", "status")))
                .mapTo(Long.class)
                .one());
    }

    public List<OrderRow> listByUser(long userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from orders where user_id = :id"
                        + " order by id desc limit :limit")
                .bind("id", userId)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }
}
