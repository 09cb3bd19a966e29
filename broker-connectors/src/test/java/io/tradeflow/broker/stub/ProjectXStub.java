package io.tradeflow.broker.stub;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ProjectX Gateway as BROKERS.md documents it: POST-only JSON, {@code success/errorCode/
 * errorMessage} on every answer, business failures as HTTP 200 with {@code success=false}, a bad
 * token as 401 with no body. Market orders fill at once at the contract's price and move the
 * position; limit and stop orders stay open. {@code customTag} must be unique per account.
 */
public final class ProjectXStub extends StubHttpServer {
    public static final String USER = "topstep-user";
    public static final String API_KEY = "px-api-key-123";
    public static final long ACCOUNT_ID = 536;
    public static final String NQ_CONTRACT = "CON.F.US.ENQ.H25";
    public static final String MNQ_CONTRACT = "CON.F.US.MNQ.H25";

    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenSeq = new AtomicInteger();
    private final AtomicInteger orderSeq = new AtomicInteger(9000);
    private final Map<String, Double> prices = Map.of(NQ_CONTRACT, 21000.25, MNQ_CONTRACT, 21000.5);
    private final List<Map<String, Object>> orders = new ArrayList<>();
    private final Map<String, double[]> positions = new LinkedHashMap<>();
    private final AtomicInteger rejectNextWith = new AtomicInteger();
    private final AtomicBoolean dropNextPlaceAfterAccepting = new AtomicBoolean();
    private volatile boolean slowMarketFills;
    private final AtomicInteger failPlaceOrdersWith = new AtomicInteger();
    private final AtomicInteger failNextPlaceAfterAcceptingWith = new AtomicInteger();
    private volatile long historyLagMillis;

    /** Every place-order is answered with this 5xx status and not accepted, while reads keep working (0 = healthy). */
    public void failPlaceOrders(int status) {
        failPlaceOrdersWith.set(status);
    }

    /** The next place-order is accepted and stored, then answered with this 5xx status (a gateway after the broker). */
    public void failNextPlaceOrderAfterAccepting(int status) {
        failNextPlaceAfterAcceptingWith.set(status);
    }

    private final AtomicInteger failNextCloseAfterClosingWith = new AtomicInteger();

    /** The next position close is carried out, then answered with this 5xx status. */
    public void failNextCloseAfterClosing(int status) {
        failNextCloseAfterClosingWith.set(status);
    }

    /** A new order is missing from Order/search and searchOpen for this long after it was accepted. */
    public void historyLag(long millis) {
        this.historyLagMillis = millis;
    }

    /** The market reaches every working tagged limit and stop order: each fills at its own price. */
    public synchronized void fillWorkingOrders() {
        for (Map<String, Object> o : orders) {
            if ((int) o.get("status") == 1 && o.get("customTag") != null) {
                double price = (int) o.get("type") == 1 ? (double) o.get("limitPrice") : (double) o.get("stopPrice");
                int size = (int) o.get("size");
                o.put("status", 2);
                o.put("fillVolume", size);
                o.put("filledPrice", price);
                double[] p = positions.computeIfAbsent((String) o.get("contractId"), c -> new double[2]);
                p[0] += (int) o.get("side") == 0 ? size : -size;
                p[1] = price;
            }
        }
    }

    /** The orders carrying this customTag: how a test proves an order was placed once. */
    public synchronized long ordersTagged(String customTag) {
        return orders.stream().filter(o -> customTag.equals(o.get("customTag"))).count();
    }

    /** Logins accepted besides USER/API_KEY, as user name and API key. */
    private final Set<List<String>> moreLogins = ConcurrentHashMap.newKeySet();

    /** Accepts this login too (e.g. the example credentials printed in a product document). */
    public void acceptLogin(String userName, String apiKey) {
        moreLogins.add(List.of(userName, apiKey));
    }

    public void expireTokens() {
        tokens.clear();
    }

    /** The next place-order answers HTTP 200, success=false with this place error code. */
    public void rejectNextOrder(int errorCode) {
        rejectNextWith.set(errorCode);
    }

    /** Market orders stay pending through the first order search after they were placed, then fill. */
    public void slowMarketFills(boolean slow) {
        this.slowMarketFills = slow;
    }

    public void dropNextPlaceOrderAfterAccepting() {
        dropNextPlaceAfterAccepting.set(true);
    }

    public synchronized List<Map<String, Object>> orders() {
        return List.copyOf(orders);
    }

