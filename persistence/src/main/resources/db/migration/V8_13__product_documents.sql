-- The product documents' shapes (signup with a name and a chosen plan, the emergency stop's
-- start, the webhook log's request body and answer). Versioned 8.13, not 8: another change may
-- add a V8 in parallel, and two migrations with one version stop Flyway.

-- The name a user signs up with (`name`, or `full_name`), shown and changed in the profile.
alter table users add column name text null;
-- The plan the user picked at signup (`plan`); everyone still starts on the trial, this says
-- which plan checkout should offer.
alter table users add column chosen_plan text null;
-- Access tokens issued before this instant (whole seconds, as tokens carry them) are refused: set
-- by a password change, so every other session ends at once, not when its access token lapses.
alter table users add column sessions_valid_after timestamptz null;
-- When the current emergency stop began (null while none is on); written by the projection from
-- the journaled control event's time, so a rebuild gives the same value.
alter table users add column emergency_stop_since timestamptz null;

-- Per alert, what the webhook log shows besides the intent: the request body as received (the API
-- key redacted, capped) and the answer returned. Written off the hot path after the answer went
-- out; keyed by the intent's journal index. No foreign key: the intent row is projected
-- separately and may arrive later.
create table webhook_payloads (
    journal_index  bigint      primary key,
    body           text        not null,
    body_truncated boolean     not null,
    answer         text        not null,
    created_at     timestamptz not null default now()
);
