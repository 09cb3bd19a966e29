package io.tradeflow.broker.tradelocker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.broker.api.AccountSnapshot;
import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerException.Kind;
import io.tradeflow.broker.api.BrokerOrder;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.broker.api.CircuitState;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.OrderOutcomeUnknown;
import io.tradeflow.broker.api.OrderResult;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.broker.guard.CallGuard;
import io.tradeflow.broker.guard.CircuitBreaker;
import io.tradeflow.broker.guard.RateLimiter;
import io.tradeflow.broker.http.JsonHttp;
import io.tradeflow.broker.http.JsonResponse;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.StopMode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * A TradeLocker account over its REST API (BROKERS.md). The session (access token, account id and
 * {@code accNum}, column orders, rate limits) is established lazily and refreshed when less than
 * 30 minutes of the access token remain; a 401 drops it and the call is made once more with a new
 * one. Instruments are cached by symbol. Every order carries its client tag as {@code strategyId}.
 */
public final class TradeLockerConnector implements BrokerConnector {
    static final long REFRESH_MARGIN_MILLIS = 30 * 60 * 1000L;
    private static final String DEFAULT_ROUTE = "DEFAULT";

    private final TradeLockerCredentials credentials;
    private final JsonHttp http;
    private final ConnectorSettings settings;
    private final LongSupplier clock;
    private final CallGuard guard;
    private final Executor executor;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, Instrument> instruments = new ConcurrentHashMap<>();
    private final Map<String, String> symbolsById = new ConcurrentHashMap<>();
    private volatile Session session;
    private CompletableFuture<Session> pendingSession;
    // Column orders announced by /trade/config (kept apart from the session, which a 401 drops).
    private volatile ColumnRows positionRows = new ColumnRows(ColumnRows.POSITION_COLUMNS);
    private volatile ColumnRows orderRows = new ColumnRows(ColumnRows.ORDER_COLUMNS);
    private volatile ColumnRows historyRows = new ColumnRows(ColumnRows.ORDER_COLUMNS);

    public TradeLockerConnector(TradeLockerCredentials credentials, JsonHttp http, ConnectorSettings settings,
                                LongSupplier clock, Executor executor) {
        this.credentials = credentials;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
        this.executor = executor;
        this.guard = new CallGuard("tradelocker", new CircuitBreaker(settings.circuitFailureThreshold(),
                settings.circuitOpenFor().toMillis(), clock), clock, executor);
        limiters.put(DEFAULT_ROUTE, new RateLimiter(10, 1_000));
    }

    @Override
    public BrokerKind kind() {
        return BrokerKind.TRADELOCKER;
    }

    @Override
    public CircuitState circuit() {
        return guard.breaker();
    }

    @Override
    public CompletableFuture<Void> authenticate() {
        return session().thenApply(s -> null);
    }

    // ---- session ----

    private record Session(String accessToken, String refreshToken, long expiresAtMillis, String accountId, String accNum) {
    }

    private record Instrument(long tradableInstrumentId, String tradeRouteId) {
    }

    private record Token(String accessToken, String refreshToken, long expiresAtMillis) {
    }

    private synchronized CompletableFuture<Session> session() {
        Session s = session;
        if (s != null && s.expiresAtMillis - clock.getAsLong() > REFRESH_MARGIN_MILLIS) {
            return CompletableFuture.completedFuture(s);
        }
        if (pendingSession != null && !pendingSession.isDone()) {
            return pendingSession;
        }
        CompletableFuture<Token> token = s == null ? login()
                : refresh(s.refreshToken).exceptionallyCompose(failure -> login());
        pendingSession = token.thenCompose(t -> s == null
                ? openAccount(t)
                : CompletableFuture.completedFuture(new Session(t.accessToken, t.refreshToken, t.expiresAtMillis,
                        s.accountId, s.accNum)))
                .thenApply(fresh -> {
                    session = fresh;
                    return fresh;
                });
        return pendingSession;
    }

    private synchronized void dropSession(Session stale) {
        if (session == stale) {
            session = null;
        }
    }

    private CompletableFuture<Token> login() {
        ObjectNode body = http.mapper().createObjectNode()
                .put("email", credentials.email())
                .put("password", credentials.password())
                .put("server", credentials.server());
        return guarded(DEFAULT_ROUTE, () -> http.send(http.request(uri("/auth/jwt/token"), "POST", body,
                settings.requestTimeout()).build())).thenApply(r -> token(r, "login"));
    }

