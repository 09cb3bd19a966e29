-- TradeFlow schema. Users, broker accounts and API keys are written by the dashboard; intents,
-- orders, positions and daily P&L are a projection of the journal written by the projection
-- writer, keyed by journal index so re-applying a batch changes nothing.

create table users (
    id             bigserial   primary key,
    email          text        not null unique,
    password_hash  text        null,
    role           text        not null default 'user'  check (role in ('user', 'admin')),
    plan           text        not null default 'trial' check (plan in ('trial', 'pro')),
    trades_count   int         not null default 0,
    emergency_stop boolean     not null default false,
    created_at     timestamptz not null default now()
);

create table broker_accounts (
    id          bigserial   primary key,
    user_id     bigint      not null references users (id),
    broker      text        not null check (broker in ('paper', 'tradelocker', 'projectx', 'mtx')),
    label       text        not null,
    enabled     boolean     not null default true,
    -- Encrypted broker credentials (the encryption key comes from config, never from here).
    credentials bytea       null,
    created_at  timestamptz not null default now()
);
create index broker_accounts_user_idx on broker_accounts (user_id);

create table api_keys (
    id         bigserial   primary key,
    account_id bigint      not null references broker_accounts (id),
    -- SHA-256 of the key: the key itself is shown to the user once and never stored.
    key_hash   bytea       not null unique check (length(key_hash) = 32),
    -- The first characters of the key, so the user can tell keys apart.
    key_prefix text        not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz null
);
create index api_keys_account_idx on api_keys (account_id);

-- The webhook log: one row per journaled alert, whatever its outcome. Account and user are null
-- when the key did not authenticate.
create table intents (
    journal_index bigint           primary key,
    received_at   timestamptz      not null,
    account_id    bigint           null,
    user_id       bigint           null,
    symbol        text,
    action        text,
    side          text,
    order_type    text,
    quantity      double precision,
    price         double precision,
    client_id     text,
    outcome       text             not null,
    http_status   int              not null,
    reason        text,
    field         text,
    order_id      bigint           null,
    latency_us    bigint           not null
);
create index intents_account_received_idx on intents (account_id, received_at);
create index intents_user_received_idx on intents (user_id, received_at);

-- Orders the router executed; the id is the router's order id.
create table orders (
    id            bigint           primary key,
    journal_index bigint           not null unique,
    account_id    bigint           not null,
    user_id       bigint           not null,
    symbol        text             not null,
    side          text             not null,
    quantity      double precision not null,
    fill_price    double precision not null,
    commission    double precision not null,
    realized_pnl  double precision not null,
    status        text             not null,
    created_at    timestamptz      not null
);
create index orders_account_created_idx on orders (account_id, created_at);
create index orders_user_created_idx on orders (user_id, created_at);

-- Net position after the latest fill (absolute values, so replays are harmless).
create table positions (
    account_id    bigint           not null,
    symbol        text             not null,
    quantity      double precision not null,
    average_price double precision not null,
    updated_at    timestamptz      not null,
    primary key (account_id, symbol)
);

-- Realised P&L per trading day, in days since 1970-01-01 in the account's risk time zone.
create table daily_pnl (
    account_id  bigint           not null,
    trading_day bigint           not null,
    realized    double precision not null,
    primary key (account_id, trading_day)
);

-- Per-account risk limits set from the dashboard (RISK_LIMITS commands); accounts without a row
-- use the configured defaults.
create table risk_limits (
    account_id            bigint           primary key,
    max_quantity          double precision not null,
    max_daily_loss        double precision not null,
    max_open_positions    int              not null,
    -- '' (always open) or HH:mm-HH:mm in time_zone
    trading_hours         text             not null,
    time_zone             text             not null,
    -- Upper-case symbols that may be traded; empty allows all.
    allowed_symbols       text[]           not null,
    rate_limit_per_window int              not null,
    rate_limit_window_ms  bigint           not null,
    updated_at            timestamptz      not null
);

-- The last journal index applied, written in the same transaction as the rows it covers.
create table projection_state (
    id         int    primary key check (id = 1),
    last_index bigint not null
);
insert into projection_state (id, last_index) values (1, 0);
