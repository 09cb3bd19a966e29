package io.tradeflow.persistence.projection;

import io.tradeflow.persistence.dao.BinaryCopy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The projection's per-event rows, written as one statement per table and batch: every column is
 * bound as one array and the server unnests them ({@code insert ... select ... from unnest(...)}),
 * with plain JDBC on the transaction's connection. Compared with one bound statement per row this
 * removes the per-row JDBI argument binding and pgjdbc parameter copies on the projection thread
 * and the per-statement parse/plan/execute overhead in the PostgreSQL backend; the statement texts
 * are fixed, so pgjdbc prepares each once per connection.
 *
 * <p>The append-only rows go by binary COPY instead ({@code copy*}, see {@link BinaryCopy}) when
 * none of them can exist yet; the {@code insert*} statements stay for the batch that meets
 * existing rows, which COPY cannot skip.
 *
 * <p>Timestamps travel as epoch milliseconds (a bigint array) and become timestamptz on the
 * server, exactly: every value the projection writes is a whole number of milliseconds.
 */
final class BulkWrites {
    private static final String AT = "'epoch'::timestamptz + %s * interval '1 millisecond'";

    private static final String INSERT_INTENTS = "insert into intents (journal_index, received_at, account_id, user_id,"
            + " symbol, action, side, order_type, quantity, price, client_id, outcome, http_status, reason, field,"
            + " order_id, latency_us, strategy) select r.journal_index, " + at("r.received_ms") + ", r.account_id,"
            + " r.user_id, r.symbol, r.action, r.side, r.order_type, r.quantity, r.price, r.client_id, r.outcome,"
            + " r.http_status, r.reason, r.field, r.order_id, r.latency_us, r.strategy from unnest(?::bigint[],"
            + " ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::float8[],"
            + " ?::float8[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[])"
            + " as r(journal_index, received_ms, account_id, user_id, symbol, action, side, order_type, quantity, price,"
            + " client_id, outcome, http_status, reason, field, order_id, latency_us, strategy)"
            + " on conflict (journal_index) do nothing";
    /**
     * A broker's fill report does not repeat the alert's strategy tag: it is taken from the intent
     * that made the order, which an earlier batch or this one (intents go first) projected. A fill
     * journaled with its own intent (paper, the same event) already carries that intent's tag, so
     * it skips the lookup ({@code lookup} false).
     */
    private static final String INSERT_ORDERS = "insert into orders (id, journal_index, account_id, user_id, symbol,"
            + " side, quantity, fill_price, commission, realized_pnl, status, created_at, strategy) select r.id,"
            + " r.journal_index, r.account_id, r.user_id, r.symbol, r.side, r.quantity, r.fill_price, r.commission,"
            + " r.realized_pnl, 'filled', " + at("r.created_ms") + ", coalesce(r.strategy, case when r.lookup then"
            + " (select i.strategy from intents i where i.order_id = r.id and i.account_id = r.account_id"
            + " and i.strategy is not null order by i.journal_index limit 1) end)"
            + " from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::float8[],"
            + " ?::float8[], ?::float8[], ?::float8[], ?::bigint[], ?::text[], ?::boolean[]) as r(id, journal_index,"
            + " account_id, user_id, symbol, side, quantity, fill_price, commission, realized_pnl, created_ms, strategy,"
            + " lookup) on conflict do nothing";
    private static final int INTENT_COLUMNS = 18;
    private static final String COPY_INTENTS = "copy intents (journal_index, received_at, account_id, user_id, symbol,"
            + " action, side, order_type, quantity, price, client_id, outcome, http_status, reason, field, order_id,"
            + " latency_us, strategy) from stdin (format binary)";
    private static final int ORDER_COLUMNS = 16;
    private static final String COPY_ORDERS = "copy orders (id, journal_index, account_id, user_id, symbol, side,"
            + " quantity, fill_price, commission, realized_pnl, status, created_at, strategy, order_type, order_price,"
            + " reason) from stdin (format binary)";
    private static final int COPY_ORDER_COLUMNS = 7;
    private static final String COPY_COPY_ORDERS = "copy copy_orders (order_id, account_id, user_id, master_account_id,"
            + " subscription_id, journal_index, created_at) from stdin (format binary)";
    private static final String FLATTEN_ACCOUNTS = "update positions p set quantity = 0, average_price = 0, entries = 0,"
            + " stop_loss = 0, take_profit = 0, trail_distance = 0, journal_index = f.journal_index, updated_at = "
            + at("f.at_ms") + " from unnest(?::bigint[], ?::bigint[], ?::bigint[]) as f(account_id, journal_index,"
            + " at_ms) where p.account_id = f.account_id and p.quantity <> 0";
    private static final String UPSERT_POSITIONS = "insert into positions (account_id, symbol, quantity, average_price,"
            + " stop_loss, take_profit, trail_distance, journal_index, entries, updated_at) select r.account_id, r.symbol,"
            + " r.quantity, r.average_price, r.stop_loss, r.take_profit, r.trail_distance, r.journal_index, r.entries, "
            + at("r.at_ms") + " from unnest(?::bigint[], ?::text[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],"
            + " ?::float8[], ?::bigint[], ?::int[], ?::bigint[]) as r(account_id, symbol, quantity, average_price, stop_loss,"
            + " take_profit, trail_distance, journal_index, entries, at_ms) on conflict (account_id, symbol) do update set"
            + " quantity = excluded.quantity, average_price = excluded.average_price, stop_loss = excluded.stop_loss,"
            + " take_profit = excluded.take_profit, trail_distance = excluded.trail_distance,"
            + " journal_index = excluded.journal_index, entries = excluded.entries, updated_at = excluded.updated_at";
    private static final String UPSERT_DAILY_PNL = "insert into daily_pnl (account_id, trading_day, realized)"
            + " select * from unnest(?::bigint[], ?::bigint[], ?::float8[])"
            + " on conflict (account_id, trading_day) do update set realized = excluded.realized";
    private static final String UPSERT_LAST_PRICES = "insert into last_prices (symbol, price, updated_at)"
            + " select r.symbol, r.price, " + at("r.at_ms") + " from unnest(?::text[], ?::float8[], ?::bigint[])"
            + " as r(symbol, price, at_ms) on conflict (symbol) do update set price = excluded.price,"
            + " updated_at = excluded.updated_at";
    private static final String UPDATE_TRADES_USED = "update users u set trades_count = t.trades from"
            + " unnest(?::bigint[], ?::int[]) as t(id, trades) where u.id = t.id";