    private CompletableFuture<Token> refresh(String refreshToken) {
        ObjectNode body = http.mapper().createObjectNode().put("refreshToken", refreshToken);
        return guarded(DEFAULT_ROUTE, () -> http.send(http.request(uri("/auth/jwt/refresh"), "POST", body,
                settings.requestTimeout()).build())).thenApply(r -> token(r, "token refresh"));
    }

    private Token token(JsonResponse r, String what) {
        JsonNode b = r.body();
        if (!r.isSuccess() || !b.hasNonNull("accessToken")) {
            throw new BrokerException(Kind.AUTH, "tradelocker " + what + " refused (" + r.status() + ")");
        }
        long expires = b.hasNonNull("expireDate") ? Instant.parse(b.get("expireDate").asText()).toEpochMilli()
                : clock.getAsLong() + 3_600_000L;
        return new Token(b.get("accessToken").asText(), b.path("refreshToken").asText(), expires);
    }

    private CompletableFuture<Session> openAccount(Token t) {
        return guarded(DEFAULT_ROUTE, () -> http.send(http.request(uri("/auth/jwt/all-accounts"), "GET", null,
                settings.requestTimeout()).header("Authorization", "Bearer " + t.accessToken).build()))
                .thenCompose(r -> {
                    JsonNode account = pickAccount(r.body().path("accounts"));
                    String accountId = account.path("id").asText();
                    String accNum = account.path("accNum").asText();
                    return guarded(DEFAULT_ROUTE, () -> http.send(http.request(uri("/trade/config"), "GET", null,
                            settings.requestTimeout()).header("Authorization", "Bearer " + t.accessToken)
                            .header("accNum", accNum).build()))
                            .thenApply(c -> {
                                JsonNode d = data(c, "config");
                                applyRateLimits(d.path("rateLimits"));
                                positionRows = ColumnRows.fromConfig(d, "positionsConfig", ColumnRows.POSITION_COLUMNS);
                                orderRows = ColumnRows.fromConfig(d, "ordersConfig", ColumnRows.ORDER_COLUMNS);
                                historyRows = ColumnRows.fromConfig(d, "ordersHistoryConfig", ColumnRows.ORDER_COLUMNS);
                                return new Session(t.accessToken, t.refreshToken, t.expiresAtMillis, accountId, accNum);
                            });
                });
    }

    private JsonNode pickAccount(JsonNode accounts) {
        if (!accounts.isArray() || accounts.isEmpty()) {
            throw new BrokerException(Kind.AUTH, "tradelocker login has no trading accounts");
        }
        for (JsonNode a : accounts) {
            if (credentials.accountId() == null || credentials.accountId().equals(a.path("id").asText())) {
                return a;
            }
        }
        throw new BrokerException(Kind.AUTH, "tradelocker account " + credentials.accountId() + " not found for this login");
    }

    /** TradeLocker announces its limits per route type: PLACE_ORDER, GET_POSITIONS, ... */
    private void applyRateLimits(JsonNode rateLimits) {
        for (JsonNode limit : rateLimits) {
            long unit = "MINUTES".equals(limit.path("measure").asText()) ? 60_000 : 1_000;
            long window = Math.max(1, limit.path("intervalNum").asLong(1)) * unit;
            int count = limit.path("limit").asInt(0);
            String type = limit.path("rateLimitType").asText();
            if (count > 0 && !type.isEmpty()) {
                limiters.put(type, new RateLimiter(count, window));
            }
        }
    }

    /** The limiter the broker announced for a route type (tests read it to prove the limits were applied). */
    public RateLimiter limiterFor(String routeType) {
        return limiters.getOrDefault(routeType, limiters.get(DEFAULT_ROUTE));
    }

    // ---- calls ----

    private <T> CompletableFuture<T> guarded(String route, java.util.function.Supplier<CompletableFuture<T>> call) {
        return guard.call(limiterFor(route), call);
    }

    /** Orders, closes, cancels and modifies: counted apart from reads by the circuit breaker. */
    private <T> CompletableFuture<T> guardedWrite(String route, java.util.function.Supplier<CompletableFuture<T>> call) {
        return guard.call(limiterFor(route), true, call);
    }

