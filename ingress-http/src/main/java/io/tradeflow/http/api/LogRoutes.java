package io.tradeflow.http.api;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.DashboardFilter;
import io.tradeflow.persistence.dao.WebhookLogDao;
import io.tradeflow.persistence.dao.WebhookLogRow;
import io.tradeflow.persistence.dao.WebhookPayloadDao;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The webhook log: every alert of the user with its outcome, reason and latency. */
public final class LogRoutes implements RouteSource {
    private static final Set<String> OUTCOMES = Arrays.stream(Outcome.values()).map(Outcome::name)
            .filter(name -> !name.equals("PENDING")).collect(Collectors.toUnmodifiableSet());

    private final WebhookLogDao log;
    private final Ownership ownership;
    private final WebhookPayloadDao payloads;

    public LogRoutes(WebhookLogDao log, AccountDao accounts) {
        this(log, accounts, null);
    }

    /** @param payloads the request bodies and answers kept for the log (null: none shown) */
    public LogRoutes(WebhookLogDao log, AccountDao accounts, WebhookPayloadDao payloads) {
        this.log = log;
        this.ownership = new Ownership(accounts);
        this.payloads = payloads;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route("GET", DashboardApi.BASE + "/api/logs/webhooks", Access.USER, this::webhooks));
    }

    private ApiResponse webhooks(ApiRequest request, Caller caller) {
        DashboardFilter filter = TradingRoutes.filter(request, caller, ownership, "outcome", OUTCOMES);
        List<WebhookLogRow> rows = log.search(filter);
        Map<Long, WebhookPayloadDao.Payload> kept = payloads == null ? Map.of()
                : payloads.byJournalIndexes(rows.stream().map(WebhookLogRow::journalIndex).toList());
        return ApiResponse.ok(Json.obj(
                "entries", rows.stream().map(row -> entry(row, kept.get(row.journalIndex()))).toList(),
                "total", log.count(filter),
                "limit", filter.limit(),
                "offset", filter.offset()));
    }

    /**
     * One alert; {@code body} is the request as received with the API key redacted (at most
     * {@code WebhookCapture.MAX_BODY} bytes, {@code body_truncated} when cut), {@code response} the
     * answer returned; both null when not kept (see WebhookCapture).
     */
    private static Map<String, Object> entry(WebhookLogRow row, WebhookPayloadDao.Payload payload) {
        Map<String, Object> entry = entry(row);
        entry.put("body", payload == null ? null : payload.body());
        // The product document's column name for the same.
        entry.put("payload", payload == null ? null : payload.body());
        entry.put("body_truncated", payload != null && payload.truncated());
        entry.put("response", payload == null ? null : payload.answer());
        return entry;
    }

    private static Map<String, Object> entry(WebhookLogRow row) {
        return Json.obj(
                "intent_id", "int_" + row.journalIndex(),
                "received_at", row.receivedAt(),
                "account_id", row.accountId(),
                "summary", summary(row),
                "outcome", row.outcome(),
                "http_status", row.httpStatus(),
                "reason", row.reason(),
                "field", row.field(),
                "order_id", row.orderId() == null ? null : "ord_" + row.orderId(),
                "client_id", row.clientId(),
                "strategy", row.strategy(),
                "latency_us", row.latencyMicros());
    }

    /** "open buy 1.0 EURUSD @ 1.0854 (market)", from what the alert carried. */
    private static String summary(WebhookLogRow row) {
        StringBuilder s = new StringBuilder();
        s.append(row.action() == null ? "?" : row.action());
        if (row.side() != null) {
            s.append(' ').append(row.side());
        }
        if (row.quantity() != null && row.quantity() != 0) {
            s.append(' ').append(row.quantity());
        }
        s.append(' ').append(row.symbol() == null ? "(no symbol)" : row.symbol());
        if (row.price() != null && row.price() != 0) {
            s.append(" @ ").append(row.price());
        }
        if (row.orderType() != null) {
            s.append(" (").append(row.orderType()).append(')');
        }
        return s.toString();
    }
}
