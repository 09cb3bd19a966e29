package io.tradeflow.broker.projectx;

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
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ProjectX Gateway (TopstepX) account (BROKERS.md): every call is a JSON POST answered with
 * {@code success/errorCode/errorMessage}. Tokens last 24 h and are renewed through
 * {@code /api/Auth/validate} after 23 h; a 401 logs in again and repeats the call once. Calls share
 * the documented 200 requests / 60 s limit. TradingView continuous symbols ({@code NQ1!}) are
 * resolved to the active contract and cached. Every order carries its client tag as
 * {@code customTag}.
 */
public final class ProjectXConnector implements BrokerConnector {
    static final long RENEW_AFTER_MILLIS = 23 * 3_600_000L;
    private static final Pattern CONTINUOUS = Pattern.compile("^([A-Z0-9]+?)\\d*!$");
    private static final long RECONCILE_LOOKBACK_MILLIS = 24 * 3_600_000L;

    private final ProjectXCredentials credentials;
    private final JsonHttp http;
    private final ConnectorSettings settings;
    private final LongSupplier clock;
    private final CallGuard guard;
    private final Executor executor;
    private final RateLimiter limiter = new RateLimiter(200, 60_000);
    private final Map<String, Contract> contracts = new ConcurrentHashMap<>();
    private final Map<String, String> symbolsByContract = new ConcurrentHashMap<>();
    private volatile Session session;
    private CompletableFuture<Session> pendingSession;

    private record Session(String token, long issuedAtMillis, long accountId) {
    }

    private record Contract(String id, double tickSize, double tickValue) {
    }

    public ProjectXConnector(ProjectXCredentials credentials, JsonHttp http, ConnectorSettings settings,
                             LongSupplier clock, Executor executor) {
        this.credentials = credentials;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
        this.executor = executor;
        this.guard = new CallGuard("projectx", new CircuitBreaker(settings.circuitFailureThreshold(),
                settings.circuitOpenFor().toMillis(), clock), clock, executor);
    }