    /** An authenticated /trade call; a 401 renews the session and repeats the call once (the broker did not act). */
    private CompletableFuture<JsonNode> trade(String route, String method, String path, Object body) {
        return session().thenCompose(s -> tradeOnce(route, method, path, body, s)
                .exceptionallyCompose(failure -> {
                    BrokerException e = BrokerException.of(failure);
                    if (e.kind() != Kind.AUTH) {
                        return CompletableFuture.failedFuture(e);
                    }
                    dropSession(s);
                    return session().thenCompose(fresh -> tradeOnce(route, method, path, body, fresh));
                }));
    }

    private CompletableFuture<JsonNode> tradeOnce(String route, String method, String path, Object body, Session s) {
        String resolved = path.replace("{accountId}", s.accountId);
        java.util.function.Supplier<CompletableFuture<JsonResponse>> send = () -> {
            HttpRequest request = http.request(uri(resolved), method, body, settings.requestTimeout())
                    .header("Authorization", "Bearer " + s.accessToken)
                    .header("accNum", s.accNum)
                    .build();
            return http.send(request);
        };
        return ("GET".equals(method) ? guarded(route, send) : guardedWrite(route, send))
                .thenApply(r -> data(r, method + " " + resolved));
    }

    /** The {@code d} of {@code {"s":"ok","d":{...}}}; an error answer is a business rejection. */
    private static JsonNode data(JsonResponse r, String what) {
        JsonNode b = r.body();
        if (!r.isSuccess() || "error".equals(b.path("s").asText())) {
            String message = b.path("errmsg").asText(b.path("message").asText("status " + r.status()));
            throw new BrokerException(Kind.REJECTED, "tradelocker " + what + " rejected: " + message);
        }
        return b.path("d");
    }

    private URI uri(String path) {
        return URI.create(credentials.baseUrl().toString() + path);
    }

    // ---- instruments ----

    private CompletableFuture<Instrument> instrument(String symbol) {
        Instrument cached = instruments.get(symbol);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return trade("GET_INSTRUMENTS", "GET", "/trade/accounts/{accountId}/instruments", null).thenApply(d -> {
            for (JsonNode i : d.path("instruments")) {
                String tradeRoute = "";
                for (JsonNode route : i.path("routes")) {
                    if ("TRADE".equals(route.path("type").asText())) {
                        tradeRoute = route.path("id").asText();
                    }
                }
                String name = i.path("name").asText().toUpperCase(Locale.ROOT);
                long id = i.path("tradableInstrumentId").asLong();
                instruments.put(name, new Instrument(id, tradeRoute));
                symbolsById.put(Long.toString(id), name);
            }
            Instrument found = instruments.get(symbol);
            if (found == null) {
                throw new BrokerException(Kind.REJECTED, "tradelocker has no instrument " + symbol);
            }
            return found;
        });
    }

    /**
     * {@code GET /trade/instruments/{tradableInstrumentId}?routeId=}: the field names are not
     * documented for sure, so the usual spellings are accepted ({@code lotSize}/{@code contractSize},
     * {@code lotStep}/{@code qtyStep}, {@code minOrderSize}/{@code minLot}, {@code maxOrderSize}/
     * {@code maxLot}, {@code tickSize} and {@code tickCost}/{@code tickValue} as a number or as a
     * list of price ranges, the first range taken); tick cost is taken as per lot in the account's currency.
     */
    @Override
    public CompletableFuture<io.tradeflow.config.InstrumentSpec> instrumentSpec(String symbol) {
        return instrument(symbol).thenCompose(i -> trade("GET_INSTRUMENT_DETAILS", "GET", "/trade/instruments/"
                + i.tradableInstrumentId + "?routeId=" + i.tradeRouteId, null).thenApply(d -> {
                    double contract = first(d, "lotSize", "contractSize");
                    double tick = first(d, "tickSize", "tick");
                    double tickValue = first(d, "tickCost", "tickValue");
                    double step = first(d, "lotStep", "qtyStep", "quantityStep");
                    double min = first(d, "minOrderSize", "minLot", "minQty");
                    double max = first(d, "maxOrderSize", "maxLot", "maxQty");
                    if (!(tick > 0) || !(tickValue > 0) || !(step > 0)) {
                        throw new BrokerException(Kind.REJECTED, "tradelocker instrument details for " + symbol
                                + " lack a tick size, tick cost or lot step");
                    }
                    return new io.tradeflow.config.InstrumentSpec(symbol, contract > 0 ? contract : 1, tick, tick, tickValue,
                            step, min > 0 ? min : step, max > 0 ? max : Double.MAX_VALUE);
                }));
    }

