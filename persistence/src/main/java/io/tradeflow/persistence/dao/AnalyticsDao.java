package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Trading analytics computed by PostgreSQL over the projected orders: the database aggregates,
 * Java only carries the rows. A trade is an executed order; a win or loss is an order that
 * realised P&amp;L (net of commission) above or below zero.
 */
public final class AnalyticsDao {
    private final Jdbi jdbi;

    public AnalyticsDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Which orders to aggregate: one user's (or everyone's when {@code userId} is null), since a
     * time (null: all time), on one broker (null: every broker).
     */
    public record Scope(Long userId, Instant since, String broker) {
        String where() {
            // Pending and cancelled paper orders traded nothing (yet): analytics count fills only.
            StringBuilder sql = new StringBuilder(" from orders o join broker_accounts a on a.id = o.account_id"
                    + " where o.status = 'filled'");
            if (userId != null) {
                sql.append(" and o.user_id = :user");
            }
            if (since != null) {
                sql.append(" and o.created_at >= :since");
            }
            if (broker != null) {
                sql.append(" and a.broker = :broker");
            }
            return sql.toString();
        }

        Query bind(Query query) {
            if (userId != null) {
                query.bind("user", userId);
            }
            if (since != null) {
                query.bind("since", SqlTime.utc(since));
            }
            if (broker != null) {
                query.bind("broker", broker);
            }
            return query;
        }
    }

    public record Summary(long totalTrades, double totalPnl, double winRate, long activeUsers) {
    }

    /**
     * Trades, P&amp;L, win rate (wins over fills that realised anything, 0 when none; a fraction) and
     * active users. A trade is an order an alert made (its intent names the order: market, limit or
     * stop, entry or exit, also when a pending order fills later); the router's own closes (stop
     * loss, take profit, trailing stop, dashboard close, emergency stop) are not trades, though their
     * P&amp;L counts.
     */
    public Summary summary(Scope scope) {
        return jdbi.withHandle(h -> scope.bind(h.createQuery("select count(*) filter (where exists (select 1"
                        + " from intents i where i.order_id = o.id)) as trades,"
                        + " coalesce(sum(o.realized_pnl), 0) as pnl,"
                        + " coalesce(count(*) filter (where o.realized_pnl > 0)::double precision"
                        + "   / nullif(count(*) filter (where o.realized_pnl <> 0), 0), 0) as win_rate,"
                        + " count(distinct o.user_id) as active_users" + scope.where()))
                .map((rs, ctx) -> new Summary(rs.getLong("trades"), rs.getDouble("pnl"), rs.getDouble("win_rate"),
                        rs.getLong("active_users")))
                .one());
    }

    /**
     * One day of realised P&amp;L (UTC days): {@code loss} is a positive amount,
     * {@code net = profit − loss}; {@code date} is null on the total row.
     */
    public record PnlDay(LocalDate date, double profit, double loss, double net) {
    }

    /** Per-day profit, loss and net, oldest first, followed by the total row (SQL grouping sets). */
    public List<PnlDay> dailyPnl(Scope scope) {
        return jdbi.withHandle(h -> scope.bind(h.createQuery("select (o.created_at at time zone 'UTC')::date as day,"
                        + " coalesce(sum(greatest(o.realized_pnl, 0)), 0) as profit,"
                        + " 0 - coalesce(sum(least(o.realized_pnl, 0)), 0) as loss,"
                        + " coalesce(sum(o.realized_pnl), 0) as net" + scope.where()
                        + " group by grouping sets ((1), ()) order by grouping((o.created_at at time zone 'UTC')::date), 1"))
                .map((rs, ctx) -> new PnlDay(rs.getObject("day", LocalDate.class), rs.getDouble("profit"),
                        rs.getDouble("loss"), rs.getDouble("net")))
                .list());
    }

    public record SymbolTrades(String symbol, long trades, double volume, long wins, long losses, double pnl) {
    }

    /** Trades per symbol, most traded first. */
    public List<SymbolTrades> bySymbol(Scope scope) {
        return jdbi.withHandle(h -> scope.bind(h.createQuery("select o.symbol, count(*) as trades,"
                        + " sum(o.quantity) as volume, count(*) filter (where o.realized_pnl > 0) as wins,"
                        + " count(*) filter (where o.realized_pnl < 0) as losses, sum(o.realized_pnl) as pnl"
                        + scope.where() + " group by o.symbol order by trades desc, o.symbol"))
                .map((rs, ctx) -> new SymbolTrades(rs.getString("symbol"), rs.getLong("trades"), rs.getDouble("volume"),
                        rs.getLong("wins"), rs.getLong("losses"), rs.getDouble("pnl")))
                .list());
    }

    /** {@code strategy} is null for the orders of untagged alerts (and of dashboard closes). */
    public record StrategyTrades(String strategy, long trades, double volume, long wins, long losses, double pnl) {
    }

    /** Trades per strategy tag, most traded first; the untagged group sorts last among equals. */
    public List<StrategyTrades> byStrategy(Scope scope) {
        return jdbi.withHandle(h -> scope.bind(h.createQuery("select o.strategy, count(*) as trades,"
                        + " sum(o.quantity) as volume, count(*) filter (where o.realized_pnl > 0) as wins,"
                        + " count(*) filter (where o.realized_pnl < 0) as losses, sum(o.realized_pnl) as pnl"
                        + scope.where() + " group by o.strategy order by trades desc, o.strategy nulls last"))
                .map((rs, ctx) -> new StrategyTrades(rs.getString("strategy"), rs.getLong("trades"),
                        rs.getDouble("volume"), rs.getLong("wins"), rs.getLong("losses"), rs.getDouble("pnl")))
                .list());
    }
}
