package io.tradeflow.http.api;

import io.tradeflow.app.AccountService;
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
    private final PositionDao positions;
    private final OrderDao orders;
    private final Ownership ownership;

    public TradingRoutes(AccountService service, AccountDao accounts, PositionDao positions, OrderDao orders) {
        this.service = service;
        this.positions = positions;
        this.orders = orders;
        this.ownership = new Ownership(accounts);
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

    private ApiResponse positions(ApiRequest request, Caller caller) {
        Long accountId = ownership.optionalAccount(request.queryId("account_id"), caller);
        List<PositionRow> open = accountId != null ? positions.listOpenByAccount(accountId)
                : positions.listOpenByUser(caller.userId());
        return ApiResponse.ok(Json.obj("positions", open.stream().map(TradingRoutes::position).toList()));
    }

    private ApiResponse orders(ApiRequest request, Caller caller) {
        DashboardFilter filter = filter(request, caller, ownership, "status", Set.of("filled"));
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