    /** The first of the fields present, read as a number or as the first range of a list of ranges. */
    private static double first(JsonNode d, String... names) {
        for (String name : names) {
            JsonNode v = d.path(name);
            if (v.isArray() && !v.isEmpty()) {
                JsonNode range = v.get(0);
                v = range.isObject() ? range.path(name) : range;
            }
            if (v.isNumber() || v.isTextual() && !v.asText().isBlank()) {
                try {
                    return Double.parseDouble(v.asText());
                } catch (NumberFormatException ignored) {
                    // try the next spelling
                }
            }
        }
        return 0;
    }

    // ---- orders ----

    /**
     * A market order first reduces open positions facing the other way (closing them through
     * {@code DELETE /trade/positions/{id}}, which reduces on hedging and netting accounts alike);
     * only the rest is placed as a new, tagged order. Limit and stop orders are placed as they are.
     */
    @Override
    public CompletableFuture<OrderResult> placeOrder(OrderCommand c) {
        if (c.reduceOnly()) {
            return closeOnly(c);
        }
        if (c.type() != OrderType.MARKET) {
            return instrument(c.symbol()).thenCompose(instrument -> placeNew(c, instrument));
        }
        return instrument(c.symbol()).thenCompose(instrument -> positions().thenCompose(open -> {
            List<BrokerPosition> opposite = new ArrayList<>();
            for (BrokerPosition p : open) {
                if (p.symbol().equals(c.symbol()) && Math.signum(p.quantity()) == -c.side().sign()) {
                    opposite.add(p);
                }
            }
            return reduce(opposite, 0, c.quantity(), new OrderResult("", true, 0, 0, false)).thenCompose(closed -> {
                double rest = c.quantity() - closed.filledQuantity();
                if (rest <= QUANTITY_DUST) {
                    return CompletableFuture.completedFuture(closed);
                }
                OrderCommand remainder = new OrderCommand(c.routerOrderId(), c.clientTag(), c.symbol(), c.side(), c.type(),
                        rest, c.limitPrice(), c.stopPrice(), c.stopLoss(), c.takeProfit(), c.referencePrice());
                return placeNew(remainder, instrument).thenApply(opened -> combine(closed, opened));
            });
        }));
    }

    private static final double QUANTITY_DUST = 1e-9;

    /**
     * An exit: closes up to the quantity from the positions held the other way through
     * {@code DELETE /trade/positions/{id}} (with {@code qty} for a partial close) and never opens
     * anything, whatever the router's book says.
     */
    private CompletableFuture<OrderResult> closeOnly(OrderCommand c) {
        return instrument(c.symbol()).thenCompose(instrument -> positions().thenCompose(open -> {
            List<BrokerPosition> held = new ArrayList<>();
            for (BrokerPosition p : open) {
                if (p.symbol().equals(c.symbol()) && Math.signum(p.quantity()) == -c.side().sign()) {
                    held.add(p);
                }
            }
            if (held.isEmpty()) {
                return CompletableFuture.failedFuture(new BrokerException(Kind.REJECTED, "tradelocker holds no "
                        + (c.side() == io.tradeflow.core.event.Side.SELL ? "long " : "short ") + c.symbol() + " position to close"));
            }
            return reduce(held, 0, c.quantity(), new OrderResult("", true, 0, 0, false));
        }));
    }

    /** Sets the position's stop loss and take profit through {@code PATCH /trade/positions/{id}} (null removes one). */
    @Override
    public boolean supportsModify() {
        return true;
    }

    @Override
    public CompletableFuture<Void> modifyProtection(String symbol, double stopLoss, double takeProfit) {
        return instrument(symbol).thenCompose(instrument -> positions().thenCompose(list -> {
            List<CompletableFuture<JsonNode>> patches = new ArrayList<>();
            for (BrokerPosition p : list) {
                if (p.symbol().equals(symbol)) {
                    ObjectNode body = http.mapper().createObjectNode();
                    if (stopLoss > 0) {
                        body.put("stopLoss", stopLoss);
                    } else {
                        body.putNull("stopLoss");
                    }
                    if (takeProfit > 0) {
                        body.put("takeProfit", takeProfit);
                    } else {
                        body.putNull("takeProfit");
                    }
                    patches.add(trade("MODIFY_POSITION", "PATCH", "/trade/positions/" + p.positionId(), body));
                }
            }
            if (patches.isEmpty()) {
                return CompletableFuture.failedFuture(
                        new BrokerException(Kind.REJECTED, "tradelocker has no open " + symbol + " position"));
            }
            return CompletableFuture.allOf(patches.toArray(new CompletableFuture<?>[0]));
        }));
    }