    public synchronized double positionSize(String contractId) {
        double[] p = positions.get(contractId);
        return p == null ? 0 : p[0];
    }

    @Override
    protected synchronized Answer route(String method, String path, Map<String, String> headers, JsonNode body, String query) {
        if (!method.equals("POST")) {
            return Answer.json(405, null);
        }
        if (path.equals("/api/Auth/loginKey")) {
            if ((!USER.equals(body.path("userName").asText()) || !API_KEY.equals(body.path("apiKey").asText()))
                    && !moreLogins.contains(List.of(body.path("userName").asText(), body.path("apiKey").asText()))) {
                return Answer.json(200, fail(3, "Invalid credentials"));
            }
            String token = "px-token-" + tokenSeq.incrementAndGet();
            tokens.add(token);
            Map<String, Object> ok = success();
            ok.put("token", token);
            return Answer.json(200, ok);
        }
        String auth = headers.getOrDefault("authorization", "");
        if (!auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
            return Answer.json(401, null);
        }
        String missing = missingAccount(path, body);
        if (missing != null) {
            return Answer.json(200, fail(1, missing));
        }
        switch (path) {
            case "/api/Auth/validate": {
                Map<String, Object> ok = success();
                String token = "px-token-" + tokenSeq.incrementAndGet();
                tokens.add(token);
                ok.put("newToken", token);
                return Answer.json(200, ok);
            }
            case "/api/Account/search": {
                Map<String, Object> ok = success();
                ok.put("accounts", List.of(Map.of("id", ACCOUNT_ID, "name", "50KTC", "balance", 50_000.0, "canTrade", true,
                        "isVisible", true, "simulated", true)));
                return Answer.json(200, ok);
            }
            case "/api/Contract/search": {
                String text = body.path("searchText").asText();
                List<Object> contracts = new ArrayList<>();
                // A search for NQ also finds MNQ, as a text search does: the connector must pick the right root.
                if ("NQ".contains(text) || "MNQ".contains(text)) {
                    contracts.add(Map.of("id", MNQ_CONTRACT, "name", "MNQH5", "description", "Micro E-mini Nasdaq-100",
                            "tickSize", 0.25, "tickValue", 0.5, "activeContract", true));
                    contracts.add(Map.of("id", NQ_CONTRACT, "name", "NQH5", "description", "E-mini Nasdaq-100",
                            "tickSize", 0.25, "tickValue", 5.0, "activeContract", true));
                }
                Map<String, Object> ok = success();
                ok.put("contracts", contracts);
                return Answer.json(200, ok);
            }
            case "/api/Order/place":
                return place(body);
            case "/api/Order/search":
            case "/api/Order/searchOpen": {
                fillPendingMarketOrders();
                Map<String, Object> ok = success();
                boolean open = path.endsWith("Open");
                if (!open && !body.hasNonNull("startTimestamp")) {
                    return Answer.json(200, fail(2, "startTimestamp is required"));
                }
                long visibleBefore = System.currentTimeMillis() - historyLagMillis;
                ok.put("orders", orders.stream().filter(o -> !open || (int) o.get("status") == 1)
                        .filter(o -> (long) o.get("acceptedAtMillis") <= visibleBefore)
                        .map(o -> {
                            Map<String, Object> listed = new HashMap<>(o);
                            listed.remove("acceptedAtMillis");
                            listed.remove("searchesUntilFill");
                            return listed;
                        }).toList());
                return Answer.json(200, ok);
            }
            case "/api/Order/cancel": {
                for (Map<String, Object> o : orders) {
                    if (((Number) o.get("id")).longValue() == body.path("orderId").asLong() && (int) o.get("status") == 1) {
                        o.put("status", 3);
                        return Answer.json(200, success());
                    }
                }
                return Answer.json(200, fail(2, "order not open"));
            }
            case "/api/Position/searchOpen": {
                List<Object> list = new ArrayList<>();
                positions.forEach((contract, p) -> list.add(Map.of("id", contract.hashCode() & 0xffff, "accountId", ACCOUNT_ID,
                        "contractId", contract, "creationTimestamp", Instant.now().toString(), "type", p[0] > 0 ? 1 : 2,
                        "size", Math.abs(p[0]), "averagePrice", p[1])));
                Map<String, Object> ok = success();
                ok.put("positions", list);
                return Answer.json(200, ok);
            }
            case "/api/Position/closeContract": {
                String contract = body.path("contractId").asText();
                double[] p = positions.remove(contract);
                if (p == null) {
                    return Answer.json(200, fail(2, "no position"));
                }
                closingOrder(contract, p[0], Math.abs(p[0]));
                int failAfter = failNextCloseAfterClosingWith.getAndSet(0);
                return failAfter != 0 ? Answer.json(failAfter, null) : Answer.json(200, success());
            }
            case "/api/Position/partialCloseContract": {
                String contract = body.path("contractId").asText();
                double[] p = positions.get(contract);
                if (p == null) {
                    return Answer.json(200, fail(2, "no position"));
                }
                if (!body.path("size").isInt() || body.path("size").asInt() <= 0 || body.path("size").asInt() >= Math.abs(p[0])) {
                    return Answer.json(200, fail(2, "size must be a whole number below the position's"));
                }
                int size = body.path("size").asInt();
                closingOrder(contract, p[0], size);
                p[0] -= Math.signum(p[0]) * size;
                return Answer.json(200, success());
            }
            case "/api/Order/modify": {
                for (Map<String, Object> o : orders) {
                    if (((Number) o.get("id")).longValue() == body.path("orderId").asLong() && (int) o.get("status") == 1) {
                        for (String field : List.of("limitPrice", "stopPrice")) {
                            if (body.path(field).isNumber()) {
                                o.put(field, body.get(field).asDouble());
                            }
                        }
                        if (body.path("size").isInt()) {
                            o.put("size", body.get("size").asInt());
                        }
                        return Answer.json(200, success());
                    }
                }
                return Answer.json(200, fail(2, "order not open"));
            }
            default:
                return Answer.json(404, null);
        }
    }

