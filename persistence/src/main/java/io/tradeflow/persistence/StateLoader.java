package io.tradeflow.persistence;

import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.persistence.dao.AllowedSourcesDao;
import io.tradeflow.persistence.dao.CopyDao;
import io.tradeflow.persistence.dao.RiskLimitsDao;
import io.tradeflow.persistence.dao.SqlTime;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the routing state from the database at start-up. Everything is read in one repeatable-read
 * transaction, so the state matches exactly the journal index it returns; the caller then replays
 * the journal after that index to reach the state at the crash or shutdown.
 */
public final class StateLoader {
    private static final Logger LOG = LoggerFactory.getLogger(StateLoader.class);

    private StateLoader() {
    }

    /**
     * Pending limit/stop orders are not loaded here: they come, with the idempotency answers and signal
     * times, from the replay checkpoint and the journal after it ({@code ReplayCheckpoint},
     * {@code JournalReplay.rebuildUnprojected} and {@code apply}). Trailing distances are loaded with the
     * positions. Every query reads rows kept current by the projection (one per account, symbol or
     * position), so the time this takes does not grow with the number of alerts ever routed.
     *
     * <p>Loads accounts with their users, risk limits and allowed sources, active keys, positions, each account's latest
     * daily P&amp;L, last prices and the order-id counter into {@code state} (fresh, not yet used by
     * the ring).
     *
     * @return the journal index the loaded state corresponds to (0 when nothing was ever projected)
     */
    public static long load(Jdbi jdbi, RouterState state) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
            long lastIndex = h.createQuery("select last_index from projection_state where id = 1")
                    .mapTo(Long.class)
                    .one();
            PhaseTimes times = new PhaseTimes();
            loadAccounts(h, state);
            RiskLimitsDao.listAll(h).forEach(r -> state.riskLimits(r.accountId(), r.limits()));
            AllowedSourcesDao.listAll(h).forEach(s -> state.allowedSources(s.accountId(), s.blocks()));
            loadKeys(h, state);
            times.lap("accounts");
            loadPositions(h, state);
            times.lap("positions");
            loadDailyPnl(h, state);
            times.lap("daily");
            loadRealizedTotals(h, state);
            times.lap("realized");
            loadLastPrices(h, state);
            times.lap("prices");
            // Copy trading: published masters and the follower links of subscriptions not cancelled.
            CopyDao.listPublishedMasterAccounts(h).forEach(accountId -> state.copy().master(accountId, true));
            CopyDao.listLinks(h).forEach(state.copy()::link);
            times.lap("copy");
            // The primary key's index answers max(id) from its last page, whatever the table's size.
            state.observeOrderId(h.createQuery("select coalesce(max(id), 0) from orders")
                    .mapTo(Long.class)
                    .one());
            times.lap("orderId");
            LOG.info("start-up: state loaded from the projection at journal index {} in {} ms ({})", lastIndex,
                    times.totalMillis(), times);
            return lastIndex;
        });
    }

    private record AccountSeed(long accountId, long userId, String broker, boolean enabled, long signupAtMillis,
                               boolean trial, int tradesUsed, boolean emergencyStop, io.tradeflow.config.PlanTier tier,
                               boolean lapsed, long graceEndsAtMillis, boolean suspended) {
    }

    private record KeySeed(byte[] hash, long accountId) {
    }

    private record PositionSeed(long accountId, String symbol, double quantity, double averagePrice, double stopLoss,
                                double takeProfit, double trailDistance, int entries) {
    }

    private record DaySeed(long accountId, long tradingDay, double realized) {
    }

    private record TotalSeed(long accountId, double realized) {
    }

    private record PriceSeed(String symbol, double price) {
    }

    private static long graceEnds(java.sql.ResultSet rs) throws java.sql.SQLException {
        java.time.Instant at = SqlTime.instant(rs, "grace_ends_at");
        return at == null ? 0 : at.toEpochMilli();
    }

    private static void loadAccounts(Handle h, RouterState state) {
        h.createQuery("select a.id, a.user_id, a.broker, a.enabled, u.created_at, u.plan, u.trades_count,"
                        + " u.emergency_stop, u.plan_lapsed, u.grace_ends_at, u.suspended from broker_accounts a join users u on u.id = a.user_id order by a.id")
                .map((rs, ctx) -> new AccountSeed(rs.getLong("id"), rs.getLong("user_id"), rs.getString("broker"),
                        rs.getBoolean("enabled"), SqlTime.instant(rs, "created_at").toEpochMilli(),
                        "trial".equals(rs.getString("plan")), rs.getInt("trades_count"),
                        rs.getBoolean("emergency_stop"), io.tradeflow.config.PlanTier.fromWireName(rs.getString("plan")),
                        rs.getBoolean("plan_lapsed"), graceEnds(rs), rs.getBoolean("suspended")))
                .forEach(a -> {
                    BrokerKind broker = BrokerKind.fromWireName(a.broker());
                    if (broker == null) {
                        throw new IllegalStateException("account " + a.accountId() + " has an unknown broker "
                                + a.broker());
                    }
                    state.putAccount(a.accountId(), a.userId(), broker, a.enabled(), a.signupAtMillis(), a.trial(),
                            a.tradesUsed());
                    if (a.emergencyStop()) {
                        state.emergencyStop(a.userId(), true);
                    }
                    state.plan(a.userId(), a.tier(), a.lapsed(), a.graceEndsAtMillis());
                    if (a.suspended()) {
                        state.suspend(a.userId(), true);
                    }
                });
    }

    private static void loadKeys(Handle h, RouterState state) {
        h.createQuery("select k.key_hash, k.account_id from api_keys k"
                        + " join broker_accounts a on a.id = k.account_id where k.revoked_at is null")
                .map((rs, ctx) -> new KeySeed(rs.getBytes("key_hash"), rs.getLong("account_id")))
                .forEach(k -> state.keys().add(k.hash(), k.accountId()));
    }

    private static void loadPositions(Handle h, RouterState state) {
        h.createQuery("select account_id, symbol, quantity, average_price, stop_loss, take_profit, trail_distance,"
                        + " entries from positions where quantity <> 0")
                .map((rs, ctx) -> new PositionSeed(rs.getLong("account_id"), rs.getString("symbol"),
                        rs.getDouble("quantity"), rs.getDouble("average_price"), rs.getDouble("stop_loss"),
                        rs.getDouble("take_profit"), rs.getDouble("trail_distance"), rs.getInt("entries")))
                .forEach(p -> {
                    AccountState account = state.account(p.accountId());
                    // A position of an account that no longer exists cannot be traded.
                    if (account != null) {
                        int symbolId = state.symbols().intern(p.symbol());
                        state.positions().restore(account, symbolId, p.quantity(), p.averagePrice(), p.entries());
                        state.positions().protect(p.accountId(), symbolId, p.stopLoss(), p.takeProfit(),
                                p.trailDistance());
                    }
                });
    }

    /**
     * Everything each account has realised (net of commission), which the equity used for sizing adds up: one row
     * per account, which the projection keeps at the router's total (never a sum over the orders at start-up).
     */
    private static void loadRealizedTotals(Handle h, RouterState state) {
        h.createQuery("select account_id, realized from account_realized")
                .map((rs, ctx) -> new TotalSeed(rs.getLong("account_id"), rs.getDouble("realized")))
                .forEach(t -> state.restoreRealizedTotal(t.accountId(), t.realized()));
    }

    /** Only each account's latest day matters: the risk stage checks the current day's loss. */
    private static void loadDailyPnl(Handle h, RouterState state) {
        h.createQuery("select distinct on (account_id) account_id, trading_day, realized from daily_pnl"
                        + " order by account_id, trading_day desc")
                .map((rs, ctx) -> new DaySeed(rs.getLong("account_id"), rs.getLong("trading_day"),
                        rs.getDouble("realized")))
                .forEach(d -> state.restoreDailyPnl(d.accountId(), d.tradingDay(), d.realized()));
    }

    /**
     * The latest price of each symbol (the feed's and accepted alerts'), so an alert without a price (a close) can
     * still be filled after a restart. One row per symbol; migration V10_19_2 copied in the prices of orders
     * projected before the table existed, which start-up used to find through a join of every order and intent.
     */
    private static void loadLastPrices(Handle h, RouterState state) {
        h.createQuery("select symbol, price from last_prices where price > 0")
                .map((rs, ctx) -> new PriceSeed(rs.getString("symbol"), rs.getDouble("price")))
                .forEach(p -> state.symbols().lastPrice(state.symbols().intern(p.symbol()), p.price()));
    }
}
