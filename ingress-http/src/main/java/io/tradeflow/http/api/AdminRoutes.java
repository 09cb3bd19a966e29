package io.tradeflow.http.api;

import io.tradeflow.config.PlanTier;
import io.tradeflow.service.billing.BillingService;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AdminAuditDao;
import io.tradeflow.persistence.dao.AnalyticsDao;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Admin views (users, platform stats, every account with masked keys) and audited impersonation. */
public final class AdminRoutes implements RouteSource {
    private final UserDao users;
    private final AccountDao accounts;
    private final ApiKeyDao keys;
    private final AnalyticsDao analytics;
    private final AdminAuditDao audit;
    private final TokenService tokens;
    private final BillingService billing;

    public AdminRoutes(UserDao users, AccountDao accounts, ApiKeyDao keys, AnalyticsDao analytics, AdminAuditDao audit,
                       TokenService tokens, BillingService billing) {
        this.billing = billing;
        this.users = users;
        this.accounts = accounts;
        this.keys = keys;
        this.analytics = analytics;
        this.audit = audit;
        this.tokens = tokens;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("GET", base + "/admin/users", Access.ADMIN, this::users),
                new Route("GET", base + "/admin/stats", Access.ADMIN, this::stats),
                new Route("GET", base + "/admin/accounts", Access.ADMIN, this::accounts),
                new Route("POST", base + "/admin/impersonate/{user_id}", Access.ADMIN, this::impersonate),
                new Route("POST", base + "/admin/users/{user_id}/plan", Access.ADMIN, this::setPlan),
                new Route("POST", base + "/admin/users/{user_id}/suspend", Access.ADMIN, (r, c) -> suspend(r, c, true)),
                new Route("POST", base + "/admin/users/{user_id}/reactivate", Access.ADMIN, (r, c) -> suspend(r, c, false)));
    }

    private ApiResponse users(ApiRequest request, Caller caller) {
        int limit = request.queryInt("limit", TradingRoutes.DEFAULT_PAGE, 1, TradingRoutes.MAX_PAGE);
        int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        audit.record(caller.userId(), "list_users", null, "limit=" + limit + " offset=" + offset);
        return ApiResponse.ok(Json.obj(
                "users", users.list(limit, offset).stream().map(AdminRoutes::user).toList(),
                "total", users.count(), "limit", limit, "offset", offset));
    }

    private ApiResponse stats(ApiRequest request, Caller caller) {
        audit.record(caller.userId(), "view_stats", null, null);
        AnalyticsDao.Summary all = analytics.summary(new AnalyticsDao.Scope(null, null, null));
        return ApiResponse.ok(Json.obj(
                "users", users.count(),
                "totalTrades", all.totalTrades(),
                "totalPnL", all.totalPnl(),
                "winRate", Math.round(all.winRate() * 1000) / 10.0,
                "activeUsers", all.activeUsers(),
                "revenue", revenue()));
    }

    private Map<String, Object> revenue() {
        BillingService.Revenue r = billing.revenue();
        return Json.obj("active_subscriptions", r.activeByPlan(), "mrr", Math.round(r.mrr() * 100) / 100.0,
                "canceled_last_30_days", r.canceledLast30Days(), "churn_rate", Math.round(r.churnRate() * 10_000) / 10_000.0);
    }

    /** Changes a user's plan by hand (a refund, a partner): audited, applied by the router from the next alert. */
    private ApiResponse setPlan(ApiRequest request, Caller caller) {
        long userId = request.pathId("user_id");
        JsonBody body = request.body().allowOnly(Set.of("plan", "reason"));
        String name = body.text("plan", 20);
        String reason = body.optionalText("reason", 500);
        PlanTier tier = PlanTier.fromWireName(name);
        if (tier == null) {
            throw ApiException.invalid("plan", "plan must be one of trial, starter, pro, elite");
        }
        users.findById(userId).orElseThrow(() -> ApiException.notFound("user"));
        billing.changePlan(userId, tier, false, null);
        audit.record(caller.userId(), "change_plan", userId, "plan=" + tier.wireName() + (reason == null ? "" : " reason=" + reason));
        return ApiResponse.ok(Json.obj("user_id", userId, "plan", tier.wireName(), "status", "active"));
    }

    /** Suspends (alerts refused in the router, sessions ended, login refused) or reactivates a user; audited. */
    private ApiResponse suspend(ApiRequest request, Caller caller, boolean on) {
        long userId = request.pathId("user_id");
        request.body().allowOnly(Set.of());
        users.findById(userId).orElseThrow(() -> ApiException.notFound("user"));
        if (on && userId == caller.userId()) {
            throw ApiException.conflict("CANNOT_SUSPEND_SELF", "user_id", "an admin cannot suspend themselves");
        }
        billing.suspend(userId, on);
        audit.record(caller.userId(), on ? "suspend_user" : "reactivate_user", userId, null);
        return ApiResponse.ok(Json.obj("user_id", userId, "suspended", on));
    }

    private ApiResponse accounts(ApiRequest request, Caller caller) {
        int limit = request.queryInt("limit", TradingRoutes.DEFAULT_PAGE, 1, TradingRoutes.MAX_PAGE);
        int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        audit.record(caller.userId(), "list_accounts", null, "limit=" + limit + " offset=" + offset);
        return ApiResponse.ok(Json.obj("accounts", accounts.listAll(limit, offset).stream().map(a -> Json.obj(
                "id", a.id(), "user_id", a.userId(), "broker", a.broker().wireName(), "label", a.label(),
                "enabled", a.enabled(), "created_at", a.createdAt(),
                // Only the stored display prefix exists; the rest of a key is never stored.
                "api_keys", keys.activeByAccount(a.id()).stream().map(k -> k.keyPrefix() + "…").toList())).toList(),
                "limit", limit, "offset", offset));
    }

    private ApiResponse impersonate(ApiRequest request, Caller caller) {
        long userId = request.pathId("user_id");
        request.body().allowOnly(Set.of());
        UserRow target = users.findById(userId).orElseThrow(() -> ApiException.notFound("user"));
        audit.record(caller.userId(), "impersonate", target.id(), null);
        return ApiResponse.ok(Json.obj(
                "user", AuthRoutes.user(target),
                "access_token", tokens.impersonationToken(target.id(), caller.userId()),
                "token_type", "Bearer",
                "expires_in", TokenService.IMPERSONATION_TTL.toSeconds()));
    }

    private static Map<String, Object> user(UserRow u) {
        return Json.obj("id", u.id(), "email", u.email(), "role", u.role().dbName(), "plan", u.plan().dbName(),
                "trades_count", u.tradesCount(), "emergency_stop", u.emergencyStop(), "created_at", u.createdAt());
    }
}