    @Override
    public BrokerKind kind() {
        return BrokerKind.PROJECTX;
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

    private synchronized CompletableFuture<Session> session() {
        Session s = session;
        if (s != null && clock.getAsLong() - s.issuedAtMillis < RENEW_AFTER_MILLIS) {
            return CompletableFuture.completedFuture(s);
        }
        if (pendingSession != null && !pendingSession.isDone()) {
            return pendingSession;
        }
        CompletableFuture<Session> next = s == null ? login() : validate(s).exceptionallyCompose(failure -> login());
        pendingSession = next.thenApply(fresh -> {
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

    private CompletableFuture<Session> login() {
        ObjectNode body = http.mapper().createObjectNode().put("userName", credentials.userName())
                .put("apiKey", credentials.apiKey());
        long now = clock.getAsLong();
        return post("/api/Auth/loginKey", body, null).thenCompose(r -> {
            JsonNode b = r.body();
            if (!b.path("success").asBoolean(false) || !b.hasNonNull("token")) {
                return CompletableFuture.failedFuture(new BrokerException(Kind.AUTH, "projectx login refused: "
                        + ProjectXCodes.loginError(b.path("errorCode").asInt(8))));
            }
            String token = b.get("token").asText();
            return post("/api/Account/search", http.mapper().createObjectNode().put("onlyActiveAccounts", true), token)
                    .thenApply(a -> new Session(token, now, pickAccount(ok(a, "account search").path("accounts"))));
        });
    }

    private CompletableFuture<Session> validate(Session s) {
        long now = clock.getAsLong();
        return post("/api/Auth/validate", null, s.token).thenApply(r -> {
            JsonNode b = ok(r, "token validation");
            String token = b.hasNonNull("newToken") ? b.get("newToken").asText() : s.token;
            return new Session(token, now, s.accountId);
        });
    }

    private long pickAccount(JsonNode accounts) {
        for (JsonNode a : accounts) {
            boolean wanted = credentials.accountId() == null ? a.path("canTrade").asBoolean(true)
                    : credentials.accountId() == a.path("id").asLong();
            if (wanted) {
                return a.path("id").asLong();
            }
        }
        throw new BrokerException(Kind.AUTH, credentials.accountId() == null ? "projectx login has no tradable account"
                : "projectx account " + credentials.accountId() + " not found for this login");
    }

    // ---- calls ----

    private CompletableFuture<JsonResponse> post(String path, Object body, String token) {
        return post(path, body, token, false);
    }

    private CompletableFuture<JsonResponse> post(String path, Object body, String token, boolean write) {
        return guard.call(limiter, write, () -> {
            var request = http.request(URI.create(credentials.baseUrl() + path), "POST",
                    body == null ? http.mapper().createObjectNode() : body, settings.requestTimeout());
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return http.send(request.build());
        });
    }

    /** An authenticated call with the account id in the body; a 401 renews the session and repeats once. */
    private CompletableFuture<JsonNode> call(String path, Function<Long, ObjectNode> body, String what) {
        return call(path, body, what, false);
    }

    /** An order, close, cancel or modify: counted apart from reads by the circuit breaker. */
    private CompletableFuture<JsonNode> write(String path, Function<Long, ObjectNode> body, String what) {
        return call(path, body, what, true);
    }

    private CompletableFuture<JsonNode> call(String path, Function<Long, ObjectNode> body, String what, boolean write) {
        return session().thenCompose(s -> post(path, body.apply(s.accountId), s.token, write)
                .exceptionallyCompose(failure -> {
                    BrokerException e = BrokerException.of(failure);
                    if (e.kind() != Kind.AUTH) {
                        return CompletableFuture.failedFuture(e);
                    }
                    dropSession(s);
                    return session().thenCompose(fresh -> post(path, body.apply(fresh.accountId), fresh.token, write));
                }))
                .thenApply(r -> ok(r, what));
    }

    private static JsonNode ok(JsonResponse r, String what) {
        JsonNode b = r.body();
        if (!r.isSuccess() || !b.path("success").asBoolean(false)) {
            int code = b.path("errorCode").asInt();
            String name = "order".equals(what) ? ProjectXCodes.placeError(code) : "errorCode " + code;
            String message = b.path("errorMessage").asText("");
            throw new BrokerException(Kind.REJECTED, "projectx " + what + " rejected: " + name
                    + (message.isEmpty() ? "" : " (" + message + ")"));
        }
        return b;
    }

    private ObjectNode account(long accountId) {
        return http.mapper().createObjectNode().put("accountId", accountId);
    }

    // ---- contracts ----

    /** {@code NQ1!} → root {@code NQ}; other symbols are searched as they are. */
    static String searchRoot(String symbol) {
        Matcher m = CONTINUOUS.matcher(symbol);
        return m.matches() ? m.group(1) : symbol;
    }

    private CompletableFuture<Contract> contract(String symbol) {
        Contract cached = contracts.get(symbol);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        String root = searchRoot(symbol);
        return call("/api/Contract/search", id -> http.mapper().createObjectNode().put("searchText", root).put("live", false),
                "contract search").thenApply(b -> {
                    JsonNode chosen = null;
                    for (JsonNode c : b.path("contracts")) {
                        String name = c.path("name").asText().toUpperCase(Locale.ROOT);
                        boolean sameRoot = name.equals(root) || name.startsWith(root) && name.length() <= root.length() + 3
                                && Character.isLetter(name.charAt(root.length()));
                        if (c.path("activeContract").asBoolean(false) && sameRoot) {
                            chosen = c;
                            break;
                        }
                    }
                    if (chosen == null) {
                        throw new BrokerException(Kind.REJECTED, "projectx has no active contract for " + symbol);
                    }
                    Contract contract = new Contract(chosen.path("id").asText(), chosen.path("tickSize").asDouble(0),
                            chosen.path("tickValue").asDouble(0));
                    contracts.put(symbol, contract);
                    symbolsByContract.put(contract.id, symbol);
                    return contract;
                });
    }

    /** A futures contract as Contract/search describes it: whole contracts, tick size and tick value per contract. */
    @Override
    public CompletableFuture<io.tradeflow.config.InstrumentSpec> instrumentSpec(String symbol) {
        return contract(symbol).thenApply(c -> {
            if (!(c.tickSize > 0) || !(c.tickValue > 0)) {
                throw new BrokerException(Kind.REJECTED, "projectx contract " + c.id + " has no tick size or tick value");
            }
            return new io.tradeflow.config.InstrumentSpec(symbol, c.tickValue / c.tickSize, c.tickSize, c.tickSize,
                    c.tickValue, 1, 1, MAX_CONTRACTS);
        });
    }

    static final double MAX_CONTRACTS = 10_000;

    // ---- orders ----

    /**
     * Places a tagged order. An answer that does not prove a refusal (timeout, reset, 5xx, unreadable
     * or incomplete body) may hide an accepted order: it is looked up by its customTag over the
     * re-check window and never sent again (see {@link OrderOutcomeUnknown}).
     */
    @Override
    public CompletableFuture<OrderResult> placeOrder(OrderCommand c) {
        if (c.reduceOnly()) {
            return closeOnly(c);
        }
        return contract(c.symbol()).thenCompose(contract -> {
            Function<Long, ObjectNode> body = accountId -> orderBody(accountId, c, contract);
            return write("/api/Order/place", body, "order").thenCompose(b -> {
                        if (!b.path("orderId").canConvertToLong() || b.path("orderId").asLong() <= 0) {
                            throw new BrokerException(Kind.BAD_ANSWER, "projectx place-order answer has no orderId");
                        }
                        return fillOf(b.path("orderId").asLong(), false);
                    })
                    .exceptionallyCompose(failure -> {
                        BrokerException e = BrokerException.of(failure);
                        if (!e.mayHaveActed()) {
                            return CompletableFuture.failedFuture(e);
                        }
                        return OrderOutcomeUnknown.recheck("projectx", c.clientTag(), e, this::findByTag,
                                settings.outcomeRecheckWindow().toMillis(), executor);
                    });
        });
    }

    /**
     * An exit: {@code /api/Position/closeContract} when it closes the whole position,
     * {@code partialCloseContract} for part of it; never more than the broker holds the other way,
     * so it cannot open a position. The fill price is the close's order in Order/search when the
     * gateway lists one, else the alert's reference price.
     */
    private CompletableFuture<OrderResult> closeOnly(OrderCommand c) {
        return contract(c.symbol()).thenCompose(contract -> call("/api/Position/searchOpen", this::account, "position search")
                .thenCompose(b -> {
                    double held = 0;
                    for (JsonNode p : b.path("positions")) {
                        if (contract.id.equals(p.path("contractId").asText())) {
                            double size = p.path("size").asDouble();
                            held += p.path("type").asInt() == ProjectXCodes.POSITION_LONG ? size : -size;
                        }
                    }
                    if (held == 0 || Math.signum(held) != -c.side().sign()) {
                        return CompletableFuture.failedFuture(new BrokerException(Kind.REJECTED, "projectx holds no "
                                + (c.side() == Side.SELL ? "long " : "short ") + c.symbol() + " position to close"));
                    }
                    int closing = contractSize(Math.min(Math.abs(held), c.quantity()));
                    long since = clock.getAsLong() - 60_000;
                    CompletableFuture<JsonNode> closed = closing >= Math.abs(held)
                            ? write("/api/Position/closeContract", id -> account(id).put("contractId", contract.id), "close")
                            : write("/api/Position/partialCloseContract", id -> account(id).put("contractId", contract.id)
                                    .put("size", closing), "partial close");
                    double leaves = Math.abs(held) - closing;
                    return closed.thenApply(answer -> (Object) answer)
                            .exceptionallyCompose(failure -> closedAnyway(failure, contract, leaves))
                            .thenCompose(ignored -> closingPrice(contract.id, c, since))
                            .thenApply(fill -> new OrderResult(fill.brokerOrderId(), true, closing,
                                    fill.averageFillPrice() > 0 ? fill.averageFillPrice() : c.referencePrice(), false));
                }));
    }

    /**
     * A close whose answer proved nothing (5xx, timeout, reset) may have been carried out: the
     * position is read again, and if it is down to what the close leaves, the close counts as done;
     * otherwise the failure stands and nothing is sent again.
     */
    private CompletableFuture<Object> closedAnyway(Throwable failure, Contract contract, double leaves) {
        BrokerException e = BrokerException.of(failure);
        if (!e.mayHaveActed()) {
            return CompletableFuture.failedFuture(e);
        }
        return call("/api/Position/searchOpen", this::account, "position search").thenApply(b -> {
            double left = 0;
            for (JsonNode p : b.path("positions")) {
                if (contract.id.equals(p.path("contractId").asText())) {
                    left += Math.abs(p.path("size").asDouble());
                }
            }
            if (left <= leaves) {
                return (Object) "closed";
            }
            throw new BrokerException(Kind.BAD_ANSWER, "projectx close of " + contract.id + " answered without proof ("
                    + e.getMessage() + ") and the position is still open; not sent again", e);
        });
    }

    /** The newest untagged filled order on the contract in the closing direction since {@code since}, or an empty one. */
    private CompletableFuture<BrokerOrder> closingPrice(String contractId, OrderCommand c, long since) {
        String symbol = symbolsByContract.getOrDefault(contractId, contractId);
        return searchOrders(since).thenApply(orders -> {
            BrokerOrder newest = null;
            for (BrokerOrder o : orders) {
                if (o.symbol().equals(symbol) && o.isFilled() && o.clientTag().isEmpty()
                        && c.side().wireName().equals(o.side())) {
                    newest = o;
                }
            }
            return newest != null ? newest : new BrokerOrder("", symbol, "", "filled", 0, 0, 0);
        }).exceptionally(failure -> new BrokerOrder("", symbol, "", "filled", 0, 0, 0));
    }

    /**
     * Moves the position's protective orders (ProjectX keeps a bracket's stop loss and take profit
     * as working stop and limit orders on the other side) through {@code /api/Order/modify}; one
     * missing is placed, one set to 0 is cancelled.
     */
    @Override
    public boolean supportsModify() {
        return true;
    }

    @Override
    public CompletableFuture<Void> modifyProtection(String symbol, double stopLoss, double takeProfit) {
        return contract(symbol).thenCompose(contract -> call("/api/Position/searchOpen", this::account, "position search")
                .thenCombine(call("/api/Order/searchOpen", this::account, "open order search"), (positions, open) -> {
                    double held = 0;
                    for (JsonNode p : positions.path("positions")) {
                        if (contract.id.equals(p.path("contractId").asText())) {
                            double size = p.path("size").asDouble();
                            held += p.path("type").asInt() == ProjectXCodes.POSITION_LONG ? size : -size;
                        }
                    }
                    if (held == 0) {
                        throw new BrokerException(Kind.REJECTED, "projectx has no open " + symbol + " position");
                    }
                    int exitSide = held > 0 ? ProjectXCodes.SIDE_SELL : ProjectXCodes.SIDE_BUY;
                    JsonNode stopOrder = null;
                    JsonNode limitOrder = null;
                    for (JsonNode o : open.path("orders")) {
                        if (contract.id.equals(o.path("contractId").asText()) && o.path("side").asInt() == exitSide) {
                            if (o.path("type").asInt() == ProjectXCodes.TYPE_STOP) {
                                stopOrder = o;
                            } else if (o.path("type").asInt() == ProjectXCodes.TYPE_LIMIT) {
                                limitOrder = o;
                            }
                        }
                    }
                    int size = contractSize(Math.abs(held));
                    return CompletableFuture.allOf(
                            protect(contract, stopOrder, stopLoss, ProjectXCodes.TYPE_STOP, "stopPrice", exitSide, size),
                            protect(contract, limitOrder, takeProfit, ProjectXCodes.TYPE_LIMIT, "limitPrice", exitSide, size));
                }).thenCompose(f -> f));
    }

    private CompletableFuture<Void> protect(Contract contract, JsonNode existing, double price, int type, String priceField,
                                            int side, int size) {
        if (existing == null && price <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (existing == null) {
            return write("/api/Order/place", id -> account(id).put("contractId", contract.id).put("type", type)
                    .put("side", side).put("size", size).put(priceField, price), "order").thenApply(b -> null);
        }
        long orderId = existing.path("id").asLong();
        if (price <= 0) {
            return write("/api/Order/cancel", id -> account(id).put("orderId", orderId), "cancel").thenApply(b -> null);
        }
        return write("/api/Order/modify", id -> account(id).put("orderId", orderId).put(priceField, price), "modify")
                .thenApply(b -> null);
    }

    private ObjectNode orderBody(long accountId, OrderCommand c, Contract contract) {
        int type = c.type() == OrderType.LIMIT ? ProjectXCodes.TYPE_LIMIT
                : c.type() == OrderType.STOP ? ProjectXCodes.TYPE_STOP : ProjectXCodes.TYPE_MARKET;
        ObjectNode body = http.mapper().createObjectNode()
                .put("accountId", accountId)
                .put("contractId", contract.id)
                .put("type", type)
                .put("side", c.side() == Side.BUY ? ProjectXCodes.SIDE_BUY : ProjectXCodes.SIDE_SELL)
                .put("size", contractSize(c.quantity()))
                .put("customTag", c.clientTag());
        if (c.type() == OrderType.LIMIT) {
            body.put("limitPrice", c.limitPrice());
        } else if (c.type() == OrderType.STOP) {
            body.put("stopPrice", c.stopPrice());
        }
        bracket(body, "stopLossBracket", c.stopLoss(), ProjectXCodes.TYPE_STOP, c, contract);
        bracket(body, "takeProfitBracket", c.takeProfit(), ProjectXCodes.TYPE_LIMIT, c, contract);
        return body;
    }

    private static int contractSize(double quantity) {
        if (quantity != Math.rint(quantity)) {
            throw new BrokerException(Kind.REJECTED, "projectx trades whole contracts; quantity " + quantity + " is not whole");
        }
        return (int) quantity;
    }

    /**
     * Brackets are in ticks. An absolute price becomes the tick distance from the order's reference
     * (limit, stop or alert price). The sign convention of bracket ticks is undocumented, so the
     * distance is sent unsigned.
     */
    private static void bracket(ObjectNode body, String name, Protection p, int orderType, OrderCommand c, Contract contract) {
        if (!p.isSet()) {
            return;
        }
        long ticks;
        if (p.mode() == StopMode.TICKS) {
            ticks = Math.round(Math.abs(p.value()));
        } else if (p.mode() == StopMode.PRICE) {
            double reference = c.type() == OrderType.LIMIT ? c.limitPrice()
                    : c.type() == OrderType.STOP ? c.stopPrice() : c.referencePrice();
            if (reference <= 0 || contract.tickSize <= 0) {
                throw new BrokerException(Kind.REJECTED, "projectx needs a reference price to turn the " + name + " price into ticks");
            }
            ticks = Math.round(Math.abs(p.value() - reference) / contract.tickSize);
        } else {
            throw new BrokerException(Kind.REJECTED, "projectx brackets support price or ticks, not " + p.mode().wireName());
        }
        body.putObject(name).put("ticks", ticks).put("type", orderType);
    }

    private CompletableFuture<OrderResult> fillOf(long orderId, boolean reconciled) {
        return searchOrders(clock.getAsLong() - 3_600_000L).thenApply(orders -> {
            for (BrokerOrder o : orders) {
                if (o.brokerOrderId().equals(Long.toString(orderId))) {
                    return new OrderResult(o.brokerOrderId(), o.isFilled(), o.filledQuantity(), o.averageFillPrice(), reconciled);
                }
            }
            return new OrderResult(Long.toString(orderId), false, 0, 0, reconciled);
        });
    }

    @Override
    public CompletableFuture<BrokerOrder> orderByTag(String clientTag) {
        return findByTag(clientTag);
    }

    CompletableFuture<BrokerOrder> findByTag(String tag) {
        return searchOrders(clock.getAsLong() - RECONCILE_LOOKBACK_MILLIS).thenApply(orders -> {
            for (BrokerOrder o : orders) {
                if (tag.equals(o.clientTag())) {
                    return o;
                }
            }
            return null;
        });
    }

    private CompletableFuture<List<BrokerOrder>> searchOrders(long sinceMillis) {
        return call("/api/Order/search", id -> account(id).put("startTimestamp", Instant.ofEpochMilli(sinceMillis).toString()),
                "order search").thenApply(b -> orders(b.path("orders")));
    }

    private List<BrokerOrder> orders(JsonNode rows) {
        List<BrokerOrder> list = new ArrayList<>();
        for (JsonNode o : rows) {
            String contractId = o.path("contractId").asText();
            list.add(new BrokerOrder(o.path("id").asText(), symbolsByContract.getOrDefault(contractId, contractId),
                    o.path("customTag").asText(""), ProjectXCodes.status(o.path("status").asInt()), o.path("size").asDouble(),
                    o.path("fillVolume").asDouble(0), o.path("filledPrice").asDouble(0),
                    !o.path("side").isInt() ? "" : o.path("side").asInt() == ProjectXCodes.SIDE_BUY ? "buy" : "sell"));
        }
        return list;
    }

    @Override
    public CompletableFuture<BrokerOrder> order(String brokerOrderId) {
        return searchOrders(clock.getAsLong() - RECONCILE_LOOKBACK_MILLIS).thenApply(orders -> {
            for (BrokerOrder o : orders) {
                if (o.brokerOrderId().equals(brokerOrderId)) {
                    return o;
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> cancelOrder(String brokerOrderId) {
        return write("/api/Order/cancel", id -> account(id).put("orderId", Long.parseLong(brokerOrderId)), "cancel")
                .thenApply(b -> null);
    }

    @Override
    public CompletableFuture<Void> closePosition(String symbol, double quantity) {
        return contract(symbol).thenCompose(contract -> quantity <= 0
                ? write("/api/Position/closeContract", id -> account(id).put("contractId", contract.id), "close").thenApply(b -> null)
                : write("/api/Position/partialCloseContract", id -> account(id).put("contractId", contract.id)
                        .put("size", contractSize(quantity)), "partial close").thenApply(b -> null));
    }

    @Override
    public CompletableFuture<List<BrokerPosition>> positions() {
        return call("/api/Position/searchOpen", this::account, "position search").thenApply(b -> {
            List<BrokerPosition> list = new ArrayList<>();
            for (JsonNode p : b.path("positions")) {
                String contractId = p.path("contractId").asText();
                double size = p.path("size").asDouble();
                list.add(new BrokerPosition(p.path("id").asText(), symbolsByContract.getOrDefault(contractId, contractId),
                        p.path("type").asInt() == ProjectXCodes.POSITION_LONG ? size : -size, p.path("averagePrice").asDouble()));
            }
            return list;
        });
    }

    @Override
    public CompletableFuture<List<BrokerOrder>> openOrders() {
        return call("/api/Order/searchOpen", this::account, "open order search").thenApply(b -> orders(b.path("orders")));
    }

    @Override
    public CompletableFuture<AccountSnapshot> accountState() {
        return session().thenCompose(s -> call("/api/Account/search",
                id -> http.mapper().createObjectNode().put("onlyActiveAccounts", true), "account search").thenApply(b -> {
                    for (JsonNode a : b.path("accounts")) {
                        if (a.path("id").asLong() == s.accountId) {
                            double balance = a.path("balance").asDouble();
                            return new AccountSnapshot(Long.toString(s.accountId), "USD", balance, balance);
                        }
                    }
                    throw new BrokerException(Kind.REJECTED, "projectx account " + s.accountId + " no longer listed");
                }));
    }

    @Override
    public void close() {
        session = null;
    }
}
