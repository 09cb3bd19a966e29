-- Copy-trading groups and settlement (issue 18, seed 003). A master runs groups; members join with the
-- group's invite code and leave from their side, or the master removes them; admins see and manage all.
-- Settlement reads the realised P&L of the follower orders copied from the group's master (copy_orders,
-- written by the projection from the journal's copies) at the group's performance-fee rate: no money moves.

create table copy_groups (
    id          bigserial    primary key,
    master_id   bigint       not null references copy_masters (id),
    -- The master's user (the owner); kept here so ownership checks need no join.
    user_id     bigint       not null references users (id),
    name        text         not null,
    -- Performance fee owed on a member's net profit, in percent (0 to 100, two decimals).
    fee_percent numeric(5, 2) not null check (fee_percent >= 0 and fee_percent <= 100),
    -- What members join with; shared by the master as a code or a link, so stored as is (not a credential:
    -- joining grants no access to anything but the group's name and master). The master can replace it.
    invite_code text         not null unique,
    status      text         not null default 'active' check (status in ('active', 'closed')),
    created_at  timestamptz  not null default now()
);
create index copy_groups_user_idx on copy_groups (user_id);
create index copy_groups_master_idx on copy_groups (master_id);

create table copy_group_members (
    id         bigserial   primary key,
    group_id   bigint      not null references copy_groups (id),
    user_id    bigint      not null references users (id),
    -- What the master sees instead of the member's email or accounts.
    alias      text        not null,
    -- 'active', 'left' (the member left) or 'removed' (the master or an admin removed the member).
    status     text        not null default 'active' check (status in ('active', 'left', 'removed')),
    joined_at  timestamptz not null default now(),
    ended_at   timestamptz null
);
-- One active membership per user and group (a member who left may join again: a new row, a new period).
create unique index copy_group_members_active_idx on copy_group_members (group_id, user_id) where status = 'active';
create index copy_group_members_user_idx on copy_group_members (user_id);

-- Every accepted follower copy that placed an order: which master and subscription it came from. Written by
-- the projection (once per journal record), so settlement can find the orders copied from a master.
create table copy_orders (
    order_id          bigint      not null,
    account_id        bigint      not null,
    user_id           bigint      not null,
    master_account_id bigint      not null,
    subscription_id   bigint      not null,
    journal_index     bigint      not null unique,
    created_at        timestamptz not null,
    primary key (order_id, account_id)
);
create index copy_orders_master_user_idx on copy_orders (master_account_id, user_id);
