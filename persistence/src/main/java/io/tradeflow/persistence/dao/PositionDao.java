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
            SqlTime.instant(rs, "updated_at"));

    private final Jdbi jdbi;

    public PositionDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's open positions, by symbol. */
    public List<PositionRow> listOpenByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select account_id, symbol, quantity, average_price, updated_at"
                        + " from positions where account_id = :id and quantity <> 0 order by symbol")
                .bind("id", accountId)
                .map(ROW)
                .list());
    }

    /** The open positions of all the user's accounts, by account and symbol. */
    public List<PositionRow> listOpenByUser(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select p.account_id, p.symbol, p.quantity, p.average_price,"
                        + " p.updated_at from positions p join broker_accounts a on a.id = p.account_id"
                        + " where a.user_id = :id and p.quantity <> 0 order by p.account_id, p.symbol")
                .bind("id", userId)
                .map(ROW)
                .list());
    }
}
