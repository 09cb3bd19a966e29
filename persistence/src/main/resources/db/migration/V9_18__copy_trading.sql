-- Copy trading (issue 18): masters, follower subscriptions with license tokens, and protection events.
-- The service writes masters and subscriptions before it sends the matching COPY_* control event into the
-- ring; StateLoader seeds the ring's follower links from these tables and replay re-applies the controls.

create table copy_masters (
    id         bigserial   primary key,
    user_id    bigint      not null references users (id),
    -- The account whose accepted alerts are copied; one master per account.
    account_id bigint      not null unique references broker_accounts (id),
    name       text        not null,
    published  boolean     not null default true,
    created_at timestamptz not null default now()
);
create index copy_masters_user_idx on copy_masters (user_id);

create table copy_subscriptions (
    id                 bigserial   primary key,
    master_id          bigint      not null references copy_masters (id),
    user_id            bigint      not null references users (id),
    -- 'multiplier' (size_value times the master's size), 'qty' (fixed), 'percent_equity' or 'risk_percent'.
    sizing             text        not null check (sizing in ('multiplier', 'qty', 'percent_equity', 'risk_percent')),
    size_value         double precision not null check (size_value > 0),
    -- The master's symbol to the follower's, entries 'FROM=TO' (as alert settings' symbol maps).
    symbol_map         text[]      not null default '{}',
    status             text        not null default 'active' check (status in ('active', 'paused', 'cancelled')),
    -- SHA-256 of the license token (shown once at creation); the EA authenticates protection events with it.
    license_token_hash bytea       not null unique,
    expires_at         timestamptz null,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index copy_subscriptions_user_idx on copy_subscriptions (user_id);
create index copy_subscriptions_master_idx on copy_subscriptions (master_id);

create table copy_subscription_accounts (
    subscription_id bigint not null references copy_subscriptions (id),
    account_id      bigint not null references broker_accounts (id),
    primary key (subscription_id, account_id)
);

create table protection_events (
    id              bigserial   primary key,
    -- The follower (owner of the account that did not take the signal). No foreign key: the projection
    -- writes router events and must never stall on a row it cannot write.
    user_id         bigint      not null,
    subscription_id bigint      null,
    account_id      bigint      null,
    -- 'router' (a copy the router refused, from the journal) or 'ea' (reported with a license token).
    source          text        not null check (source in ('router', 'ea')),
    reason          text        not null,
    details         text        null,
    symbol          text        null,
    -- The refused copy's journal record (router events): written once however often the projection retries.
    journal_index   bigint      null unique,
    created_at      timestamptz not null
);
create index protection_events_user_idx on protection_events (user_id, created_at desc);
