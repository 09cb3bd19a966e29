package io.tradeflow.persistence.projection;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.persistence.dao.BinaryCopy;
import io.tradeflow.persistence.dao.SqlTime;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The projection's SQL. A batch is written in one transaction together with its last journal
 * index, so a crash or a retry never applies part of a batch or applies it twice; the statements
 * are idempotent besides (inserts ignore existing keys, updates write absolute values). New
 * append-only rows (webhook log, filled orders, copy orders) go by binary COPY, the other rows of
 * every alert and fill as one set-based statement per table ({@link BulkWrites}); the rare ones
 * (refusals, modifies, dashboard commands) one statement each.
 */
final class ProjectionStore {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionStore.class);
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
    /** A refused follower copy as the follower's protection event; once per journal record (re-projection is harmless). */
    private static final String INSERT_COPY_REFUSAL = "insert into protection_events (user_id, subscription_id, account_id,"
            + " source, reason, details, symbol, journal_index, created_at) values (:userId, :subscriptionId, :accountId,"
            + " 'router', :reason, :details, :symbol, :journalIndex, :at) on conflict (journal_index) do nothing";
    /** A follower's copy that placed an order, for the groups' settlement; once per journal record. */
    private static final String INSERT_COPY_ORDER = "insert into copy_orders (order_id, account_id, user_id,"
            + " master_account_id, subscription_id, journal_index, created_at) values (:orderId, :accountId, :userId,"
            + " :masterAccountId, :subscriptionId, :journalIndex, :at) on conflict do nothing";
    private static final String UPDATE_PROTECTION = "update positions set stop_loss = :stopLoss,"
            + " take_profit = :takeProfit, trail_distance = :trailDistance, journal_index = :journalIndex,"
            + " updated_at = :at where account_id = :accountId and symbol = :symbol";
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
    private static final String MARK_BROKER_REFUSAL = "update intents set outcome = :outcome, http_status = :status,"
            + " reason = :reason, field = 'broker' where order_id = :orderId and account_id = :accountId";

    private final Jdbi jdbi;
    /** The writer thread's COPY buffer, reused across batches. */
    private final BinaryCopy copy = new BinaryCopy();
    private boolean warnedConflict;

    ProjectionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The journal index of the last event applied (0 when none). */
    long lastAppliedIndex() {
        return jdbi.withHandle(h -> h.createQuery("select last_index from projection_state where id = 1")
                .mapTo(Long.class)
                .one());
    }

    /**
     * Writes the batch with COPY for its new append-only rows. Exactly-once makes a conflict
     * impossible in normal operation (a batch's rows commit with its journal index, so a retried
     * batch starts from an empty slate); if one happens anyway (rows written outside the writer, a
     * database restored behind its rows), COPY fails the whole transaction, and the batch is
     * written again with the tolerant {@code insert ... on conflict do nothing} statements, so the
     * projection never stalls on it.
     */
    void write(ProjectionBatch batch) {
        try {
            try {
                writeInOneTransaction(batch, true);
            } catch (SQLException | RuntimeException e) {
                // The COPY's own failure arrives as the driver's SQLException; a JDBI statement's wrapped.
                if (!BinaryCopy.isUniqueViolation(e)) {
                    throw e;
                }
                if (!warnedConflict) {
                    warnedConflict = true;
                    LOG.warn("Projection batch ending at journal index {} met existing rows; writing it with"
                            + " conflict-tolerant inserts (logged once)", batch.lastIndex());
                }
                writeInOneTransaction(batch, false);
            }
        } catch (SQLException e) {
            // Rolled back; the writer reads the batch again from the last committed index.
            throw new IllegalStateException("could not write the projection batch ending at journal index "
                    + batch.lastIndex(), e);
        }
    }

    /** {@code useCopy}: new append-only rows by COPY (fast path), else by conflict-tolerant inserts. */
    private void writeInOneTransaction(ProjectionBatch batch, boolean useCopy) throws SQLException {
        jdbi.useTransaction(h -> {
            Connection c = h.getConnection();
            relaxCommitDurability(c);
            if (useCopy) {
                BulkWrites.copyIntents(c, copy, batch.intents());
            } else {
                BulkWrites.insertIntents(c, batch.intents());
            }
            insertPendingOrders(h, batch);
            if (!batch.fills().isEmpty()) {
                applyFills(h, c, batch, useCopy ? copy : null);
            }
            cancelPendingOrders(h, batch);
            BulkWrites.upsertLastPrices(c, batch.lastPrices());
            for (BrokerRefusalRecord refusal : batch.refusals()) {
                h.createUpdate(MARK_BROKER_REFUSAL)
                        .bind("reason", refusal.reason())
                        .bind("outcome", refusal.outcome())
                        .bind("status", refusal.httpStatus())
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
            for (CopyRefusalRecord r : batch.copyRefusals()) {
                h.createUpdate(INSERT_COPY_REFUSAL)
                        .bind("userId", r.userId())
                        .bind("subscriptionId", r.subscriptionId())
                        .bind("accountId", r.accountId())
                        .bind("reason", r.reason())
                        .bind("details", r.details())
                        .bind("symbol", r.symbol())
                        .bind("journalIndex", r.journalIndex())
                        .bind("at", r.at())
                        .execute();
            }
            if (useCopy) {
                BulkWrites.copyCopyOrders(c, copy, batch.copyOrders());
            }
            for (CopyOrderRecord r : useCopy ? List.<CopyOrderRecord>of() : batch.copyOrders()) {
                h.createUpdate(INSERT_COPY_ORDER)
                        .bind("orderId", r.orderId())
                        .bind("accountId", r.accountId())
                        .bind("userId", r.userId())
                        .bind("masterAccountId", r.masterAccountId())
                        .bind("subscriptionId", r.subscriptionId())
                        .bind("journalIndex", r.journalIndex())
                        .bind("at", r.at())
                        .execute();
            }
            BulkWrites.moveTrails(c, batch.trails());
            for (ControlRecord control : batch.controls()) {
                apply(h, control);
            }
            h.createUpdate("update projection_state set last_index = :index where id = 1")
                    .bind("index", batch.lastIndex())
                    .execute();
        });
    }

    /**
     * The projection's commits do not wait for the WAL flush ({@code synchronous_commit = off} for
     * this transaction only; the dashboard's own writes keep the server's {@code on}). Safe because
     * the journal, not the database, is the source of truth: a PostgreSQL crash can lose only the
     * last commits (at most ~3 × wal_writer_delay), each one whole and together with the
     * {@code projection_state.last_index} it wrote, so the database comes back consistent at an
     * earlier index and the writer re-projects the rest from the journal (the statements are
     * idempotent). WAL order still holds: a later synchronous commit (a dashboard write) flushes
     * every projection commit before it. What it saves is one WAL fsync per batch, which dominated
     * small batches under a steady load.
     */
    private static void relaxCommitDurability(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("set local synchronous_commit = off");
        }
    }

    /**
     * Orders are inserted one row per fill; positions, daily P&amp;L and trades used collapse to the
     * last value per key (see {@link FillEffects}), with close-alls' flattening applied first. A
     * pending order's fill updates the row placed earlier, and a fill that is not a plain market
     * order gets its type, price and reason: both rare, so one statement each in a JDBI batch.
     *
     * <p>With {@code copy} (the fast path) every new row whose strategy is known goes in by COPY
     * with its type, price and reason; the rest (a broker's fill, whose strategy is looked up in
     * intents) by the set-based insert.
     */
    private static void applyFills(Handle h, Connection c, ProjectionBatch batch, BinaryCopy copy) throws SQLException {
        Set<Long> ownIntents = new HashSet<>();
        for (IntentRecord i : batch.intents()) {
            ownIntents.add(i.journalIndex());
        }
        List<FillRecord> inserted = batch.fills();
        if (copy != null) {
            inserted = new ArrayList<>();
            List<FillRecord> copied = new ArrayList<>(batch.fills().size());
            for (FillRecord f : batch.fills()) {
                (copied(f, ownIntents) ? copied : inserted).add(f);
            }
            BulkWrites.copyOrders(c, copy, copied);
        }
        BulkWrites.insertOrders(c, inserted, ownIntents);
        PreparedBatch pendingFills = h.prepareBatch(FILL_PENDING_ORDER);
        PreparedBatch described = h.prepareBatch(DESCRIBE_ORDER);
        for (FillRecord f : batch.fills()) {
            if (copy != null && copied(f, ownIntents)) {
                // Its COPY row is already complete.
                continue;
            }
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
        }
        if (pendingFills.size() > 0) {
            pendingFills.execute();
        }
        if (described.size() > 0) {
            described.execute();
        }
        FillEffects effects = FillEffects.of(batch.fills());
        BulkWrites.flattenAccounts(c, effects.flattenedAccounts());
        BulkWrites.upsertPositions(c, effects.positions());
        BulkWrites.upsertDailyPnl(c, effects.dailyPnl());
        AccountRealizedWrites.upsert(c, effects.realizedTotals());
        BulkWrites.updateTradesUsed(c, effects.tradesUsed());
    }

    /** On the fast path: a new row (not a pending order's fill) whose strategy needs no lookup in intents. */
    private static boolean copied(FillRecord f, Set<Long> ownIntents) {
        return !f.fillsPending() && (f.strategy() != null || ownIntents.contains(f.journalIndex()));
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
                // The stop's start is kept while it stays on (a repeated stop does not move it), cleared by the reset.
                h.createUpdate("update users set emergency_stop = :on, emergency_stop_since = case when :on"
                                + " then coalesce(emergency_stop_since, :at) else null end where id = :id")
                        .bind("on", control.flag())
                        .bind("at", control.at())
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
            case PLAN_CHANGED:
                h.createUpdate("update users set plan = :plan, plan_lapsed = :lapsed, grace_ends_at = :grace where id = :id")
                        .bind("plan", io.tradeflow.config.PlanTier.fromCode(control.count()).wireName())
                        .bind("lapsed", control.flag())
                        .bind("grace", control.timeMillis() == 0 ? null : SqlTime.utcMillis(control.timeMillis()))
                        .bind("id", control.userId())
                        .execute();
                break;
            case USER_SUSPENDED:
                h.createUpdate("update users set suspended = :on where id = :id")
                        .bind("on", control.flag())
                        .bind("id", control.userId())
                        .execute();
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