    /**
     * The trail moves of the batch's prices, as the router made them (stop = max(stop, price −
     * distance) for a long; min(stop, price + distance) for a short, or price + distance when it
     * had no stop), on each row only from the prices at or after the record that last wrote it (a
     * later fill or modify already carries the stop the earlier prices made). Applied one price
     * after another, that is the highest applicable price for a long and the lowest for a short:
     * one statement per side and batch, instead of two per price (each of which, with its
     * "any account" alternative, scanned the positions of the symbol).
     */
    private static final String TRAIL_PRICES = " from (select q.account_id, q.symbol, max(t.price) as high,"
            + " min(t.price) as low from positions q join unnest(?::text[], ?::float8[], ?::bigint[], ?::bigint[])"
            + " as t(symbol, price, account_id, journal_index) on q.symbol = t.symbol"
            + " and (t.account_id is null or q.account_id = t.account_id) and q.journal_index <= t.journal_index"
            + " where q.trail_distance > 0 and q.quantity %s 0 group by q.account_id, q.symbol) as m"
            + " where p.account_id = m.account_id and p.symbol = m.symbol";
    private static final String TRAIL_LONGS = "update positions p set stop_loss = greatest(p.stop_loss,"
            + " m.high - p.trail_distance)" + String.format(TRAIL_PRICES, ">");
    private static final String TRAIL_SHORTS = "update positions p set stop_loss = case when p.stop_loss <= 0"
            + " then m.low + p.trail_distance else least(p.stop_loss, m.low + p.trail_distance) end"
            + String.format(TRAIL_PRICES, "<");

    private BulkWrites() {
    }

    private static String at(String millisColumn) {
        return String.format(AT, millisColumn);
    }

    static void insertIntents(Connection c, List<IntentRecord> intents) throws SQLException {
        int n = intents.size();
        if (n == 0) {
            return;
        }
        long[] journalIndex = new long[n];
        long[] receivedMillis = new long[n];
        Long[] accountId = new Long[n];
        Long[] userId = new Long[n];
        String[] symbol = new String[n];
        String[] action = new String[n];
        String[] side = new String[n];
        String[] orderType = new String[n];
        double[] quantity = new double[n];
        double[] price = new double[n];
        String[] clientId = new String[n];
        String[] outcome = new String[n];
        int[] httpStatus = new int[n];
        String[] reason = new String[n];
        String[] field = new String[n];
        Long[] orderId = new Long[n];
        long[] latencyMicros = new long[n];
        String[] strategy = new String[n];
        for (int k = 0; k < n; k++) {
            IntentRecord i = intents.get(k);
            journalIndex[k] = i.journalIndex();
            receivedMillis[k] = millis(i.receivedAt());
            accountId[k] = i.accountId();
            userId[k] = i.userId();
            symbol[k] = i.symbol();
            action[k] = i.action();
            side[k] = i.side();
            orderType[k] = i.orderType();
            quantity[k] = i.quantity();
            price[k] = i.price();
            clientId[k] = i.clientId();
            outcome[k] = i.outcome();
            httpStatus[k] = i.httpStatus();
            reason[k] = i.reason();
            field[k] = i.field();
            orderId[k] = i.orderId();
            latencyMicros[k] = i.latencyMicros();
            strategy[k] = i.strategy();
        }
        execute(c, INSERT_INTENTS, journalIndex, receivedMillis, accountId, userId, symbol, action, side, orderType,
                quantity, price, clientId, outcome, httpStatus, reason, field, orderId, latencyMicros, strategy);
    }

