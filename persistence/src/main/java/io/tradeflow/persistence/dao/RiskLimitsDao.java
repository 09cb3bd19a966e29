package io.tradeflow.persistence.dao;

import io.tradeflow.config.RiskLimits;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads per-account risk limits, which the projection writes from RISK_LIMITS commands. An
 * account without a row trades under the configured defaults.
 */
public final class RiskLimitsDao {
    private static final String COLUMNS = "account_id, max_quantity, max_daily_loss, max_open_positions,"
            + " trading_hours, time_zone, allowed_symbols, rate_limit_per_window, rate_limit_window_ms";
    private static final RowMapper<AccountRiskLimits> ROW = (rs, ctx) -> new AccountRiskLimits(
            rs.getLong("account_id"),
            new RiskLimits(
                    rs.getDouble("max_quantity"),
                    rs.getDouble("max_daily_loss"),
                    rs.getInt("max_open_positions"),
                    rs.getString("trading_hours"),
                    ZoneId.of(rs.getString("time_zone")),
                    Arrays.asList((String[]) rs.getArray("allowed_symbols").getArray()),
                    rs.getInt("rate_limit_per_window"),
                    Duration.ofMillis(rs.getLong("rate_limit_window_ms"))));

    private final Jdbi jdbi;

    public RiskLimitsDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's own limits, or empty when it uses the defaults. */
    public Optional<RiskLimits> findByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from risk_limits where account_id = :id")
                .bind("id", accountId)
                .map(ROW)
                .findOne()
                .map(AccountRiskLimits::limits));
    }

    /** Every account's own limits, read in the caller's transaction (start-up loading). */
    public static List<AccountRiskLimits> listAll(Handle handle) {
        return handle.createQuery("select " + COLUMNS + " from risk_limits order by account_id")
                .map(ROW)
                .list();
    }
}
