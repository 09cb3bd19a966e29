-- Plans and billing (issue 17). Versioned 9.17 so parallel changes can add their own V9_x.

-- Every plan the config knows (billing.plans.*), not only trial and pro.
alter table users drop constraint if exists users_plan_check;
alter table users add constraint users_plan_check check (plan in ('trial', 'starter', 'pro', 'elite'));
-- What the router enforces, mirrored by the projection from PLAN_CHANGED and USER_SUSPENDED:
-- lapsed = entries refused; grace_ends_at = a failed payment's grace end (entries refused after it).
alter table users add column plan_lapsed boolean not null default false;
alter table users add column grace_ends_at timestamptz null;
alter table users add column suspended boolean not null default false;

-- The user's Stripe customer and subscription as Stripe last described them (ids only: no card
-- data, no secrets). status is Stripe's subscription status (active, past_due, canceled, ...).
create table billing_subscriptions (
    user_id              bigint      primary key references users (id),
    customer_id          text        not null unique,
    subscription_id      text        null unique,
    plan                 text        null,
    status               text        null,
    current_period_end   timestamptz null,
    cancel_at_period_end boolean     not null default false,
    -- End of the grace period a failed payment started (null = none); routing continues until then.
    grace_ends_at        timestamptz null,
    -- Stripe's own "created" time of the newest event applied; an older event never overrides it.
    state_at             bigint      not null default 0,
    updated_at           timestamptz not null default now()
);

-- Each Stripe event id is applied once: a redelivery finds its id here and changes nothing.
create table billing_events (
    event_id    text        primary key,
    type        text        not null,
    user_id     bigint      null,
    received_at timestamptz not null default now()
);
