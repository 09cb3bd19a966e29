package io.tradeflow.persistence.projection;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.ControlType;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.OffsetDateTime;

/**
 * The projection's SQL. A batch is written in one transaction together with its last journal
 * index, so a crash or a retry never applies part of a batch or applies it twice; the statements
 * are idempotent besides (inserts ignore existing keys, updates write absolute values).
 */
final class ProjectionStore {
    private static final String INSERT_INTENT = "insert into intents (journal_index, received_at, account_id, user_id,"
            + " symbol, action, side, order_type, quantity, price, client_id, outcome, http_status, reason, field,"
            + " order_id, latency_us, strategy) values (:journalIndex, :receivedAt, :accountId, :userId, :symbol, :action,"
            + " :side, :orderType, :quantity, :price, :clientId, :outcome, :httpStatus, :reason, :field, :orderId,"
            + " :latencyMicros, :strategy) on conflict (journal_index) do nothing";
    /**
     * A broker's fill report does not repeat the alert's strategy tag: it is taken from the intent
     * that made the order, which an earlier batch or this one (intents go first) projected.
     */
    private static final String INSERT_ORDER = "insert into orders (id, journal_index, account_id, user_id, symbol,"
            + " side, quantity, fill_price, commission, realized_pnl, status, created_at, strategy) values (:orderId,"
            + " :journalIndex, :accountId, :userId, :symbol, :side, :quantity, :fillPrice, :commission, :realizedPnl,"
            + " 'filled', :at, coalesce(:strategy, (select i.strategy from intents i where i.order_id = :orderId"
            + " and i.account_id = :accountId and i.strategy is not null order by i.journal_index limit 1)))"
            + " on conflict do nothing";
    /** Type, order price and the router's reason of a fill, set after the insert so INSERT_ORDER stays as it is. */
    private static final String DESCRIBE_ORDER = "update orders set order_type = :orderType, order_price = :orderPrice,"
            + " reason = :reason where id = :orderId";
    private static final String INSERT_PENDING_ORDER = "insert into orders (id, journal_index, account_id, user_id, symbol,"
            + " side, quantity, fill_price, commission, realized_pnl, status, created_at, strategy, order_type,"
            + " order_price) values (:orderId, :journalIndex, :accountId, :userId, :symbol, :side, :quantity, 0, 0, 0,"
            + " 'pending', :at, :strategy, :orderType, :orderPrice) on conflict do nothing";
    /** A pending order reached by a price: its row (same id) becomes the fill; a second application finds it filled. */
    private static final String FILL_PENDING_ORDER = "update orders set status = 'filled', side = :side,"
            + " quantity = :quantity, fill_price = :fillPrice, commission = :commission, realized_pnl = :realizedPnl,"
            + " reason = :reason where id = :orderId and status = 'pending'";
    private static final String CANCEL_PENDING_ORDERS = "update orders set status = 'cancelled'"
            + " where account_id = :accountId and status = 'pending' and journal_index < :journalIndex"
            + " and (cast(:symbol as text) is null or symbol = :symbol) and (cast(:side as text) is null or side = :side)";
    private static final String UPSERT_LAST_PRICE = "insert into last_prices (symbol, price, updated_at)"
            + " values (:symbol, :price, :at) on conflict (symbol) do update set price = excluded.price,"
            + " updated_at = excluded.updated_at";
    private static final String UPSERT_POSITION = "insert into positions (account_id, symbol, quantity, average_price,"
            + " stop_loss, take_profit, trail_distance, journal_index, updated_at) values (:accountId, :symbol,"
            + " :positionQuantity, :positionAveragePrice, :stopLoss, :takeProfit, :trailDistance, :journalIndex, :at)"
            + " on conflict (account_id, symbol) do update set quantity = excluded.quantity,"
            + " average_price = excluded.average_price, stop_loss = excluded.stop_loss,"
            + " take_profit = excluded.take_profit, trail_distance = excluded.trail_distance,"
            + " journal_index = excluded.journal_index, updated_at = excluded.updated_at";
    private static final String UPDATE_PROTECTION = "update positions set stop_loss = :stopLoss,"
            + " take_profit = :takeProfit, trail_distance = :trailDistance, journal_index = :journalIndex,"
            + " updated_at = :at where account_id = :accountId and symbol = :symbol";
    private static final String FLATTEN_ACCOUNT = "update positions set quantity = 0, average_price = 0, stop_loss = 0,"
            + " take_profit = 0, trail_distance = 0, journal_index = :journalIndex, updated_at = :at"
            + " where account_id = :accountId and quantity <> 0";
    /**
     * A price's trail move, as the router made it (stop = max(stop, price − distance) for a long,
     * min for a short), on rows not written by a later record of the batch: those carry the stop already.
     */
    private static final String TRAIL_LONGS = "update positions set stop_loss = greatest(stop_loss, :price - trail_distance)"
            + " where symbol = :symbol and trail_distance > 0 and quantity > 0 and journal_index <= :journalIndex"
            + " and (cast(:accountId as bigint) is null or account_id = :accountId)";
    private static final String TRAIL_SHORTS = "update positions set stop_loss = case when stop_loss <= 0"
            + " then :price + trail_distance else least(stop_loss, :price + trail_distance) end"
            + " where symbol = :symbol and trail_distance > 0 and quantity < 0 and journal_index <= :journalIndex"
            + " and (cast(:accountId as bigint) is null or account_id = :accountId)";
    private static final String UPSERT_DAILY_PNL = "insert into daily_pnl (account_id, trading_day, realized)"
            + " values (:accountId, :tradingDay, :dayRealizedPnl)"
            + " on conflict (account_id, trading_day) do update set realized = excluded.realized";
    private static final String UPSERT_RISK_LIMITS = "insert into risk_limits (account_id, max_quantity,"
            + " max_daily_loss, max_open_positions, trading_hours, time_zone, allowed_symbols, rate_limit_per_window,"
            + " rate_limit_window_ms, updated_at) values (:account, :maxQuantity, :maxDailyLoss, :maxOpenPositions,"
            + " :tradingHours, :timeZone, :allowedSymbols, :perWindow, :windowMillis, :at)"
            + " on conflict (account_id) do update set max_quantity = excluded.max_quantity,"
            + " max_daily_loss = excluded.max_daily_loss, max_open_positions = excluded.max_open_positions,"
            + " trading_hours = excluded.trading_hours, time_zone = excluded.time_zone,"
            + " allowed_symbols = excluded.allowed_symbols, rate_limit_per_window = excluded.rate_limit_per_window,"
            + " rate_limit_window_ms = excluded.rate_limit_window_ms, updated_at = excluded.updated_at";
    private static final String UPSERT_ALLOWED_SOURCES = "insert into account_allowed_sources (account_id, sources,"
            + " updated_at) values (:account, :sources, :at) on conflict (account_id) do update set"
            + " sources = excluded.sources, updated_at = excluded.updated_at";
    private static final String UPSERT_ALERT_SETTINGS = "insert into account_alert_settings (account_id, pyramiding,"
            + " duplicate_window_ms, max_signal_age_ms, idempotency_window_ms, symbol_map, symbol_suffix, updated_at)"
            + " values (:account, :pyramiding, :duplicateMillis, :maxAgeMillis, :idempotencyMillis, :symbolMap,"
            + " :symbolSuffix, :at) on conflict (account_id) do update set pyramiding = excluded.pyramiding,"
            + " duplicate_window_ms = excluded.duplicate_window_ms, max_signal_age_ms = excluded.max_signal_age_ms,"
            + " idempotency_window_ms = excluded.idempotency_window_ms, symbol_map = excluded.symbol_map,"
            + " symbol_suffix = excluded.symbol_suffix, updated_at = excluded.updated_at";
    private static final String MARK_BROKER_REFUSAL = "update intents set outcome = 'BROKER_ERROR', http_status = 502,"
            + " reason = :reason, field = 'broker' where order_id = :orderId and account_id = :accountId";
    private static final String UPDATE_TRADES_USED = "update users set trades_count = :tradesUsed where id = :userId";