    /**
     * The batch's webhook-log rows by binary COPY. Only when none of them can exist yet (the
     * caller's fast path): COPY has no {@code on conflict do nothing}, a duplicate fails the batch.
     */
    static void copyIntents(Connection c, BinaryCopy copy, List<IntentRecord> intents) throws SQLException {
        if (intents.isEmpty()) {
            return;
        }
        copy.begin();
        for (IntentRecord i : intents) {
            copy.row(INTENT_COLUMNS).int8(i.journalIndex()).timestamptz(i.receivedAt()).int8(i.accountId())
                    .int8(i.userId()).text(i.symbol()).text(i.action()).text(i.side()).text(i.orderType())
                    .float8(i.quantity()).float8(i.price()).text(i.clientId()).text(i.outcome()).int4(i.httpStatus())
                    .text(i.reason()).text(i.field()).int8(i.orderId()).int8(i.latencyMicros()).text(i.strategy());
        }
        copy.sendTo(c, COPY_INTENTS);
    }

    /**
     * New filled orders by binary COPY, type, order price and reason included (the set-based
     * insert leaves those to a later update). The caller passes only fills whose row cannot exist
     * yet and whose strategy needs no lookup in intents.
     */
    static void copyOrders(Connection c, BinaryCopy copy, List<FillRecord> fills) throws SQLException {
        if (fills.isEmpty()) {
            return;
        }
        copy.begin();
        for (FillRecord f : fills) {
            copy.row(ORDER_COLUMNS).int8(f.orderId()).int8(f.journalIndex()).int8(f.accountId()).int8(f.userId())
                    .text(f.symbol()).text(f.side()).float8(f.quantity()).float8(f.fillPrice()).float8(f.commission())
                    .float8(f.realizedPnl()).text("filled").timestamptz(f.at()).text(f.strategy()).text(f.orderType())
                    .float8(f.orderPrice()).text(f.reason());
        }
        copy.sendTo(c, COPY_ORDERS);
    }

    /** The batch's copy_orders rows by binary COPY (fast path only, as {@link #copyIntents}). */
    static void copyCopyOrders(Connection c, BinaryCopy copy, List<CopyOrderRecord> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        copy.begin();
        for (CopyOrderRecord r : rows) {
            copy.row(COPY_ORDER_COLUMNS).int8(r.orderId()).int8(r.accountId()).int8(r.userId())
                    .int8(r.masterAccountId()).int8(r.subscriptionId()).int8(r.journalIndex()).timestamptz(r.at());
        }
        copy.sendTo(c, COPY_COPY_ORDERS);
    }

    /** {@code ownIntents}: the journal indexes of the batch's intents, whose fills need no strategy lookup. */
    static void insertOrders(Connection c, List<FillRecord> fills, Set<Long> ownIntents) throws SQLException {
        int n = fills.size();
        if (n == 0) {
            return;
        }
        long[] id = new long[n];
        long[] journalIndex = new long[n];
        long[] accountId = new long[n];
        long[] userId = new long[n];
        String[] symbol = new String[n];
        String[] side = new String[n];
        double[] quantity = new double[n];
        double[] fillPrice = new double[n];
        double[] commission = new double[n];
        double[] realizedPnl = new double[n];
        long[] createdMillis = new long[n];
        String[] strategy = new String[n];
        boolean[] lookup = new boolean[n];
        for (int k = 0; k < n; k++) {
            FillRecord f = fills.get(k);
            id[k] = f.orderId();
            journalIndex[k] = f.journalIndex();
            accountId[k] = f.accountId();
            userId[k] = f.userId();
            symbol[k] = f.symbol();
            side[k] = f.side();
            quantity[k] = f.quantity();
            fillPrice[k] = f.fillPrice();
            commission[k] = f.commission();
            realizedPnl[k] = f.realizedPnl();
            createdMillis[k] = millis(f.at());
            strategy[k] = f.strategy();
            lookup[k] = !ownIntents.contains(f.journalIndex());
        }
        execute(c, INSERT_ORDERS, id, journalIndex, accountId, userId, symbol, side, quantity, fillPrice, commission,
                realizedPnl, createdMillis, strategy, lookup);
    }

