-- The dashboard: sessions, user-level risk config, deleted accounts and the admin audit trail.

-- A deleted account keeps its row (orders and the webhook log still refer to it) but is hidden
-- from the dashboard; its keys are revoked and it is switched off in the router.
alter table broker_accounts add column deleted_at timestamptz null;

-- Refresh tokens, stored only as SHA-256 like API keys. Each refresh revokes the token it used and
-- issues a new one (rotation); presenting a revoked token revokes every token of the user.
create table refresh_tokens (
    id          bigserial   primary key,
    user_id     bigint      not null references users (id),
    token_hash  bytea       not null unique check (length(token_hash) = 32),
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    revoked_at  timestamptz null
);
create index refresh_tokens_user_idx on refresh_tokens (user_id);

-- The user's risk config: applied to every account of the user when set, and to accounts
-- registered later. Per-account overrides live in risk_limits (the router's view).
create table user_risk_config (
    user_id               bigint           primary key references users (id),
    max_quantity          double precision not null,
    max_daily_loss        double precision not null,
    max_open_positions    int              not null,
    trading_hours         text             not null,
    time_zone             text             not null,
    allowed_symbols       text[]           not null,
    rate_limit_per_window int              not null,
    rate_limit_window_ms  bigint           not null,
    updated_at            timestamptz      not null default now()
);

-- Every admin action (listing users, impersonating, ...), who did it and to whom.
create table admin_audit (
    id             bigserial   primary key,
    admin_user_id  bigint      not null references users (id),
    action         text        not null,
    target_user_id bigint      null,
    detail         text        null,
    at             timestamptz not null default now()
);
create index admin_audit_admin_idx on admin_audit (admin_user_id, at);
