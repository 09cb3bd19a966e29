package io.tradeflow.http.api;

import io.tradeflow.config.BillingConfig;
import io.tradeflow.config.PlanLimits;
import io.tradeflow.config.PlanTier;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.service.billing.BillingException;
import io.tradeflow.service.billing.BillingService;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Trial usage for the dashboard's trial banner, at both paths the product documents use
 * ({@code /api/billing/usage} and {@code /billing/usage}). It reads what the router enforces: the
 * trades counted by the router (the projection's {@code trades_count}), the trial's limit and
 * length from config, and the emergency stop; {@code blocked_reason} is the refusal the next entry
 * would get ({@code TRIAL_EXPIRED}, {@code TRIAL_LIMIT}, {@code EMERGENCY_STOP}) or null.
 */
public final class BillingRoutes implements RouteSource {
    private final UserDao users;
    private final TrialConfig trial;
    private final Clock clock;
    private final BillingService billing;

    public BillingRoutes(UserDao users, TrialConfig trial, Clock clock, BillingService billing) {
        this.users = users;
        this.trial = trial;
        this.clock = clock;
        this.billing = billing;
    }

    /**
     * Usage at both paths the product documents use; plans, status, checkout, portal and the Stripe
     * webhook at {@code /billing/*} and {@code /api/billing/*} alike. The webhook carries no token: its
     * Stripe-Signature is its authentication.
     */
    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        List<Route> routes = new ArrayList<>();
        for (String prefix : List.of(base + "/api/billing", base + "/billing")) {
            routes.add(new Route("GET", prefix + "/usage", Access.USER, this::usage));
            routes.add(new Route("GET", prefix + "/status", Access.USER, this::status));
            routes.add(new Route("POST", prefix + "/create-checkout-session", Access.USER, this::checkout));
            routes.add(new Route("POST", prefix + "/create-portal-session", Access.USER, this::portal));
            routes.add(new Route("POST", prefix + "/webhook", Access.PUBLIC, this::webhook));
        }
        return List.copyOf(routes);
    }

    private ApiResponse status(ApiRequest request, Caller caller) {
        BillingService.Status s = billing.status(caller.userId());
        return ApiResponse.ok(Json.obj(
                "plan", s.plan().wireName(),
                "status", s.status(),
                "current_period_end", s.currentPeriodEnd(),
                "cancel_at_period_end", s.cancelAtPeriodEnd(),
                "grace_ends_at", s.graceEndsAt(),
                "configured", billing.configured(),
                "plans", plans(billing.config(), trial)));
    }

    /**
     * Every plan with its price and limits, in plan order. The trial's own limits (trades and days, from
     * {@code trial.*}) come with the trial, which otherwise carries no per-day limits.
     */
    static List<Map<String, Object>> plans(BillingConfig config, TrialConfig trial) {
        return Arrays.stream(PlanTier.values()).map(t -> {
            PlanLimits p = config.plan(t);
            Map<String, Object> plan = new LinkedHashMap<>(Json.obj(
                    "plan", t.wireName(),
                    "price_per_month", p.pricePerMonth(),
                    "purchasable", p.purchasable(),
                    "broker_accounts", p.brokerAccounts(),
                    "alerts_per_day", p.alertsPerDay(),
                    "brokers", p.brokers(),
                    "copy_followers", p.copyFollowers(),
                    "log_retention_days", p.logRetention().toDays()));
            if (t == PlanTier.TRIAL) {
                plan.put("trial_trades", trial.maxTrades());
                plan.put("trial_days", trial.duration().toDays());
            }
            return plan;
        }).toList();
    }

    private ApiResponse checkout(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("plan"));
        String plan = body.text("plan", 20);
        UserRow user = users.findById(caller.userId()).orElseThrow(() -> ApiException.notFound("user"));
        return call(() -> ApiResponse.ok(Json.obj("url",
                billing.checkout(user.id(), user.email(), plan, request.baseUrl() + "/#/billing"))));
    }

    private ApiResponse portal(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        return call(() -> ApiResponse.ok(Json.obj("url", billing.portal(caller.userId(), request.baseUrl() + "/#/billing"))));
    }

    private ApiResponse webhook(ApiRequest request, Caller caller) {
        return call(() -> ApiResponse.ok(Json.obj("received", true,
                "result", billing.webhook(request.rawBody(), request.stripeSignature()).name().toLowerCase(Locale.ROOT))));
    }

    private static ApiResponse call(java.util.function.Supplier<ApiResponse> action) {
        try {
            return action.get();
        } catch (BillingException e) {
            throw new ApiException(e.status(), e.code(), e.field(), e.getMessage());
        }
    }

    private ApiResponse usage(ApiRequest request, Caller caller) {
        UserRow user = users.findById(caller.userId()).orElseThrow(() -> ApiException.notFound("user"));
        return ApiResponse.ok(usage(user, trial, clock.instant()));
    }

    /** The usage view of a user at {@code now}; shared with the profile. */
    static Map<String, Object> usage(UserRow user, TrialConfig trial, Instant now) {
        boolean onTrial = user.plan() == Plan.TRIAL;
        Instant expiresAt = onTrial ? user.createdAt().plus(trial.duration()) : null;
        Long limit = onTrial ? (long) trial.maxTrades() : null;
        Long remaining = onTrial ? Math.max(0, trial.maxTrades() - (long) user.tradesCount()) : null;
        Long daysLeft = null;
        String blocked = null;
        if (onTrial) {
            Duration left = Duration.between(now, expiresAt);
            // Whole days, rounded up: "1 day left" until the very end, 0 once it has ended.
            daysLeft = left.isNegative() || left.isZero() ? 0 : (left.toMillis() + 86_399_999) / 86_400_000;
            if (!now.isBefore(expiresAt)) {
                blocked = "TRIAL_EXPIRED";
            } else if (user.tradesCount() >= trial.maxTrades()) {
                blocked = "TRIAL_LIMIT";
            }
        }
        if (blocked == null && user.emergencyStop()) {
            blocked = "EMERGENCY_STOP";
        }
        return Json.obj(
                "plan", user.plan().dbName(),
                "trades_used", user.tradesCount(),
                "trades_limit", limit,
                "trades_remaining", remaining,
                "days_left", daysLeft,
                "trial_expires_at", expiresAt,
                "expires_at", expiresAt,
                "blocked", blocked != null,
                "blocked_reason", blocked,
                "can_trade", blocked == null);
    }
}
