package io.tradeflow.persistence.dao;

import io.tradeflow.config.AlertSettings;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Reads per-account alert settings, which the projection writes from ALERT_SETTINGS commands. An
 * account without a row reads its alerts under the configured defaults.
 */
public final class AlertSettingsDao {
    private final Jdbi jdbi;

    public AlertSettingsDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The account's own settings, or empty when it uses the defaults. */
    public Optional<AlertSettings> findByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select pyramiding, duplicate_window_ms, max_signal_age_ms,"
                        + " idempotency_window_ms, symbol_map, symbol_suffix from account_alert_settings"
                        + " where account_id = :id")
                .bind("id", accountId)
                .map((rs, ctx) -> settings(rs))
                .findOne());
    }

    /** The entries were written from a validated AlertSettings, so one that does not parse is corruption. */
    private static AlertSettings settings(ResultSet rs) throws SQLException {
        String[] entries = (String[]) rs.getArray("symbol_map").getArray();
        Map<String, String> symbolMap = AlertSettings.parseSymbolMap(Arrays.asList(entries));
        if (symbolMap == null) {
            throw new IllegalStateException("account_alert_settings holds an invalid symbol map: " + Arrays.toString(entries));
        }
        return new AlertSettings(
                rs.getInt("pyramiding"),
                Duration.ofMillis(rs.getLong("duplicate_window_ms")),
                Duration.ofMillis(rs.getLong("max_signal_age_ms")),
                Duration.ofMillis(rs.getLong("idempotency_window_ms")),
                symbolMap,
                rs.getString("symbol_suffix"));
    }
}
