package io.tradeflow.broker.stub;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TradeLocker's backend API as BROKERS.md documents it: JWT login and refresh, all-accounts,
 * /trade/config with column orders and rate limits, instruments, orders (market fills at once at
 * the instrument's price; limit and stop orders work), positions as arrays of strings in column
 * order, and the {@code {"s":"ok","d":…}} envelope. Requires {@code Authorization} everywhere but
 * the token calls and {@code accNum} on every /trade call.
 */
public final class TradeLockerStub extends StubHttpServer {
    public static final String EMAIL = "trader@example.com";
    public static final String PASSWORD = "s3cret-pass";
    public static final String SERVER = "TLDEMO";
    public static final String ACCOUNT_ID = "7080";
    public static final String ACC_NUM = "1";

    private static final List<String> ORDER_COLUMNS = List.of("id", "tradableInstrumentId", "routeId", "qty", "side",
            "type", "status", "filledQty", "avgPrice", "price", "stopPrice", "validity", "expireDate", "createdDate",
            "lastModified", "isOpen", "positionId", "stopLoss", "stopLossType", "takeProfit", "takeProfitType",
            "strategyId");
    // Deliberately not the documented order: the connector must follow the announced columns.
    private static final List<String> POSITION_COLUMNS = List.of("id", "tradableInstrumentId", "routeId", "side", "qty",
            "avgPrice", "stopLossId", "takeProfitId", "openDate", "strategyId", "unrealizedPl");

    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenSeq = new AtomicInteger();
    private final AtomicInteger orderSeq = new AtomicInteger(1000);
    private final Map<String, Instrument> instruments = new LinkedHashMap<>();
    private final List<Map<String, String>> orders = new ArrayList<>();
    private final Map<Long, Map<String, String>> positions = new LinkedHashMap<>();
    private final AtomicReference<String> rejectNext = new AtomicReference<>();
    private final AtomicBoolean dropNextPlaceAfterAccepting = new AtomicBoolean();
    private final AtomicBoolean goDownAfterDrop = new AtomicBoolean();
    private volatile long tokenLifetimeMillis = 3_600_000;
    private final AtomicInteger failPlaceOrdersWith = new AtomicInteger();
    private final AtomicInteger failNextPlaceAfterAcceptingWith = new AtomicInteger();
    private volatile long historyLagMillis;
    /** Logins accepted besides EMAIL/PASSWORD/SERVER, as email, password, server. */
    private final Set<List<String>> moreLogins = ConcurrentHashMap.newKeySet();

    private record Instrument(long id, String name, double price) {
    }

    public TradeLockerStub() {
        instruments.put("EURUSD", new Instrument(278, "EURUSD", 1.0850));
        instruments.put("XAUUSD", new Instrument(312, "XAUUSD", 2650.0));
    }

    /** Accepts this login too (e.g. the example credentials printed in a product document). */
    public void acceptLogin(String email, String password, String server) {
        moreLogins.add(List.of(email, password, server));
    }

    /** Access tokens issued from now on expire after this long (refresh is due within 30 minutes). */
    public void tokenLifetime(long millis) {
        this.tokenLifetimeMillis = millis;
    }

    /** Invalidates every access token at once: the next /trade call gets 401. */
    public void expireAccessTokens() {
        accessTokens.clear();
    }

    public void rejectNextOrder(String message) {
        rejectNext.set(message);
    }

    /** The next place-order is accepted and stored, then the connection drops before the answer. */
    public void dropNextPlaceOrderAfterAccepting() {
        dropNextPlaceAfterAccepting.set(true);
    }

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

    /** A new order is missing from orders and ordersHistory for this long after it was accepted (a lagging list). */
    public void historyLag(long millis) {
        this.historyLagMillis = millis;
    }

    /** The market reaches every working limit and stop order: each fills at its own price. */
    public synchronized void fillWorkingOrders() {
        for (Map<String, String> o : orders) {
            if ("true".equals(o.get("isOpen"))) {
                double price = Double.parseDouble(o.get("type").equals("limit") ? o.get("price") : o.get("stopPrice"));
                Instrument instrument = instruments.values().stream()
                        .filter(i -> Long.toString(i.id).equals(o.get("tradableInstrumentId"))).findFirst().orElseThrow();
                o.put("isOpen", "false");
                o.put("status", "Filled");
                o.put("filledQty", o.get("qty"));
                o.put("avgPrice", Double.toString(price));
                fill(new Instrument(instrument.id, instrument.name, price), o.get("side"), Double.parseDouble(o.get("qty")),
                        o.get("strategyId"));
            }
        }
    }

    /** As {@link #dropNextPlaceOrderAfterAccepting()}, and the broker then stops answering altogether. */
    public void dropNextPlaceOrderAfterAcceptingThenGoDown() {
        goDownAfterDrop.set(true);
        dropNextPlaceAfterAccepting.set(true);
    }

    public synchronized List<Map<String, String>> orders() {
        return List.copyOf(orders);
    }

    public synchronized double positionQuantity(String symbol) {
        Map<String, String> p = positions.get(instruments.get(symbol).id);
        if (p == null) {
            return 0;
        }
        double qty = Double.parseDouble(p.get("qty"));
        return "sell".equals(p.get("side")) ? -qty : qty;
    }

    /** The orders carrying this strategyId (the client tag): how a test proves an order was placed once. */
    public synchronized long ordersTagged(String strategyId) {
        return orders.stream().filter(o -> strategyId.equals(o.get("strategyId"))).count();
    }

    /** A field of the open position in {@code symbol} as the broker keeps it (stopLoss, takeProfit, …), or null. */
    public synchronized String positionField(String symbol, String field) {
        Map<String, String> p = positions.get(instruments.get(symbol).id);
        return p == null ? null : p.get(field);
    }

    public int loginCount() {
        return requests("POST", "/backend-api/auth/jwt/token").size();
    }

    @Override
    protected synchronized Answer route(String method, String path, Map<String, String> headers, JsonNode body, String query) {
        if (!path.startsWith("/backend-api/")) {
            return Answer.json(404, Map.of("s", "error", "errmsg", "not found"));
        }
        String p = path.substring("/backend-api".length());
        if (p.equals("/auth/jwt/token") && method.equals("POST")) {
            if ((!EMAIL.equals(body.path("email").asText()) || !PASSWORD.equals(body.path("password").asText())
                    || !SERVER.equals(body.path("server").asText())) && !moreLogins.contains(List.of(
                    body.path("email").asText(), body.path("password").asText(), body.path("server").asText()))) {
                return Answer.json(400, Map.of("message", "Invalid credentials"));
            }
            return Answer.json(201, issueTokens());
        }
        if (p.equals("/auth/jwt/refresh") && method.equals("POST")) {
            if (!refreshTokens.remove(body.path("refreshToken").asText())) {
                return Answer.json(401, null);
            }
            return Answer.json(201, issueTokens());
        }
        String auth = headers.getOrDefault("authorization", "");
        if (!auth.startsWith("Bearer ") || !accessTokens.contains(auth.substring(7))) {
            return new Answer(401, null, Map.of());
        }
        if (p.equals("/auth/jwt/all-accounts")) {
            if (headers.containsKey("accnum")) {
                return Answer.json(400, Map.of("message", "accNum is not expected on /auth calls"));
            }
            return Answer.json(200, Map.of("accounts", List.of(Map.of("id", ACCOUNT_ID, "name", "Demo", "currency", "USD",
                    "status", "ACTIVE", "accNum", ACC_NUM, "aaccountBalance", "2024.75"))));
        }
        if (p.startsWith("/trade/")) {
            if (!ACC_NUM.equals(headers.get("accnum"))) {
                return ok400("accNum header missing or wrong");
            }
            if (p.startsWith("/trade/instruments/") && method.equals("GET")) {
                return instrumentDetails(p.substring("/trade/instruments/".length()), query);
            }
            return trade(method, p, body);
        }
        return Answer.json(404, Map.of("s", "error", "errmsg", "no route " + p));
    }

    /**
     * {@code GET /trade/instruments/{id}?routeId=}: lot size (contract size), lot step, min/max
     * order size, and tick size and tick cost as lists of price ranges.
     */
    private Answer instrumentDetails(String id, String query) {
        if (query == null || !query.matches("(.*&)?routeId=\\d+(&.*)?")) {
            return ok400("routeId is required");
        }
        Instrument instrument = instruments.values().stream().filter(i -> Long.toString(i.id).equals(id)).findFirst().orElse(null);
        if (instrument == null) {
            return ok400("unknown instrument " + id);
        }
        boolean fx = instrument.name.equals("EURUSD");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("tradableInstrumentId", instrument.id);
        d.put("name", instrument.name);
        d.put("lotSize", fx ? 100_000 : 100);
        d.put("lotStep", 0.01);
        d.put("minOrderSize", 0.01);
        d.put("maxOrderSize", fx ? 100 : 50);
        d.put("tickSize", List.of(Map.of("leftRangeLimit", 0, "rightRangeLimit", 1_000_000, "tickSize", fx ? 0.00001 : 0.01)));
        d.put("tickCost", List.of(Map.of("leftRangeLimit", 0, "rightRangeLimit", 1_000_000, "tickCost", fx ? 1.0 : 1.0)));
        return ok(d);
    }

    private Map<String, Object> issueTokens() {
        String access = "at-" + tokenSeq.incrementAndGet();
        String refresh = "rt-" + tokenSeq.get();
        accessTokens.add(access);
        refreshTokens.add(refresh);
        return Map.of("accessToken", access, "refreshToken", refresh,
                "expireDate", Instant.ofEpochMilli(System.currentTimeMillis() + tokenLifetimeMillis).toString());
    }

    private Answer trade(String method, String p, JsonNode body) {
        String accountPrefix = "/trade/accounts/" + ACCOUNT_ID;
        if (p.equals("/trade/config")) {
            return ok(Map.of(
                    "positionsConfig", Map.of("columns", columns(POSITION_COLUMNS)),
                    "ordersConfig", Map.of("columns", columns(ORDER_COLUMNS)),
                    "ordersHistoryConfig", Map.of("columns", columns(ORDER_COLUMNS)),
                    "rateLimits", List.of(
                            Map.of("rateLimitType", "PLACE_ORDER", "measure", "SECONDS", "intervalNum", 1, "limit", 5),
                            Map.of("rateLimitType", "GET_POSITIONS", "measure", "MINUTES", "intervalNum", 1, "limit", 100))));
        }
        if (p.equals(accountPrefix + "/instruments")) {
            List<Object> list = new ArrayList<>();
            instruments.values().forEach(i -> list.add(Map.of("tradableInstrumentId", i.id, "name", i.name,
                    "routes", List.of(Map.of("id", 7001, "type", "INFO"), Map.of("id", 9001, "type", "TRADE")))));
            return ok(Map.of("instruments", list));
        }
        if (p.equals(accountPrefix + "/orders") && method.equals("POST")) {
            return placeOrder(body);
        }
        if (p.startsWith("/trade/accounts/") && !p.startsWith(accountPrefix + "/")) {
            return ok400("unknown account in " + p);
        }
        if (p.equals(accountPrefix + "/orders") && method.equals("GET")) {
            return ok(Map.of("orders", rows(listed().filter(o -> "true".equals(o.get("isOpen"))).toList(), ORDER_COLUMNS)));
        }
        if (p.equals(accountPrefix + "/ordersHistory")) {
            return ok(Map.of("ordersHistory", rows(listed().filter(o -> !"true".equals(o.get("isOpen"))).toList(), ORDER_COLUMNS)));
        }
        if (p.equals(accountPrefix + "/positions") && method.equals("GET")) {
            return ok(Map.of("positions", rows(new ArrayList<>(positions.values()), POSITION_COLUMNS)));
        }
        if (p.startsWith("/trade/orders/") && method.equals("DELETE")) {
            String id = p.substring("/trade/orders/".length());
            for (Map<String, String> o : orders) {
                if (o.get("id").equals(id) && "true".equals(o.get("isOpen"))) {
                    o.put("isOpen", "false");
                    o.put("status", "Cancelled");
                    return ok(Map.of());
                }
            }
            return ok400("order " + id + " is not open");
        }
        if (p.startsWith("/trade/positions/") && method.equals("PATCH")) {
            String id = p.substring("/trade/positions/".length());
            if (!body.has("stopLoss") && !body.has("takeProfit") && !body.has("trailingOffset")) {
                return ok400("nothing to modify: stopLoss, takeProfit or trailingOffset");
            }
            for (Map<String, String> position : positions.values()) {
                if (position.get("id").equals(id)) {
                    for (String field : List.of("stopLoss", "takeProfit", "trailingOffset")) {
                        if (body.has(field)) {
                            // null removes it
                            position.put(field, body.get(field).isNull() ? "" : body.get(field).asText());
                        }
                    }
                    return ok(Map.of());
                }
            }
            return ok400("position " + id + " not found");
        }
        if (p.startsWith("/trade/positions/") && method.equals("DELETE")) {
            String id = p.substring("/trade/positions/".length());
            for (Map.Entry<Long, Map<String, String>> e : positions.entrySet()) {
                if (e.getValue().get("id").equals(id)) {
                    Map<String, String> position = e.getValue();
                    double open = Double.parseDouble(position.get("qty"));
                    double qty = body.path("qty").asDouble(0);
                    double closed = qty <= 0 || qty >= open ? open : qty;
                    if (closed >= open) {
                        positions.remove(e.getKey());
                    } else {
                        position.put("qty", Double.toString(open - closed));
                    }
                    // The broker books the close as a filled market order on that position.
                    Map<String, String> order = new LinkedHashMap<>();
                    order.put("id", Integer.toString(orderSeq.incrementAndGet()));
                    order.put("tradableInstrumentId", position.get("tradableInstrumentId"));
                    order.put("routeId", "9001");
                    order.put("qty", Double.toString(closed));
                    order.put("side", "buy".equals(position.get("side")) ? "sell" : "buy");
                    order.put("type", "market");
                    order.put("status", "Filled");
                    order.put("isOpen", "false");
                    order.put("filledQty", Double.toString(closed));
                    order.put("avgPrice", Double.toString(priceOf(e.getKey())));
                    order.put("positionId", id);
                    order.put("strategyId", "");
                    orders.add(order);
                    int failAfter = failNextCloseAfterClosingWith.getAndSet(0);
                    return failAfter != 0 ? Answer.json(failAfter, null) : ok(Map.of());
                }
            }
            return ok400("position " + id + " not found");
        }
        return Answer.json(404, Map.of("s", "error", "errmsg", "no route " + p));
    }

    /** Orders as the lists show them: without those younger than the history lag. */
    private java.util.stream.Stream<Map<String, String>> listed() {
        long visibleBefore = System.currentTimeMillis() - historyLagMillis;
        return orders.stream().filter(o -> Long.parseLong(o.getOrDefault("createdDate", "0")) <= visibleBefore);
    }

    private Answer placeOrder(JsonNode body) {
        int failWith = failPlaceOrdersWith.get();
        if (failWith != 0) {
            return Answer.json(failWith, null);
        }
        for (String required : List.of("qty", "routeId", "side", "validity", "type", "tradableInstrumentId")) {
            if (!body.hasNonNull(required)) {
                return ok400("missing " + required);
            }
        }
        String type = body.get("type").asText();
        if (!Set.of("market", "limit", "stop").contains(type)) {
            return ok400("type must be market, limit or stop, not " + type);
        }
        if (!Set.of("buy", "sell").contains(body.get("side").asText())) {
            return ok400("side must be buy or sell, not " + body.get("side").asText());
        }
        if (!"9001".equals(body.get("routeId").asText())) {
            return ok400("routeId " + body.get("routeId").asText() + " is not the instrument's TRADE route");
        }
        if (!(body.get("qty").asDouble() > 0)) {
            return ok400("qty must be > 0");
        }
        if (body.hasNonNull("stopLoss") && !Set.of("absolute", "offset", "trailingOffset")
                .contains(body.path("stopLossType").asText())) {
            return ok400("stopLossType must be absolute, offset or trailingOffset");
        }
        if (body.hasNonNull("takeProfit") && !Set.of("absolute", "offset").contains(body.path("takeProfitType").asText())) {
            return ok400("takeProfitType must be absolute or offset");
        }
        if (type.equals("limit") && !body.hasNonNull("price") || type.equals("stop") && !body.hasNonNull("stopPrice")) {
            return ok400("missing price for " + type);
        }
        String expectedValidity = type.equals("market") ? "IOC" : "GTC";
        if (!expectedValidity.equals(body.get("validity").asText())) {
            return ok400("validity must be " + expectedValidity + " for " + type);
        }
        if (body.path("strategyId").asText().length() > 31) {
            return ok400("strategyId longer than 31");
        }
        String reject = rejectNext.getAndSet(null);
        if (reject != null) {
            return ok400(reject);
        }
        Instrument instrument = instruments.values().stream()
                .filter(i -> i.id == body.get("tradableInstrumentId").asLong()).findFirst().orElse(null);
        if (instrument == null) {
            return ok400("unknown instrument");
        }
        String id = Integer.toString(orderSeq.incrementAndGet());
        double qty = body.get("qty").asDouble();
        String side = body.get("side").asText();
        Map<String, String> order = new LinkedHashMap<>();
        order.put("id", id);
        order.put("tradableInstrumentId", Long.toString(instrument.id));
        order.put("routeId", body.get("routeId").asText());
        order.put("qty", Double.toString(qty));
        order.put("side", side);
        order.put("type", type);
        order.put("strategyId", body.path("strategyId").asText(""));
        order.put("price", body.path("price").asText(""));
        order.put("stopPrice", body.path("stopPrice").asText(""));
        order.put("stopLoss", body.path("stopLoss").asText(""));
        order.put("stopLossType", body.path("stopLossType").asText(""));
        order.put("takeProfit", body.path("takeProfit").asText(""));
        order.put("takeProfitType", body.path("takeProfitType").asText(""));
        order.put("validity", body.get("validity").asText());
        order.put("createdDate", Long.toString(System.currentTimeMillis()));
        if (type.equals("market")) {
            order.put("status", "Filled");
            order.put("isOpen", "false");
            order.put("filledQty", Double.toString(qty));
            order.put("avgPrice", Double.toString(instrument.price));
            fill(instrument, side, qty, order.get("strategyId"));
        } else {
            order.put("status", "New");
            order.put("isOpen", "true");
            order.put("filledQty", "0");
            order.put("avgPrice", "0");
        }
        orders.add(order);
        int failAfter = failNextPlaceAfterAcceptingWith.getAndSet(0);
        if (failAfter != 0) {
            return Answer.json(failAfter, null);
        }
        if (dropNextPlaceAfterAccepting.getAndSet(false)) {
            if (goDownAfterDrop.getAndSet(false)) {
                down(true);
            }
            throw new DropConnection();
        }
        return ok(Map.of("orderId", id));
    }

    private void fill(Instrument instrument, String side, double qty, String strategyId) {
        double signed = "buy".equals(side) ? qty : -qty;
        Map<String, String> p = positions.get(instrument.id);
        double before = p == null ? 0 : ("sell".equals(p.get("side")) ? -1 : 1) * Double.parseDouble(p.get("qty"));
        double after = before + signed;
        if (Math.abs(after) < 1e-9) {
            positions.remove(instrument.id);
            return;
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", p == null ? "P" + orderSeq.get() : p.get("id"));
        row.put("tradableInstrumentId", Long.toString(instrument.id));
        row.put("routeId", "9001");
        row.put("side", after > 0 ? "buy" : "sell");
        row.put("qty", Double.toString(Math.abs(after)));
        row.put("avgPrice", Double.toString(instrument.price));
        row.put("stopLossId", "");
        row.put("takeProfitId", "");
        row.put("openDate", Long.toString(System.currentTimeMillis()));
        row.put("strategyId", strategyId);
        row.put("unrealizedPl", "0");
        positions.put(instrument.id, row);
    }

    private double priceOf(long instrumentId) {
        return instruments.values().stream().filter(i -> i.id == instrumentId).findFirst().orElseThrow().price;
    }

    private static List<Map<String, String>> columns(List<String> ids) {
        return ids.stream().map(id -> Map.of("id", id)).toList();
    }

    private static List<List<String>> rows(List<Map<String, String>> maps, List<String> columns) {
        return maps.stream().map(m -> columns.stream().map(c -> m.getOrDefault(c, "")).toList()).toList();
    }

    private static Answer ok(Object d) {
        return Answer.json(200, Map.of("s", "ok", "d", d));
    }

    private static Answer ok400(String message) {
        return Answer.json(400, Map.of("s", "error", "errmsg", message));
    }
}
