-- Issue 16, notifications: per-user preferences per event and channel, webhook channels, and an
-- outbox that is also the delivery log (retries with back-off, one row per user, event, channel and
-- dedup key).

create table notification_preferences (
    user_id bigint  not null references users (id),
    event   text    not null,
    email   boolean not null,
    webhook boolean not null,
    primary key (user_id, event)
);

create table notification_channels (
    id         bigserial   primary key,
    user_id    bigint      not null references users (id),
    label      text        not null,
    url        text        not null,
    -- The signing secret, encrypted like broker credentials (it must be read back to sign).
    secret     bytea       not null,
    enabled    boolean     not null default true,
    created_at timestamptz not null default now(),
    deleted_at timestamptz null
);
create index notification_channels_user_idx on notification_channels (user_id);

create table notification_outbox (
    id              bigserial   primary key,
    user_id         bigint      not null references users (id),
    event           text        not null,
    channel         text        not null check (channel in ('email', 'webhook')),
    -- The webhook channel; null for email.
    channel_id      bigint      null references notification_channels (id),
    dedup_key       text        not null,
    title           text        not null,
    body            text        not null,
    status          text        not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text        null,
    created_at      timestamptz not null default now(),
    sent_at         timestamptz null
);
create unique index notification_outbox_dedup_idx
    on notification_outbox (user_id, event, channel, coalesce(channel_id, 0), dedup_key);
create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'pending';
create index notification_outbox_user_idx on notification_outbox (user_id, id desc);