    /** Closes up to {@code wanted} from the opposite positions, one after the other; accumulates the fills. */
    private CompletableFuture<OrderResult> reduce(List<BrokerPosition> opposite, int i, double wanted, OrderResult soFar) {
        if (i >= opposite.size() || wanted <= QUANTITY_DUST) {
            return CompletableFuture.completedFuture(soFar);
        }
        BrokerPosition p = opposite.get(i);
        double size = Math.abs(p.quantity());
        double closing = Math.min(size, wanted);
        ObjectNode body = http.mapper().createObjectNode().put("qty", closing >= size ? 0 : closing);
        return trade("CLOSE_POSITION", "DELETE", "/trade/positions/" + p.positionId(), body)
                .thenApply(d -> (Object) d)
                .exceptionallyCompose(failure -> closedAnyway(failure, p, size - closing))
                .thenCompose(d -> closingFill(p.positionId(), closing))
                .thenCompose(fill -> reduce(opposite, i + 1, wanted - closing, combine(soFar, fill)));
    }

    /**
     * A close whose answer proved nothing (5xx, timeout, reset) may have been carried out: the
     * position is read again, and if it is down to what the close leaves, the close counts as done.
     * Otherwise the failure stands (the close is not sent again: an exit only reduces, so the trader
     * can send it again safely).
     */
    private CompletableFuture<Object> closedAnyway(Throwable failure, BrokerPosition p, double leaves) {
        BrokerException e = BrokerException.of(failure);
        if (!e.mayHaveActed()) {
            return CompletableFuture.failedFuture(e);
        }
        return listPositions().thenApply(now -> {
            double left = 0;
            for (BrokerPosition q : now) {
                if (q.positionId().equals(p.positionId())) {
                    left = Math.abs(q.quantity());
                }
            }
            if (left <= leaves + QUANTITY_DUST) {
                return (Object) "closed";
            }
            throw new BrokerException(Kind.BAD_ANSWER, "tradelocker close of position " + p.positionId()
                    + " answered without proof (" + e.getMessage() + ") and the position is still open; not sent again", e);
        });
    }

    /** The fill of the order the broker created to close (part of) a position: its newest filled history row. */
    private CompletableFuture<OrderResult> closingFill(String positionId, double closing) {
        return trade("GET_ORDERS_HISTORY", "GET", "/trade/accounts/{accountId}/ordersHistory", null).thenApply(d -> {
            ColumnRows rows = historyRows;
            JsonNode newest = null;
            for (JsonNode row : d.path("ordersHistory")) {
                if (positionId.equals(rows.text(row, "positionId")) && "filled".equalsIgnoreCase(rows.text(row, "status"))
                        && (newest == null || rows.number(row, "id") > rows.number(newest, "id"))) {
                    newest = row;
                }
            }
            double price = newest == null ? 0 : rows.number(newest, "avgPrice");
            return new OrderResult(newest == null ? "" : rows.text(newest, "id"), true, closing, price, false);
        });
    }

    /** Two fills of one router order as one: quantities add, the price is their weighted average. */
    private static OrderResult combine(OrderResult a, OrderResult b) {
        double quantity = a.filledQuantity() + b.filledQuantity();
        double price = quantity <= 0 ? 0 : (a.fillPrice() * a.filledQuantity() + b.fillPrice() * b.filledQuantity()) / quantity;
        String id = b.brokerOrderId().isEmpty() ? a.brokerOrderId() : b.brokerOrderId();
        return new OrderResult(id, a.filled() && b.filled(), quantity, price, a.reconciled() || b.reconciled());
    }