    /** The documented account-scoped calls need {@code accountId}; the stub refuses them without it. */
    private static String missingAccount(String path, JsonNode body) {
        boolean scoped = path.startsWith("/api/Order/") || path.startsWith("/api/Position/") || path.startsWith("/api/Trade/");
        if (!scoped) {
            return null;
        }
        if (!body.path("accountId").canConvertToLong()) {
            return "accountId is required";
        }
        return body.path("accountId").asLong() == ACCOUNT_ID ? null : "AccountNotFound";
    }

    private Answer place(JsonNode body) {
        int failWith = failPlaceOrdersWith.get();
        if (failWith != 0) {
            return Answer.json(failWith, null);
        }
        if (!body.path("side").isInt() || body.path("side").asInt() < 0 || body.path("side").asInt() > 1) {
            return Answer.json(200, fail(2, "side is required: 0 buy, 1 sell"));
        }
        if (!body.path("type").isInt() || !Set.of(1, 2, 4, 5, 6, 7).contains(body.path("type").asInt())) {
            return Answer.json(200, fail(2, "type must be one of 1, 2, 4, 5, 6, 7"));
        }
        if (!body.path("size").isInt()) {
            return Answer.json(200, fail(2, "size must be a whole number of contracts"));
        }
        if (body.path("accountId").asLong() != ACCOUNT_ID) {
            return Answer.json(200, fail(1, "AccountNotFound"));
        }
        String contract = body.path("contractId").asText();
        if (!prices.containsKey(contract)) {
            return Answer.json(200, fail(8, "ContractNotFound"));
        }
        String tag = body.path("customTag").asText(null);
        if (tag != null && orders.stream().anyMatch(o -> tag.equals(o.get("customTag")))) {
            return Answer.json(200, fail(2, "customTag must be unique"));
        }
        int rejected = rejectNextWith.getAndSet(0);
        if (rejected != 0) {
            return Answer.json(200, fail(rejected, null));
        }
        int type = body.path("type").asInt();
        int side = body.path("side").asInt();
        int size = body.path("size").asInt();
        if (size <= 0 || (type == 1 && !body.hasNonNull("limitPrice")) || (type == 4 && !body.hasNonNull("stopPrice"))) {
            return Answer.json(200, fail(2, "invalid order"));
        }
        long id = orderSeq.incrementAndGet();
        Map<String, Object> order = new HashMap<>();
        order.put("id", id);
        order.put("accountId", ACCOUNT_ID);
        order.put("contractId", contract);
        order.put("creationTimestamp", Instant.now().toString());
        order.put("type", type);
        order.put("side", side);
        order.put("size", size);
        order.put("customTag", tag);
        order.put("limitPrice", body.path("limitPrice").isNumber() ? body.get("limitPrice").asDouble() : null);
        order.put("stopPrice", body.path("stopPrice").isNumber() ? body.get("stopPrice").asDouble() : null);
        order.put("acceptedAtMillis", System.currentTimeMillis());
        if (type == 2 && slowMarketFills) {
            order.put("status", 6);
            order.put("fillVolume", 0);
            order.put("searchesUntilFill", 1);
        } else if (type == 2) {
            double price = prices.get(contract);
            order.put("status", 2);
            order.put("fillVolume", size);
            order.put("filledPrice", price);
            double[] p = positions.computeIfAbsent(contract, c -> new double[2]);
            p[0] += side == 0 ? size : -size;
            p[1] = price;
            if (p[0] == 0) {
                positions.remove(contract);
            }
            // A bracket leaves its stop loss and take profit as working orders on the other side.
            bracketOrder(body.path("stopLossBracket"), contract, side, size, price, true);
            bracketOrder(body.path("takeProfitBracket"), contract, side, size, price, false);
        } else {
            order.put("status", 1);
            order.put("fillVolume", 0);
        }
        orders.add(order);
        int failAfter = failNextPlaceAfterAcceptingWith.getAndSet(0);
        if (failAfter != 0) {
            return Answer.json(failAfter, null);
        }
        if (dropNextPlaceAfterAccepting.getAndSet(false)) {
            throw new DropConnection();
        }
        Map<String, Object> ok = success();
        ok.put("orderId", id);
        return Answer.json(200, ok);
    }

