-- Issue 16, account security: email verification, last login, single-use tokens sent by email,
-- two-step logins, TOTP two-factor authentication with recovery codes.

alter table users
    add column email_verified boolean     not null default false,
    add column last_login     timestamptz null;

-- Single-use secrets handed to a user (a link in an email, the challenge of a two-step login):
-- only their SHA-256 is stored. A row is consumed by setting used_at, in the same statement that
-- checks it, so a token works once even when two requests race.
create table auth_tokens (
    id         bigserial   primary key,
    user_id    bigint      not null references users (id),
    purpose    text        not null check (purpose in ('password_reset', 'email_verification', 'login_challenge')),
    token_hash bytea       not null unique check (length(token_hash) = 32),
    -- For a login challenge answered by an emailed code: SHA-256 of the code (with the challenge as salt).
    code_hash  bytea       null,
    attempts   int         not null default 0,
    expires_at timestamptz not null,
    used_at    timestamptz null,
    created_at timestamptz not null default now()
);
create index auth_tokens_user_idx on auth_tokens (user_id, purpose);

-- Second factor of a user: an authenticator (TOTP, its secret encrypted like broker credentials)
-- or a code sent by email. A TOTP secret counts only once confirmed with a code.
create table user_two_factor (
    user_id        bigint      primary key references users (id),
    totp_secret    bytea       null,
    totp_confirmed timestamptz null,
    -- The last TOTP time step accepted, so a code cannot be replayed within its window.
    totp_last_step bigint      not null default 0,
    email_otp      boolean     not null default false,
    updated_at     timestamptz not null default now()
);

-- Recovery codes, SHA-256 only, each usable once.
create table recovery_codes (
    id        bigserial   primary key,
    user_id   bigint      not null references users (id),
    code_hash bytea       not null check (length(code_hash) = 32),
    used_at   timestamptz null,
    unique (user_id, code_hash)
);

-- Whether the session of a refresh token was opened with a second factor; rotation keeps it.
alter table refresh_tokens add column two_factor boolean not null default false;
