-- How many entries built each open position (the first plus each add), which an account's
-- pyramiding limit counts. Without it a restart counted every open position as one entry, so an
-- account with pyramiding 2 and two entries could add a third after a restart. Rows written before
-- this column count as one entry, as they did. (Version 8.1, not 8: issue 21 ran beside other
-- branches that may add a V8.)
alter table positions add column entries int not null default 1;
