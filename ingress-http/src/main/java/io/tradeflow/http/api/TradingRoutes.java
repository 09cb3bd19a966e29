package io.tradeflow.http.api;

import io.tradeflow.service.account.AccountService;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.ring.PositionClose;
import io.tradeflow.core.ring.PositionCloseRefused;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.persistence.dao.DashboardFilter;
import io.tradeflow.persistence.dao.OrderDao;
import io.tradeflow.persistence.dao.OrderRow;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Positions, orders, closing a position and the emergency stop. */
public final class TradingRoutes implements RouteSource {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9._:!/-]{1," + RingEvent.SYMBOL_CAPACITY + "}");

    private final AccountService service;
    private final AccountDao accounts;
    private final PositionDao positions;
    private final OrderDao orders;
    private final Ownership ownership;
    private final AccountMoney money;

    /**
     * @param instruments     the config's instrument table: unrealised P&amp;L is lots × price change × its point value
     *                        (1 for an instrument outside the table, as the router sizes and books it)
     * @param startingBalance a paper account's balance before any P&amp;L (its equity's base)
     */
    public TradingRoutes(AccountService service, AccountDao accounts, PositionDao positions, OrderDao orders,
                         Map<String, InstrumentSpec> instruments, double startingBalance) {
        this.service = service;
        this.accounts = accounts;
        this.positions = positions;
        this.orders = orders;
        this.ownership = new Ownership(accounts);
        this.money = new AccountMoney(service, positions, instruments, startingBalance);
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("GET", base + "/api/positions", Access.USER, this::positions),
                new Route("GET", base + "/api/orders", Access.USER, this::orders),
                new Route("POST", base + "/api/orders/close", Access.USER, this::close),
                new Route("POST", base + "/api/user/emergency_stop", Access.USER, this::emergencyStop),
                new Route("POST", base + "/api/user/emergency_stop/reset", Access.USER, this::resetEmergencyStop));
    }

    /**
     * The open positions as the product documents show them: a JSON array, each with its
     * {@code current_price} and {@code pnl} (unrealised, at the symbol's last price). With
     * {@code with_accounts=true}, the earlier shape {@code {"positions": [...], "accounts": [...]}}
     * with each paper account's equity (the account list and detail show it too).
     */
    private ApiResponse positions(ApiRequest request, Caller caller) {
        Long accountId = ownership.optionalAccount(request.queryId("account_id"), caller);
        boolean withAccounts = request.queryFlag("with_accounts");
        List<PositionRow> open = accountId != null ? positions.listOpenByAccount(accountId)
                : positions.listOpenByUser(caller.userId());
        Map<Long, BrokerKind> brokers = new HashMap<>();
        for (AccountRow account : accounts.listByUser(caller.userId())) {
            brokers.put(account.id(), account.broker());
        }
        if (accountId != null && !brokers.containsKey(accountId)) {
            // An admin looking at another user's account.
            accounts.findById(accountId).ifPresent(a -> brokers.put(a.id(), a.broker()));
        }
        List<Map<String, Object>> rows = open.stream().map(p -> positionWithPnl(p, brokers.get(p.accountId()))).toList();
        if (!withAccounts) {
            return ApiResponse.ok(rows);
        }
        Map<Long, Double> realized = positions.realizedTotalsByUser(caller.userId());
        List<Map<String, Object>> equity = new ArrayList<>();
        for (AccountRow account : accounts.listByUser(caller.userId())) {
            if (account.broker() != BrokerKind.PAPER || (accountId != null && account.id() != accountId)) {
                continue;
            }
            double unrealized = money.unrealized(account.id(), open);
            double realizedTotal = realized.getOrDefault(account.id(), 0.0);
            equity.add(Json.obj(
                    "account_id", account.id(),
                    "starting_balance", money.startingBalance(),
                    "realized_pnl", realizedTotal,
                    "unrealized_pnl", unrealized,
                    "equity", money.startingBalance() + realizedTotal + unrealized));
        }
        return ApiResponse.ok(Json.obj("positions", rows, "accounts", equity));
    }

    private Map<String, Object> positionWithPnl(PositionRow p, BrokerKind broker) {
        Map<String, Object> json = new LinkedHashMap<>(position(p));
        Double pnl = money.unrealizedPnl(p);
        Double last = p.lastPrice() > 0 ? p.lastPrice() : null;
        json.put("id", p.accountId() + ":" + p.symbol());
        json.put("broker", broker == null ? null : broker.wireName());
        json.put("entry_price", p.averagePrice());
        json.put("stop_loss", p.stopLoss() == 0 ? null : p.stopLoss());
        json.put("take_profit", p.takeProfit() == 0 ? null : p.takeProfit());
        json.put("trail_distance", p.trailDistance() == 0 ? null : p.trailDistance());
        json.put("last_price", last);
        json.put("current_price", last);
        json.put("unrealized_pnl", pnl);
        json.put("pnl", pnl);
        return json;
    }

    private ApiResponse orders(ApiRequest request, Caller caller) {
        DashboardFilter filter = filter(request, caller, ownership, "status", Set.of("filled", "pending", "cancelled"));
        List<OrderRow> page = orders.search(filter);
        return ApiResponse.ok(Json.obj(
                "orders", page.stream().map(TradingRoutes::order).toList(),
                "total", orders.count(filter),
                "limit", filter.limit(),
                "offset", filter.offset()));
    }

    private ApiResponse close(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("account_id", "symbol"));
        Integer id = body.optionalInt("account_id", 1, Integer.MAX_VALUE);
        if (id == null) {
            throw ApiException.invalid("account_id", "account_id is required");
        }
        String symbol = body.text("symbol", RingEvent.SYMBOL_CAPACITY).toUpperCase(Locale.ROOT);
        if (!SYMBOL.matcher(symbol).matches()) {
            throw ApiException.invalid("symbol", "symbol has characters a symbol cannot have");
        }
        AccountRow account = ownership.account(id, caller);
        try {
            PositionClose closed = service.closePosition(account.id(), symbol);
            return ApiResponse.ok(close(closed));
        } catch (PositionCloseRefused refused) {
            throw ApiException.conflict("CLOSE_REFUSED", "symbol", refused.getMessage());
        }
    }

    private ApiResponse emergencyStop(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        List<PositionClose> closed = service.emergencyStop(caller.userId());
        return ApiResponse.ok(Json.obj(
                "emergency_stop", true,
                "message", "new entries are blocked until POST /api/unify/v1/api/user/emergency_stop/reset",
                "closed", closed.stream().filter(PositionClose::closedSomething).map(TradingRoutes::close).toList()));
    }

    private ApiResponse resetEmergencyStop(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        service.setEmergencyStop(caller.userId(), false);
        return ApiResponse.ok(Json.obj("emergency_stop", false));
    }

    /** The filters shared by the orders and the webhook log, validated. */
    static DashboardFilter filter(ApiRequest request, Caller caller, Ownership ownership, String statusName,
                                  Set<String> statuses) {
        Long accountId = ownership.optionalAccount(request.queryId("account_id"), caller);
        String status = request.queryOneOf(statusName, statuses);
        Instant from = request.queryInstant("from");
        Instant to = request.queryInstant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalid("to", "to must be after from");
        }
        int limit = request.queryInt("limit", DEFAULT_PAGE, 1, MAX_PAGE);
        int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        return new DashboardFilter(caller.userId(), accountId, status, from, to, limit, offset);
    }

    static Map<String, Object> position(PositionRow p) {
        return Json.obj(
                "account_id", p.accountId(),
                "symbol", p.symbol(),
                "side", p.quantity() > 0 ? "long" : "short",
                "quantity", Math.abs(p.quantity()),
                "average_price", p.averagePrice(),
                "updated_at", p.updatedAt());
    }

    static Map<String, Object> order(OrderRow o) {
        return Json.obj(
                "id", "ord_" + o.id(),
                "account_id", o.accountId(),
                "symbol", o.symbol(),
                "side", o.side(),
                "quantity", o.quantity(),
                "fill_price", o.fillPrice(),
                "commission", o.commission(),
                "realized_pnl", o.realizedPnl(),
                "status", o.status(),
                "order_type", o.orderType(),
                "order_price", o.orderPrice() == 0 ? null : o.orderPrice(),
                "reason", o.reason(),
                "intent_id", "int_" + o.journalIndex(),
                "created_at", o.createdAt());
    }

    private static Map<String, Object> close(PositionClose c) {
        return Json.obj(
                "account_id", c.accountId(),
                "symbol", c.symbol(),
                "closed", c.closedSomething(),
                "order_id", c.closedSomething() ? "ord_" + c.orderId() : null,
                "quantity", Math.abs(c.filledQuantity()),
                "fill_price", c.closedSomething() ? c.fillPrice() : null,
                "realized_pnl", c.realizedPnl());
    }
}