    /** {@code closeAlls}: per account, the close-all whose time and journal index the flattened rows take. */
    static void flattenAccounts(Connection c, Map<Long, FillRecord> closeAlls) throws SQLException {
        int n = closeAlls.size();
        if (n == 0) {
            return;
        }
        long[] accountId = new long[n];
        long[] journalIndex = new long[n];
        long[] atMillis = new long[n];
        int k = 0;
        for (Map.Entry<Long, FillRecord> a : closeAlls.entrySet()) {
            accountId[k] = a.getKey();
            journalIndex[k] = a.getValue().journalIndex();
            atMillis[k] = millis(a.getValue().at());
            k++;
        }
        execute(c, FLATTEN_ACCOUNTS, accountId, journalIndex, atMillis);
    }

    static void upsertPositions(Connection c, Collection<FillEffects.PositionWrite> positions) throws SQLException {
        int n = positions.size();
        if (n == 0) {
            return;
        }
        long[] accountId = new long[n];
        String[] symbol = new String[n];
        double[] quantity = new double[n];
        double[] averagePrice = new double[n];
        double[] stopLoss = new double[n];
        double[] takeProfit = new double[n];
        double[] trailDistance = new double[n];
        long[] journalIndex = new long[n];
        int[] entries = new int[n];
        long[] atMillis = new long[n];
        int k = 0;
        for (FillEffects.PositionWrite p : positions) {
            accountId[k] = p.accountId();
            symbol[k] = p.symbol();
            quantity[k] = p.quantity();
            averagePrice[k] = p.averagePrice();
            stopLoss[k] = p.stopLoss();
            takeProfit[k] = p.takeProfit();
            trailDistance[k] = p.trailDistance();
            journalIndex[k] = p.journalIndex();
            entries[k] = p.entries();
            atMillis[k] = millis(p.at());
            k++;
        }
        execute(c, UPSERT_POSITIONS, accountId, symbol, quantity, averagePrice, stopLoss, takeProfit, trailDistance,
                journalIndex, entries, atMillis);
    }

    static void upsertDailyPnl(Connection c, Collection<FillEffects.DailyPnlWrite> days) throws SQLException {
        int n = days.size();
        if (n == 0) {
            return;
        }
        long[] accountId = new long[n];
        long[] tradingDay = new long[n];
        double[] realized = new double[n];
        int k = 0;
        for (FillEffects.DailyPnlWrite d : days) {
            accountId[k] = d.accountId();
            tradingDay[k] = d.tradingDay();
            realized[k] = d.realized();
            k++;
        }
        execute(c, UPSERT_DAILY_PNL, accountId, tradingDay, realized);
    }

    static void updateTradesUsed(Connection c, Map<Long, Integer> tradesByUser) throws SQLException {
        int n = tradesByUser.size();
        if (n == 0) {
            return;
        }
        long[] userId = new long[n];
        int[] trades = new int[n];
        int k = 0;
        for (Map.Entry<Long, Integer> t : tradesByUser.entrySet()) {
            userId[k] = t.getKey();
            trades[k] = t.getValue();
            k++;
        }
        execute(c, UPDATE_TRADES_USED, userId, trades);
    }

    /** One row per symbol (the batch keeps each symbol's newest price), as one statement. */
    static void upsertLastPrices(Connection c, Collection<LastPriceRecord> prices) throws SQLException {
        int n = prices.size();
        if (n == 0) {
            return;
        }
        String[] symbol = new String[n];
        double[] price = new double[n];
        long[] atMillis = new long[n];
        int k = 0;
        for (LastPriceRecord p : prices) {
            symbol[k] = p.symbol();
            price[k] = p.price();
            atMillis[k] = millis(p.at());
            k++;
        }
        execute(c, UPSERT_LAST_PRICES, symbol, price, atMillis);
    }

    /** After fills and modifies, so each price moves only the rows no later record of the batch wrote. */
    static void moveTrails(Connection c, List<TrailRecord> trails) throws SQLException {
        int n = trails.size();
        if (n == 0) {
            return;
        }
        String[] symbol = new String[n];
        double[] price = new double[n];
        Long[] accountId = new Long[n];
        long[] journalIndex = new long[n];
        for (int k = 0; k < n; k++) {
            TrailRecord t = trails.get(k);
            symbol[k] = t.symbol();
            price[k] = t.price();
            accountId[k] = t.accountId();
            journalIndex[k] = t.journalIndex();
        }
        execute(c, TRAIL_LONGS, symbol, price, accountId, journalIndex);
        execute(c, TRAIL_SHORTS, symbol, price, accountId, journalIndex);
    }

    /** Binds each column array (pgjdbc sends primitive and boxed arrays as typed arrays) and runs the statement. */
    private static void execute(Connection c, String sql, Object... columns) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int k = 0; k < columns.length; k++) {
                statement.setObject(k + 1, columns[k]);
            }
            statement.executeUpdate();
        }
    }

    private static long millis(OffsetDateTime at) {
        return at.toInstant().toEpochMilli();
    }
}
