package io.tradeflow.persistence.dao;

import io.tradeflow.config.RiskLimits;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;

/** The user-level risk config, which the dashboard applies to each of the user's accounts. */
public final class UserRiskConfigDao {
    private final Jdbi jdbi;

    public UserRiskConfigDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<RiskLimits> find(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select max_quantity, max_daily_loss, max_open_positions,"
                        + " trading_hours, time_zone, allowed_symbols, rate_limit_per_window, rate_limit_window_ms"
                        + " from user_risk_config where user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> new RiskLimits(
                        rs.getDouble("max_quantity"),
                        rs.getDouble("max_daily_loss"),
                        rs.getInt("max_open_positions"),
                        rs.getString("trading_hours"),
                        ZoneId.of(rs.getString("time_zone")),
                        Arrays.asList((String[]) rs.getArray("allowed_symbols").getArray()),
                        rs.getInt("rate_limit_per_window"),
                        Duration.ofMillis(rs.getLong("rate_limit_window_ms"))))
                .findOne());
    }

    public void put(long userId, RiskLimits limits, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("insert into user_risk_config (user_id, max_quantity, max_daily_loss,"
                        + " max_open_positions, trading_hours, time_zone, allowed_symbols, rate_limit_per_window,"
                        + " rate_limit_window_ms, updated_at) values (:user, :maxQuantity, :maxDailyLoss,"
                        + " :maxOpenPositions, :tradingHours, :timeZone, :allowedSymbols, :perWindow, :windowMillis, :at)"
                        + " on conflict (user_id) do update set max_quantity = excluded.max_quantity,"
                        + " max_daily_loss = excluded.max_daily_loss, max_open_positions = excluded.max_open_positions,"
                        + " trading_hours = excluded.trading_hours, time_zone = excluded.time_zone,"
                        + " allowed_symbols = excluded.allowed_symbols,"
                        + " rate_limit_per_window = excluded.rate_limit_per_window,"
                        + " rate_limit_window_ms = excluded.rate_limit_window_ms, updated_at = excluded.updated_at")
                .bind("user", userId)
                .bind("maxQuantity", limits.maxQuantity())
                .bind("maxDailyLoss", limits.maxDailyLoss())
                .bind("maxOpenPositions", limits.maxOpenPositions())
                .bind("tradingHours", limits.tradingHours())
                .bind("timeZone", limits.timeZone().getId())
                .bind("allowedSymbols", limits.allowedSymbols().toArray(new String[0]))
                .bind("perWindow", limits.rateLimitPerWindow())
                .bind("windowMillis", limits.rateLimitWindow().toMillis())
                .bind("at", SqlTime.utc(at))
                .execute());
    }
}
