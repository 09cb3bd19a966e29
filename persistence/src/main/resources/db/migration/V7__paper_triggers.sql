-- Pending limit/stop orders of paper accounts and the fills prices trigger (stop loss, take profit,
-- trailing stop, a pending order reached). An orders row is 'filled' (as before), 'pending' (placed,
-- not filled yet: fill_price 0, quantity the order's lots) or 'cancelled'.
alter table orders add column order_type  text             not null default 'market';
alter table orders add column order_price double precision not null default 0;
-- Why the router made the fill itself ("stop loss hit at 1.08", "limit order filled at 1.0795"); null for alerts' fills.
alter table orders add column reason      text             null;
create index orders_pending_idx on orders (account_id, symbol) where status = 'pending';

-- The trailing-stop distance in price units (0 = the stop does not trail), and the journal index
-- of the record that last wrote the row: a price moves a trailing stop only if it came at or after
-- that record (a later fill or modify already carries the stop the earlier prices made).
alter table positions add column trail_distance double precision not null default 0;
alter table positions add column journal_index  bigint           not null default 0;

-- The latest price of each symbol: from the price feed and from alerts that carried one.
create table last_prices (
    symbol     text             primary key,
    price      double precision not null,
    updated_at timestamptz      not null
);