    private final Jdbi jdbi;

    ProjectionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The journal index of the last event applied (0 when none). */
    long lastAppliedIndex() {
        return jdbi.withHandle(h -> h.createQuery("select last_index from projection_state where id = 1")
                .mapTo(Long.class)
                .one());
    }

    void write(ProjectionBatch batch) {
        jdbi.useTransaction(h -> {
            insertIntents(h, batch);
            insertPendingOrders(h, batch);
            if (!batch.fills().isEmpty()) {
                applyFills(h, batch);
            }
            cancelPendingOrders(h, batch);
            upsertLastPrices(h, batch);
            for (BrokerRefusalRecord refusal : batch.refusals()) {
                h.createUpdate(MARK_BROKER_REFUSAL)
                        .bind("reason", refusal.reason())
                        .bind("orderId", refusal.orderId())
                        .bind("accountId", refusal.accountId())
                        .execute();
            }
            for (ProtectionRecord p : batch.protections()) {
                h.createUpdate(UPDATE_PROTECTION)
                        .bind("stopLoss", p.stopLoss())
                        .bind("takeProfit", p.takeProfit())
                        .bind("trailDistance", p.trailDistance())
                        .bind("journalIndex", p.journalIndex())
                        .bind("at", p.at())
                        .bind("accountId", p.accountId())
                        .bind("symbol", p.symbol())
                        .execute();
            }
            moveTrails(h, batch);
            for (ControlRecord control : batch.controls()) {
                apply(h, control);
            }
            h.createUpdate("update projection_state set last_index = :index where id = 1")
                    .bind("index", batch.lastIndex())
                    .execute();
        });
    }

