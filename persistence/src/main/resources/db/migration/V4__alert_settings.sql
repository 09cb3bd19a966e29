-- Per-account alert settings set from the dashboard (ALERT_SETTINGS commands), the router's view.
-- An account without a row reads its alerts under the configured alerts.* defaults.
create table account_alert_settings (
    -- No foreign key, like risk_limits and account_allowed_sources: the projection must never
    -- stall on a row it cannot write.
    account_id            bigint      primary key,
    pyramiding            int         not null check (pyramiding >= 1),
    duplicate_window_ms   bigint      not null check (duplicate_window_ms >= 0),
    max_signal_age_ms     bigint      not null check (max_signal_age_ms >= 0),
    idempotency_window_ms bigint      not null check (idempotency_window_ms > 0),
    -- TICKER=INSTRUMENT entries, upper-cased, as AlertSettings.parseSymbolMap reads them.
    symbol_map            text[]      not null,
    symbol_suffix         text        not null,
    updated_at            timestamptz not null
);