    /**
     * Places a tagged order. An answer that does not prove a refusal (timeout, reset, 5xx, unreadable
     * or incomplete body) may hide an accepted order: it is looked up by its tag over the re-check
     * window and never sent again (see {@link OrderOutcomeUnknown}).
     */
    private CompletableFuture<OrderResult> placeNew(OrderCommand c, Instrument instrument) {
        ObjectNode body = orderBody(c, instrument);
        return trade("PLACE_ORDER", "POST", "/trade/accounts/{accountId}/orders", body)
                .thenCompose(d -> {
                    String orderId = d.path("orderId").asText("");
                    if (orderId.isEmpty()) {
                        throw new BrokerException(Kind.BAD_ANSWER, "tradelocker place-order answer has no orderId");
                    }
                    return fillOf(orderId, false);
                })
                .exceptionallyCompose(failure -> {
                    BrokerException e = BrokerException.of(failure);
                    if (!e.mayHaveActed()) {
                        return CompletableFuture.failedFuture(e);
                    }
                    return OrderOutcomeUnknown.recheck("tradelocker", c.clientTag(), e, this::findByTag,
                            settings.outcomeRecheckWindow().toMillis(), executor);
                });
    }

    private ObjectNode orderBody(OrderCommand c, Instrument instrument) {
        ObjectNode body = http.mapper().createObjectNode()
                .put("qty", c.quantity())
                .put("routeId", instrument.tradeRouteId)
                .put("side", c.side().wireName())
                .put("validity", c.type() == OrderType.MARKET ? "IOC" : "GTC")
                .put("type", c.type().wireName())
                .put("tradableInstrumentId", instrument.tradableInstrumentId)
                .put("strategyId", c.clientTag());
        if (c.type() == OrderType.LIMIT) {
            body.put("price", c.limitPrice());
        } else if (c.type() == OrderType.STOP) {
            body.put("stopPrice", c.stopPrice());
        }
        protection(body, "stopLoss", c.stopLoss(), true);
        protection(body, "takeProfit", c.takeProfit(), false);
        return body;
    }

    /** Absolute prices go as {@code absolute}; distances as {@code offset}; a trailing stop as {@code trailingOffset}. */
    private static void protection(ObjectNode body, String name, Protection p, boolean isStop) {
        if (!p.isSet()) {
            return;
        }
        String type;
        if (p.mode() == StopMode.PRICE) {
            type = "absolute";
        } else if (p.mode() == StopMode.TRAIL && isStop) {
            type = "trailingOffset";
        } else if (p.mode() == StopMode.PIPS || p.mode() == StopMode.TICKS) {
            type = "offset";
        } else {
            throw new BrokerException(Kind.REJECTED, "tradelocker cannot express " + name + " mode " + p.mode().wireName());
        }
        body.put(name, p.value()).put(name + "Type", type);
    }

    /** Reads the order back to learn its fill (market orders fill at once; limits and stops keep working). */
    private CompletableFuture<OrderResult> fillOf(String orderId, boolean reconciled) {
        return orders("GET_ORDERS_HISTORY", "/trade/accounts/{accountId}/ordersHistory", true)
                .thenCompose(history -> {
                    for (BrokerOrder o : history) {
                        if (o.brokerOrderId().equals(orderId)) {
                            return CompletableFuture.completedFuture(result(o, reconciled));
                        }
                    }
                    return CompletableFuture.completedFuture(new OrderResult(orderId, false, 0, 0, reconciled));
                });
    }

    private static OrderResult result(BrokerOrder o, boolean reconciled) {
        return new OrderResult(o.brokerOrderId(), o.isFilled(), o.filledQuantity(), o.averageFillPrice(), reconciled);
    }

    /** The order carrying this client tag, in working orders or history, or null. */
    @Override
    public CompletableFuture<BrokerOrder> orderByTag(String clientTag) {
        return findByTag(clientTag);
    }

    CompletableFuture<BrokerOrder> findByTag(String tag) {
        return orders("GET_ORDERS", "/trade/accounts/{accountId}/orders", false)
                .thenCombine(orders("GET_ORDERS_HISTORY", "/trade/accounts/{accountId}/ordersHistory", true), (open, done) -> {
                    for (BrokerOrder o : done) {
                        if (tag.equals(o.clientTag())) {
                            return o;
                        }
                    }
                    for (BrokerOrder o : open) {
                        if (tag.equals(o.clientTag())) {
                            return o;
                        }
                    }
                    return null;
                });
    }