    private static void insertIntents(Handle h, ProjectionBatch batch) {
        if (batch.intents().isEmpty()) {
            return;
        }
        PreparedBatch insert = h.prepareBatch(INSERT_INTENT);
        for (IntentRecord i : batch.intents()) {
            insert.bind("journalIndex", i.journalIndex())
                    .bind("receivedAt", i.receivedAt())
                    .bind("accountId", i.accountId())
                    .bind("userId", i.userId())
                    .bind("symbol", i.symbol())
                    .bind("action", i.action())
                    .bind("side", i.side())
                    .bind("orderType", i.orderType())
                    .bind("quantity", i.quantity())
                    .bind("price", i.price())
                    .bind("clientId", i.clientId())
                    .bind("outcome", i.outcome())
                    .bind("httpStatus", i.httpStatus())
                    .bind("reason", i.reason())
                    .bind("field", i.field())
                    .bind("orderId", i.orderId())
                    .bind("latencyMicros", i.latencyMicros())
                    .bind("strategy", i.strategy())
                    .add();
        }
        insert.execute();
    }

    /** Each statement is batched (one round trip) and applied in journal order, so the last fill of a key wins. */
    private static void applyFills(Handle h, ProjectionBatch batch) {
        PreparedBatch orders = h.prepareBatch(INSERT_ORDER);
        PreparedBatch positions = h.prepareBatch(UPSERT_POSITION);
        PreparedBatch dailyPnl = h.prepareBatch(UPSERT_DAILY_PNL);
        PreparedBatch tradesUsed = h.prepareBatch(UPDATE_TRADES_USED);
        PreparedBatch pendingFills = h.prepareBatch(FILL_PENDING_ORDER);
        PreparedBatch described = h.prepareBatch(DESCRIBE_ORDER);
        for (FillRecord f : batch.fills()) {
            if (f.fillsPending()) {
                pendingFills.bind("orderId", f.orderId())
                        .bind("side", f.side())
                        .bind("quantity", f.quantity())
                        .bind("fillPrice", f.fillPrice())
                        .bind("commission", f.commission())
                        .bind("realizedPnl", f.realizedPnl())
                        .bind("reason", f.reason())
                        .add();
            } else if (f.reason() != null || !"market".equals(f.orderType())) {
                described.bind("orderType", f.orderType())
                        .bind("orderPrice", f.orderPrice())
                        .bind("reason", f.reason())
                        .bind("orderId", f.orderId())
                        .add();
            }
            orders.bind("orderId", f.orderId())
                    .bind("journalIndex", f.journalIndex())
                    .bind("accountId", f.accountId())
                    .bind("userId", f.userId())
                    .bind("symbol", f.symbol())
                    .bind("side", f.side())
                    .bind("quantity", f.quantity())
                    .bind("fillPrice", f.fillPrice())
                    .bind("commission", f.commission())
                    .bind("realizedPnl", f.realizedPnl())
                    .bind("at", f.at())
                    .bind("strategy", f.strategy())
                    .add();
            if (f.flattensAccount()) {
                // Position rows written earlier in this batch must land first, later ones after.
                positions.execute();
                positions = h.prepareBatch(UPSERT_POSITION);
                h.createUpdate(FLATTEN_ACCOUNT).bind("at", f.at()).bind("accountId", f.accountId())
                        .bind("journalIndex", f.journalIndex()).execute();
            } else {
                positions.bind("accountId", f.accountId())
                        .bind("symbol", f.symbol())
                        .bind("positionQuantity", f.positionQuantity())
                        .bind("positionAveragePrice", f.positionAveragePrice())
                        .bind("stopLoss", f.stopLoss())
                        .bind("takeProfit", f.takeProfit())
                        .bind("trailDistance", f.trailDistance())
                        .bind("journalIndex", f.journalIndex())
                        .bind("at", f.at())
                        .add();
            }
            dailyPnl.bind("accountId", f.accountId())
                    .bind("tradingDay", f.tradingDay())
                    .bind("dayRealizedPnl", f.dayRealizedPnl())
                    .add();
            tradesUsed.bind("tradesUsed", f.tradesUsed())
                    .bind("userId", f.userId())
                    .add();
        }
        orders.execute();
        pendingFills.execute();
        described.execute();
        positions.execute();
        dailyPnl.execute();
        tradesUsed.execute();
    }

