package io.tradeflow.http.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.stage.DispatchStage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages one decided event makes, without their per-stream {@code seq} (the stream adds it).
 * Runs on the event loop. Field names follow the REST answers they mirror: {@code order_update}'s
 * {@code data} is an order of {@code GET …/orders}, {@code alert_decided}'s a line of
 * {@code GET …/logs/webhooks} (without the kept body), {@code position_update}'s a position.
 */
final class LiveMessages {
    static final String ORDER_UPDATE = "order_update";
    static final String POSITION_UPDATE = "position_update";
    static final String BALANCE_UPDATE = "balance_update";
    static final String PNL_UPDATE = "pnl_update";
    static final String ALERT_DECIDED = "alert_decided";
    /** Reserved for copy trading's protection events; see {@link LiveHub#publishExtra}. */
    static final String PROTECTION_EVENT = "protection_event";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final double startingBalance;

    LiveMessages(double startingBalance) {
        this.startingBalance = startingBalance;
    }

    /** The messages (type, account_id, at, data; no seq yet) of one decided event, in the order sent. */
    List<ObjectNode> of(RingEvent e) {
        List<ObjectNode> out = new ArrayList<>(5);
        if (e.type == EventType.INTENT) {
            out.add(message(ALERT_DECIDED, e, alertLine(e)));
        }
        boolean fill = false;
        if (e.type == EventType.BROKER_REPORT) {
            if (e.reportKind == ReportKind.FILLED && e.outcome == Outcome.ACCEPTED) {
                out.add(message(ORDER_UPDATE, e, order(e, "filled")));
                fill = true;
            } else if (e.reportKind == ReportKind.REJECTED || e.reportKind == ReportKind.OUTCOME_UNKNOWN) {
                out.add(message(ORDER_UPDATE, e, order(e, e.reportKind == ReportKind.REJECTED ? "rejected" : "unknown")));
            }
        } else if (e.outcome == Outcome.ACCEPTED && e.orderId != 0 && e.repeatOfIndex == 0) {
            String status = status(e);
            out.add(message(ORDER_UPDATE, e, order(e, status)));
            fill = "filled".equals(status);
        }
        if (fill) {
            out.add(message(POSITION_UPDATE, e, position(e)));
            out.add(message(PNL_UPDATE, e, JSON.objectNode()
                    .put("account_id", e.accountId)
                    .put("symbol", e.symbol.toString())
                    .put("realized_pnl", e.realizedPnl)
                    .put("day_realized_pnl", e.dayRealizedPnl)
                    .put("account_realized_pnl", e.accountRealizedPnl)));
            ObjectNode balance = JSON.objectNode()
                    .put("account_id", e.accountId)
                    .put("realized_pnl", e.accountRealizedPnl);
            if (e.type == EventType.BROKER_REPORT) {
                // A real broker's balance is what the broker reports; the account view shows it.
                balance.putNull("balance");
            } else {
                balance.put("balance", startingBalance + e.accountRealizedPnl);
            }
            out.add(message(BALANCE_UPDATE, e, balance));
        }
        return out;
    }

    private static String status(RingEvent e) {
        if (e.filledQuantity != 0 || e.action == Action.CLOSE_ALL && !submitted(e)) {
            return "filled";
        }
        if (e.placedPendingOrder()) {
            return "pending";
        }
        if (e.action == Action.CANCEL) {
            return "cancelled";
        }
        return submitted(e) ? "submitted" : "accepted";
    }

    private static boolean submitted(RingEvent e) {
        return e.reason != null && e.reason.endsWith(DispatchStage.SUBMITTED);
    }

    static ObjectNode message(String type, RingEvent e, ObjectNode data) {
        ObjectNode m = JSON.objectNode();
        m.put("type", type);
        m.put("account_id", e.accountId);
        m.put("at", Instant.ofEpochMilli(e.receivedAtMillis).toString());
        m.put("journal_index", e.journalIndex);
        m.set("data", data);
        return m;
    }

    private static ObjectNode order(RingEvent e, String status) {
        ObjectNode o = JSON.objectNode()
                .put("id", "ord_" + e.orderId)
                .put("account_id", e.accountId)
                .put("symbol", e.symbol.toString());
        double quantity = e.filledQuantity != 0 ? e.filledQuantity : e.placedPendingOrder() ? e.pendingQuantity : 0;
        String side = quantity > 0 ? "buy" : quantity < 0 ? "sell" : e.side == null ? null : e.side.wireName();
        o.put("side", side);
        o.put("quantity", quantity != 0 ? Math.abs(quantity) : e.quantity);
        if (e.fillPrice > 0) {
            o.put("fill_price", e.fillPrice);
        } else {
            o.putNull("fill_price");
        }
        o.put("commission", e.commission)
                .put("realized_pnl", e.realizedPnl)
                .put("status", status)
                .put("order_type", e.orderType.wireName());
        if (e.orderPrice != 0) {
            o.put("order_price", e.orderPrice);
        } else {
            o.putNull("order_price");
        }
        o.put("reason", e.reason);
        o.put("intent_id", "int_" + e.journalIndex);
        o.put("created_at", Instant.ofEpochMilli(e.receivedAtMillis).toString());
        if (!e.brokerOrderId.isEmpty()) {
            o.put("broker_order_id", e.brokerOrderId.toString());
        }
        return o;
    }

    private static ObjectNode position(RingEvent e) {
        double q = e.positionQuantity;
        return JSON.objectNode()
                .put("account_id", e.accountId)
                .put("symbol", e.symbol.toString())
                .put("side", q > 0 ? "long" : q < 0 ? "short" : "flat")
                .put("quantity", Math.abs(q))
                .put("average_price", e.positionAveragePrice)
                .put("stop_loss", e.positionStopLoss)
                .put("take_profit", e.positionTakeProfit)
                .put("updated_at", Instant.ofEpochMilli(e.receivedAtMillis).toString());
    }

    /** A line of the webhook log, as {@code GET /api/unify/v1/api/logs/webhooks} serves it (without the body). */
    private static ObjectNode alertLine(RingEvent e) {
        ObjectNode line = JSON.objectNode()
                .put("intent_id", "int_" + e.journalIndex)
                .put("received_at", Instant.ofEpochMilli(e.receivedAtMillis).toString())
                .put("account_id", e.accountId)
                .put("summary", summary(e))
                .put("outcome", e.outcome.name())
                .put("http_status", e.outcome.httpStatus())
                .put("reason", e.reason)
                .put("field", e.field);
        if (e.orderId != 0) {
            line.put("order_id", "ord_" + e.orderId);
        } else {
            line.putNull("order_id");
        }
        line.put("client_id", text(e.clientId));
        line.put("strategy", text(e.strategy));
        line.put("latency_us", e.decisionNanos / 1_000);
        return line;
    }

    private static String text(CharSequence s) {
        return s.isEmpty() ? null : s.toString();
    }

    /** As LogRoutes.summary: "open buy 1.0 EURUSD @ 1.0854 (market)". */
    private static String summary(RingEvent e) {
        StringBuilder s = new StringBuilder();
        s.append(e.action == null ? "?" : e.action.wireName());
        if (e.side != null) {
            s.append(' ').append(e.side.wireName());
        }
        if (e.quantity != 0) {
            s.append(' ').append(e.quantity);
        }
        s.append(' ').append(e.symbol.isEmpty() ? "(no symbol)" : e.symbol.toString());
        if (e.price != 0) {
            s.append(" @ ").append(e.price);
        }
        if (e.orderType != null) {
            s.append(" (").append(e.orderType.wireName()).append(')');
        }
        return s.toString();
    }
}