    private void bracketOrder(JsonNode bracket, String contract, int side, int size, double entry, boolean isStop) {
        if (!bracket.isObject()) {
            return;
        }
        double distance = bracket.path("ticks").asInt() * 0.25;
        boolean isLong = side == 0;
        double price = isStop == isLong ? entry - distance : entry + distance;
        Map<String, Object> order = new HashMap<>();
        order.put("id", (long) orderSeq.incrementAndGet());
        order.put("accountId", ACCOUNT_ID);
        order.put("contractId", contract);
        order.put("creationTimestamp", Instant.now().toString());
        order.put("type", isStop ? 4 : 1);
        order.put("side", isLong ? 1 : 0);
        order.put("size", size);
        order.put("customTag", null);
        order.put("status", 1);
        order.put("fillVolume", 0);
        order.put(isStop ? "stopPrice" : "limitPrice", price);
        order.put(isStop ? "limitPrice" : "stopPrice", null);
        order.put("acceptedAtMillis", System.currentTimeMillis());
        orders.add(order);
    }

    /** The gateway books a close as a filled market order on the other side, without a customTag. */
    private void closingOrder(String contract, double position, double size) {
        Map<String, Object> order = new HashMap<>();
        order.put("id", (long) orderSeq.incrementAndGet());
        order.put("accountId", ACCOUNT_ID);
        order.put("contractId", contract);
        order.put("creationTimestamp", Instant.now().toString());
        order.put("type", 2);
        order.put("side", position > 0 ? 1 : 0);
        order.put("size", (int) size);
        order.put("customTag", null);
        order.put("status", 2);
        order.put("fillVolume", (int) size);
        order.put("filledPrice", prices.get(contract));
        order.put("acceptedAtMillis", System.currentTimeMillis());
        orders.add(order);
    }

    /** The working stop-loss and take-profit orders a bracket left on a contract (type 4 stop, type 1 limit). */
    public synchronized List<Map<String, Object>> openOrdersOn(String contractId) {
        return orders.stream().filter(o -> contractId.equals(o.get("contractId")) && (int) o.get("status") == 1).toList();
    }

    /** A pending market order is filled once it has been seen pending by one search. */
    private void fillPendingMarketOrders() {
        for (Map<String, Object> o : orders) {
            Object wait = o.get("searchesUntilFill");
            if (wait == null) {
                continue;
            }
            int left = (int) wait;
            if (left > 0) {
                o.put("searchesUntilFill", left - 1);
                continue;
            }
            o.remove("searchesUntilFill");
            String contract = (String) o.get("contractId");
            int size = (int) o.get("size");
            double price = prices.get(contract);
            o.put("status", 2);
            o.put("fillVolume", size);
            o.put("filledPrice", price);
            double[] p = positions.computeIfAbsent(contract, c -> new double[2]);
            p[0] += (int) o.get("side") == 0 ? size : -size;
            p[1] = price;
        }
    }

    private static Map<String, Object> success() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("errorCode", 0);
        m.put("errorMessage", null);
        return m;
    }

    private static Map<String, Object> fail(int code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", false);
        m.put("errorCode", code);
        m.put("errorMessage", message);
        return m;
    }
}