    /** Pending rows go in before the batch's fills, which may fill them. */
    private static void insertPendingOrders(Handle h, ProjectionBatch batch) {
        if (batch.pendingOrders().isEmpty()) {
            return;
        }
        PreparedBatch insert = h.prepareBatch(INSERT_PENDING_ORDER);
        for (PendingOrderRecord o : batch.pendingOrders()) {
            insert.bind("orderId", o.orderId())
                    .bind("journalIndex", o.journalIndex())
                    .bind("accountId", o.accountId())
                    .bind("userId", o.userId())
                    .bind("symbol", o.symbol())
                    .bind("side", o.side())
                    .bind("quantity", o.quantity())
                    .bind("at", o.at())
                    .bind("strategy", o.strategy())
                    .bind("orderType", o.orderType())
                    .bind("orderPrice", o.orderPrice())
                    .add();
        }
        insert.execute();
    }

    /** After the fills: a cancel touches only rows still pending that were placed before it. */
    private static void cancelPendingOrders(Handle h, ProjectionBatch batch) {
        if (batch.cancels().isEmpty()) {
            return;
        }
        PreparedBatch cancel = h.prepareBatch(CANCEL_PENDING_ORDERS);
        for (CancelRecord c : batch.cancels()) {
            cancel.bind("accountId", c.accountId())
                    .bind("journalIndex", c.journalIndex())
                    .bind("symbol", c.symbol())
                    .bind("side", c.side())
                    .add();
        }
        cancel.execute();
    }

    /** After fills and modifies, so each price moves only the rows no later record of the batch wrote. */
    private static void moveTrails(Handle h, ProjectionBatch batch) {
        if (batch.trails().isEmpty()) {
            return;
        }
        PreparedBatch longs = h.prepareBatch(TRAIL_LONGS);
        PreparedBatch shorts = h.prepareBatch(TRAIL_SHORTS);
        for (TrailRecord t : batch.trails()) {
            longs.bind("price", t.price()).bind("symbol", t.symbol()).bind("journalIndex", t.journalIndex())
                    .bind("accountId", t.accountId()).add();
            shorts.bind("price", t.price()).bind("symbol", t.symbol()).bind("journalIndex", t.journalIndex())
                    .bind("accountId", t.accountId()).add();
        }
        longs.execute();
        shorts.execute();
    }

