package io.tradeflow.persistence.projection;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.persistence.dao.SqlTime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal events of one database transaction, copied out of the reader's reusable event into
 * small records, in journal order. A broker's fill is projected like a paper fill; a broker's
 * refusal marks its intent in the webhook log. Events the database does not mirror (position
 * checks, timers, ACCOUNT_ADDED and KEY_ADDED, whose rows the dashboard wrote) only advance
 * {@link #lastIndex()}.
 *
 * <p>Paper triggers: an alert that left a limit/stop order pending adds a 'pending' orders row; a
 * TRIGGERED record is projected like a fill (the fill of a pending order updates that row); cancel
 * and close_all mark pending rows cancelled; PRICE records and alerts' prices update last_prices,
 * one row per symbol per batch.
 */
final class ProjectionBatch {
    /** The orders row of a close-all names no single symbol. */
    static final String ALL_SYMBOLS = "*";

    private final List<IntentRecord> intents = new ArrayList<>();
    private final List<FillRecord> fills = new ArrayList<>();
    private final List<ControlRecord> controls = new ArrayList<>();
    private final List<BrokerRefusalRecord> refusals = new ArrayList<>();
    private final List<ProtectionRecord> protections = new ArrayList<>();
    private final List<PendingOrderRecord> pendingOrders = new ArrayList<>();
    private final List<CancelRecord> cancels = new ArrayList<>();
    private final Map<String, LastPriceRecord> lastPrices = new LinkedHashMap<>();
    private final List<TrailRecord> trails = new ArrayList<>();
    private final List<CopyRefusalRecord> copyRefusals = new ArrayList<>();
    private final List<CopyOrderRecord> copyOrders = new ArrayList<>();
    private int size;
    private long lastIndex;

    void add(RingEvent e) {
        size++;
        lastIndex = e.journalIndex;
        if (e.type == EventType.INTENT) {
            addIntent(e);
        } else if (e.type == EventType.CONTROL && e.controlType == ControlType.CLOSE_POSITION) {
            // A close from the dashboard is an order like any other, but not an alert of the webhook log.
            addExecutedOrder(e);
        } else if (e.type == EventType.BROKER_REPORT) {
            addReport(e);
        } else if (e.type == EventType.TRIGGERED) {
            if (e.outcome == Outcome.ACCEPTED && e.orderId != 0 && e.filledQuantity != 0) {
                addFill(e);
                // The router moved trails after the fills its price triggered: the filled position's trail
                // moves again from its own record (which the cause's trail, earlier in the journal, skips).
                trails.add(new TrailRecord(e.symbol.toString(), e.price, e.accountId, e.journalIndex));
            }
        } else if (e.type == EventType.PRICE) {
            addPrice(e);
        } else if (e.type == EventType.CONTROL && e.outcome == Outcome.ACCEPTED && mirrored(e.controlType)) {
            controls.add(new ControlRecord(e.controlType, e.controlAccountId, e.controlUserId,
                    Arrays.copyOf(e.keyHash, RingEvent.KEY_HASH_LENGTH), e.controlFlag, e.controlRiskLimits,
                    e.controlAllowedSources, e.controlAlertSettings, SqlTime.utcMillis(e.receivedAtMillis),
                    e.controlCount, e.controlTimeMillis));
        }
    }

    private void addIntent(RingEvent e) {
        intents.add(new IntentRecord(
                e.journalIndex,
                SqlTime.utcMillis(e.receivedAtMillis),
                idOrNull(e.accountId),
                idOrNull(e.userId),
                text(e.symbol),
                e.action.wireName(),
                e.side == null ? null : e.side.wireName(),
                e.orderType.wireName(),
                e.quantity,
                e.price,
                text(e.clientId),
                e.outcome.name(),
                e.outcome.httpStatus(),
                text(e.reason),
                text(e.field),
                idOrNull(e.orderId),
                e.decisionNanos / 1_000,
                text(e.strategy)));
        addExecutedOrder(e);
        if (e.isCopy() && e.outcome != Outcome.ACCEPTED && e.userId != 0) {
            copyRefusals.add(new CopyRefusalRecord(e.journalIndex, e.userId, e.copySubscriptionId, e.accountId,
                    e.outcome.name() + (e.field == null ? "" : "/" + e.field), text(e.reason), text(e.symbol),
                    SqlTime.utcMillis(e.receivedAtMillis)));
        }
        if (e.outcome != Outcome.ACCEPTED || e.repeatOfIndex != 0) {
            return;
        }
        if (e.isCopy() && e.orderId != 0) {
            copyOrders.add(new CopyOrderRecord(e.orderId, e.accountId, e.userId, e.copyMasterAccountId, e.copySubscriptionId,
                    e.journalIndex, SqlTime.utcMillis(e.receivedAtMillis)));
        }
        addPrice(e);
        if (e.placedPendingOrder()) {
            pendingOrders.add(new PendingOrderRecord(e.orderId, e.journalIndex, e.accountId, e.userId, e.symbol.toString(),
                    e.pendingQuantity > 0 ? "buy" : "sell", Math.abs(e.pendingQuantity), e.orderType.wireName(),
                    e.orderPrice, SqlTime.utcMillis(e.receivedAtMillis), text(e.strategy)));
        } else if (e.action == Action.CANCEL) {
            cancels.add(new CancelRecord(e.accountId, e.symbol.toString(), e.side == null ? null : e.side.wireName(),
                    e.journalIndex));
        } else if (e.action == Action.CLOSE_ALL) {
            cancels.add(new CancelRecord(e.accountId, null, null, e.journalIndex));
        }
    }

    /** A price of an accepted alert or tick: the symbol's last price, and it may have moved trailing stops. */
    private void addPrice(RingEvent e) {
        if (e.price > 0 && !e.symbol.isEmpty() && (e.type != EventType.PRICE || e.outcome == Outcome.ACCEPTED)) {
            String symbol = e.symbol.toString();
            lastPrices.put(symbol, new LastPriceRecord(symbol, e.price, SqlTime.utcMillis(e.receivedAtMillis)));
            // Only paper positions ever have a trailing distance, so the statement needs no broker filter.
            trails.add(new TrailRecord(symbol, e.price, e.type == EventType.PRICE ? null : e.accountId, e.journalIndex));
        }
    }

    /**
     * An order filled at once (paper, or the dashboard's close) is projected now; one handed to a
     * real broker waits for its BROKER_REPORT. A repeated idempotency key carries the first
     * answer's order id but placed nothing: no fill.
     */
    private void addExecutedOrder(RingEvent e) {
        // A real broker's close_all only handed exits over (its reason says so): their fills, reported
        // by the broker, close the positions.
        boolean handedToBroker = e.reason != null && e.reason.endsWith(io.tradeflow.core.stage.DispatchStage.SUBMITTED);
        boolean executed = e.filledQuantity != 0 || e.action == Action.CLOSE_ALL && !handedToBroker;
        if (e.outcome == Outcome.ACCEPTED && e.orderId != 0 && e.repeatOfIndex == 0 && executed) {
            addFill(e);
        } else if (e.outcome == Outcome.ACCEPTED && e.action == Action.MODIFY && e.positionQuantity != 0) {
            protections.add(new ProtectionRecord(e.accountId, e.symbol.toString(), e.positionStopLoss,
                    e.positionTakeProfit, e.positionTrailDistance, SqlTime.utcMillis(e.receivedAtMillis), e.journalIndex));
        }
    }

    private void addReport(RingEvent e) {
        if (e.reportKind == ReportKind.FILLED && e.outcome == Outcome.ACCEPTED && e.orderId != 0) {
            addFill(e);
        } else if ((e.reportKind == ReportKind.REJECTED || e.reportKind == ReportKind.OUTCOME_UNKNOWN) && e.orderId != 0) {
            refusals.add(new BrokerRefusalRecord(e.accountId, e.orderId, text(e.reason), e.outcome.name(),
                    e.outcome.httpStatus()));
        }
    }

    private void addFill(RingEvent e) {
        boolean closeAll = e.action == Action.CLOSE_ALL;
        // Protections are applied after the batch's fills: a fill carries the position's latest stop and
        // target, so it supersedes any earlier modify of the same position in this batch.
        String symbol = e.symbol.toString();
        protections.removeIf(p -> p.accountId() == e.accountId && (closeAll || p.symbol().equals(symbol)));
        fills.add(new FillRecord(
                e.orderId,
                e.journalIndex,
                e.accountId,
                e.userId,
                closeAll ? ALL_SYMBOLS : symbol,
                closeAll ? "close_all" : e.filledQuantity > 0 ? "buy" : "sell",
                Math.abs(e.filledQuantity),
                e.fillPrice,
                e.commission,
                e.realizedPnl,
                SqlTime.utcMillis(e.receivedAtMillis),
                e.positionQuantity,
                e.positionAveragePrice,
                e.tradingDay,
                e.dayRealizedPnl,
                e.tradesUsed,
                closeAll,
                e.positionStopLoss,
                e.positionTakeProfit,
                text(e.strategy),
                e.orderType.wireName(),
                e.orderPrice,
                e.type == EventType.TRIGGERED ? text(e.reason) : null,
                e.positionTrailDistance,
                e.type == EventType.TRIGGERED && e.action.isEntry(),
                e.positionEntries,
                e.accountRealizedPnl));
    }

    private static boolean mirrored(ControlType type) {
        return type == ControlType.ACCOUNT_ENABLED || type == ControlType.ACCOUNT_DISABLED
                || type == ControlType.KEY_REVOKED || type == ControlType.EMERGENCY_STOP
                || type == ControlType.RISK_LIMITS || type == ControlType.SOURCE_ALLOWLIST
                || type == ControlType.ALERT_SETTINGS || type == ControlType.PLAN_CHANGED
                || type == ControlType.USER_SUSPENDED;
    }

    private static Long idOrNull(long id) {
        return id == 0 ? null : id;
    }

    private static String text(AsciiField field) {
        return field.isEmpty() ? null : text(field.toString());
    }

    /** PostgreSQL text cannot hold NUL; one in a journaled field must not stall the projection forever. */
    private static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace("\0", "");
    }

    List<CopyRefusalRecord> copyRefusals() {
        return copyRefusals;
    }

    List<CopyOrderRecord> copyOrders() {
        return copyOrders;
    }

    List<IntentRecord> intents() {
        return intents;
    }

    List<FillRecord> fills() {
        return fills;
    }

    List<BrokerRefusalRecord> refusals() {
        return refusals;
    }

    List<ControlRecord> controls() {
        return controls;
    }

    List<ProtectionRecord> protections() {
        return protections;
    }

    List<PendingOrderRecord> pendingOrders() {
        return pendingOrders;
    }

    List<CancelRecord> cancels() {
        return cancels;
    }

    List<TrailRecord> trails() {
        return trails;
    }

    Collection<LastPriceRecord> lastPrices() {
        return lastPrices.values();
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The journal index of the last event added. */
    long lastIndex() {
        return lastIndex;
    }

    void clear() {
        intents.clear();
        copyRefusals.clear();
        copyOrders.clear();
        fills.clear();
        controls.clear();
        refusals.clear();
        protections.clear();
        pendingOrders.clear();
        cancels.clear();
        lastPrices.clear();
        trails.clear();
        size = 0;
        lastIndex = 0;
    }
}
