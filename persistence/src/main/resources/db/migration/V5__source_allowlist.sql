-- Per-account source-IP allowlists set from the dashboard (SOURCE_ALLOWLIST commands), the
-- router's view. An account without a row, or with an empty list, accepts alerts from any address.
-- V5, not V4: V4 is taken by another change in parallel.
create table account_allowed_sources (
    -- No foreign key, like risk_limits: the projection must never stall on a row it cannot write.
    account_id bigint      primary key,
    -- Address blocks in CIDR notation (a.b.c.d/n or eight IPv6 groups/n), as CidrBlock writes them.
    sources    text[]      not null,
    updated_at timestamptz not null
);