    private static void upsertLastPrices(Handle h, ProjectionBatch batch) {
        if (batch.lastPrices().isEmpty()) {
            return;
        }
        PreparedBatch upsert = h.prepareBatch(UPSERT_LAST_PRICE);
        for (LastPriceRecord p : batch.lastPrices()) {
            upsert.bind("symbol", p.symbol()).bind("price", p.price()).bind("at", p.at()).add();
        }
        upsert.execute();
    }

    private static void apply(Handle h, ControlRecord control) {
        switch (control.type()) {
            case ACCOUNT_ENABLED:
            case ACCOUNT_DISABLED:
                h.createUpdate("update broker_accounts set enabled = :enabled where id = :id")
                        .bind("enabled", control.type() == ControlType.ACCOUNT_ENABLED)
                        .bind("id", control.accountId())
                        .execute();
                break;
            case KEY_REVOKED:
                h.createUpdate("update api_keys set revoked_at = :at where key_hash = :hash and revoked_at is null")
                        .bind("at", control.at())
                        .bind("hash", control.keyHash())
                        .execute();
                break;
            case EMERGENCY_STOP:
                h.createUpdate("update users set emergency_stop = :on where id = :id")
                        .bind("on", control.flag())
                        .bind("id", control.userId())
                        .execute();
                break;
            case RISK_LIMITS:
                upsertRiskLimits(h, control.accountId(), control.riskLimits(), control.at());
                break;
            case SOURCE_ALLOWLIST:
                h.createUpdate(UPSERT_ALLOWED_SOURCES)
                        .bind("account", control.accountId())
                        .bind("sources", control.allowedSources().stream().map(CidrBlock::notation).toArray(String[]::new))
                        .bind("at", control.at())
                        .execute();
                break;
            case ALERT_SETTINGS:
                upsertAlertSettings(h, control.accountId(), control.alertSettings(), control.at());
                break;
            default:
                // ACCOUNT_ADDED and KEY_ADDED: the dashboard wrote those rows before publishing.
                break;
        }
    }

    private static void upsertRiskLimits(Handle h, long accountId, RiskLimits limits, OffsetDateTime at) {
        h.createUpdate(UPSERT_RISK_LIMITS)
                .bind("account", accountId)
                .bind("maxQuantity", limits.maxQuantity())
                .bind("maxDailyLoss", limits.maxDailyLoss())
                .bind("maxOpenPositions", limits.maxOpenPositions())
                .bind("tradingHours", limits.tradingHours())
                .bind("timeZone", limits.timeZone().getId())
                .bind("allowedSymbols", limits.allowedSymbols().toArray(new String[0]))
                .bind("perWindow", limits.rateLimitPerWindow())
                .bind("windowMillis", limits.rateLimitWindow().toMillis())
                .bind("at", at)
                .execute();
    }

    /** The symbol map is stored as the FROM=TO entries AlertSettings.parseSymbolMap reads back. */
    private static void upsertAlertSettings(Handle h, long accountId, AlertSettings settings, OffsetDateTime at) {
        h.createUpdate(UPSERT_ALERT_SETTINGS)
                .bind("account", accountId)
                .bind("pyramiding", settings.pyramiding())
                .bind("duplicateMillis", settings.duplicateWindow().toMillis())
                .bind("maxAgeMillis", settings.maxSignalAge().toMillis())
                .bind("idempotencyMillis", settings.idempotencyWindow().toMillis())
                .bind("symbolMap", settings.symbolMap().entrySet().stream()
                        .map(entry -> entry.getKey() + "=" + entry.getValue()).sorted().toArray(String[]::new))
                .bind("symbolSuffix", settings.symbolSuffix())
                .bind("at", at)
                .execute();
    }
}