    private CompletableFuture<List<BrokerOrder>> orders(String route, String path, boolean history) {
        return trade(route, "GET", path, null).thenApply(d -> {
            ColumnRows rows = history ? historyRows : orderRows;
            List<BrokerOrder> list = new ArrayList<>();
            for (JsonNode row : d.path(history ? "ordersHistory" : "orders")) {
                list.add(new BrokerOrder(rows.text(row, "id"), symbolsById.getOrDefault(rows.text(row, "tradableInstrumentId"),
                        rows.text(row, "tradableInstrumentId")), rows.text(row, "strategyId"),
                        rows.text(row, "status").toLowerCase(Locale.ROOT), rows.number(row, "qty"),
                        rows.number(row, "filledQty"), rows.number(row, "avgPrice"),
                        rows.text(row, "side").toLowerCase(Locale.ROOT)));
            }
            return list;
        });
    }

    @Override
    public CompletableFuture<BrokerOrder> order(String brokerOrderId) {
        return orders("GET_ORDERS", "/trade/accounts/{accountId}/orders", false)
                .thenCombine(orders("GET_ORDERS_HISTORY", "/trade/accounts/{accountId}/ordersHistory", true), (open, done) -> {
                    for (BrokerOrder o : done) {
                        if (o.brokerOrderId().equals(brokerOrderId)) {
                            return o;
                        }
                    }
                    for (BrokerOrder o : open) {
                        if (o.brokerOrderId().equals(brokerOrderId)) {
                            return o;
                        }
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> cancelOrder(String brokerOrderId) {
        return trade("CANCEL_ORDER", "DELETE", "/trade/orders/" + brokerOrderId, null).thenApply(d -> null);
    }

    @Override
    public CompletableFuture<Void> closePosition(String symbol, double quantity) {
        return instrument(symbol).thenCompose(instrument -> positions().thenCompose(list -> {
            for (BrokerPosition p : list) {
                if (p.symbol().equals(symbol)) {
                    ObjectNode body = http.mapper().createObjectNode().put("qty", quantity);
                    return trade("CLOSE_POSITION", "DELETE", "/trade/positions/" + p.positionId(), body).thenApply(d -> null);
                }
            }
            return CompletableFuture.failedFuture(new BrokerException(Kind.REJECTED, "tradelocker has no open " + symbol + " position"));
        }));
    }

    @Override
    public CompletableFuture<List<BrokerPosition>> positions() {
        // Positions name instruments by id: load the names first so a position opened outside the
        // router still shows (and closes) by its symbol.
        if (symbolsById.isEmpty()) {
            return instrument("").handle((i, ignored) -> null).thenCompose(ignored -> listPositions());
        }
        return listPositions();
    }

    private CompletableFuture<List<BrokerPosition>> listPositions() {
        return trade("GET_POSITIONS", "GET", "/trade/accounts/{accountId}/positions", null).thenApply(d -> {
            ColumnRows rows = positionRows;
            List<BrokerPosition> list = new ArrayList<>();
            for (JsonNode row : d.path("positions")) {
                double qty = rows.number(row, "qty");
                String instrumentId = rows.text(row, "tradableInstrumentId");
                list.add(new BrokerPosition(rows.text(row, "id"), symbolsById.getOrDefault(instrumentId, instrumentId),
                        "sell".equalsIgnoreCase(rows.text(row, "side")) ? -qty : qty, rows.number(row, "avgPrice")));
            }
            return list;
        });
    }

    @Override
    public CompletableFuture<List<BrokerOrder>> openOrders() {
        return orders("GET_ORDERS", "/trade/accounts/{accountId}/orders", false);
    }

    /** Balance as all-accounts reports it (the docs spell the key both {@code accountBalance} and {@code aaccountBalance}). */
    @Override
    public CompletableFuture<AccountSnapshot> accountState() {
        return session().thenCompose(s -> guarded(DEFAULT_ROUTE, () -> http.send(http.request(uri("/auth/jwt/all-accounts"),
                "GET", null, settings.requestTimeout()).header("Authorization", "Bearer " + s.accessToken).build()))
                .thenApply(r -> {
                    for (JsonNode a : r.body().path("accounts")) {
                        if (a.path("id").asText().equals(s.accountId)) {
                            String balance = a.hasNonNull("accountBalance") ? a.get("accountBalance").asText()
                                    : a.path("aaccountBalance").asText("0");
                            double value = Double.parseDouble(balance);
                            return new AccountSnapshot(s.accountId, a.path("currency").asText(), value, value);
                        }
                    }
                    throw new BrokerException(Kind.REJECTED, "tradelocker account " + s.accountId + " no longer listed");
                }));
    }

    @Override
    public void close() {
        session = null;
    }
}
