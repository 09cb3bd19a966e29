-- Strategy tags (issue 4, analytics by strategy): the tag an alert carried (unify `strategy` or
-- `user_context.strategy`, TradersPost `strategy`, PineConnector `comment=`), null when untagged.
-- Orders keep it too, so per-strategy analytics group the orders table without a join.
alter table intents add column strategy text;
alter table orders add column strategy text;
-- A broker's fill report carries no tag: the projection takes it from the intent that made the
-- order, found by order id (as a broker's refusal already marks its intent).
create index intents_order_idx on intents (order_id) where order_id is not null;
