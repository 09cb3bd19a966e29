-- Issue 3 (alert language): a position's stop-loss and take-profit prices, resolved by the
-- router from the alert's mode (0 = none), so a restart from the projection keeps them.
alter table positions add column stop_loss   double precision not null default 0;
alter table positions add column take_profit double precision not null default 0;
