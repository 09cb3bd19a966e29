-- EA start/stop (issue 18, seed 003): whether the user lets a MetaTrader account's EA trade. The EA gets it
-- on every poll (ea_state); while stopped the router sends the account no order.
alter table broker_accounts add column ea_running boolean not null default true;
