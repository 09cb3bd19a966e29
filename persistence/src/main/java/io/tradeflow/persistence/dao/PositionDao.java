package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;

/** Reads positions (written only by the projection). Flat positions are kept as rows of zero and skipped here. */
public final class PositionDao {
    private static final RowMapper<PositionRow> ROW = (rs, ctx) -> new PositionRow(
            rs.getLong("account_id"),
            rs.getString("symbol"),
            rs.getDouble("quantity"),
            rs.getDouble("average_price"),
            SqlTime.instant(rs, "updated_at"),
            rs.getDouble("stop_loss"),
            rs.getDouble("take_profit"),
            rs.getDouble("trail_distance"),
            rs.getDouble("last_price"));
    private static final String COLUMNS = "p.account_id, p.symbol, p.quantity, p.average_price, p.updated_at,"
            + " p.stop_loss, p.take_profit, p.trail_distance, coalesce(lp.price, 0) as last_price";

    private final Jdbi jdbi;

    public PositionDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's open positions, by symbol. */
    public List<PositionRow> listOpenByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from positions p"
                        + " left join last_prices lp on lp.symbol = p.symbol"
                        + " where p.account_id = :id and p.quantity <> 0 order by p.symbol")
                .bind("id", accountId)
                .map(ROW)
                .list());
    }

    /** Everything each of the user's accounts realised (net of commission), by account id; accounts without orders are absent. */
    public java.util.Map<Long, Double> realizedTotalsByUser(long userId) {
        java.util.Map<Long, Double> totals = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("select o.account_id, sum(o.realized_pnl) as realized from orders o"
                        + " join broker_accounts a on a.id = o.account_id where a.user_id = :id group by o.account_id")
                .bind("id", userId)
                .map((rs, ctx) -> java.util.Map.entry(rs.getLong("account_id"), rs.getDouble("realized")))
                .forEach(e -> totals.put(e.getKey(), e.getValue())));
        return totals;
    }

    /** The open positions of all the user's accounts, by account and symbol. */
    public List<PositionRow> listOpenByUser(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from positions p"
                        + " join broker_accounts a on a.id = p.account_id left join last_prices lp on lp.symbol = p.symbol"
                        + " where a.user_id = :id and p.quantity <> 0 order by p.account_id, p.symbol")
                .bind("id", userId)
                .map(ROW)
                .list());
    }
}
