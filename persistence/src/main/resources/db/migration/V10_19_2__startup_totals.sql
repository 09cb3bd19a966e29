-- Issue 19, part 4: start-up reads only rows kept current by the projection, never an aggregate of
-- the whole history, so a restart takes as long after five million alerts as after five.

-- What each account has realised in all (net of commission): the equity sizing adds up. The
-- projection writes the router's absolute total from each fill, in the batch's transaction.
create table account_realized (
    account_id bigint           primary key,
    realized   double precision not null
);
insert into account_realized (account_id, realized)
    select account_id, sum(realized_pnl) from orders group by account_id;

-- last_prices exists since V7; orders projected before it only had their price through the intents
-- join start-up used to run on every start. Copy those prices once; a newer row already there wins.
insert into last_prices (symbol, price, updated_at)
    select distinct on (o.symbol) o.symbol, i.price, o.created_at from orders o
    join intents i on i.journal_index = o.journal_index where i.price > 0
    order by o.symbol, o.id desc
on conflict (symbol) do nothing;
