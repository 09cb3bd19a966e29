package io.tradeflow.http.api;

import io.tradeflow.config.TrialConfig;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    public BillingRoutes(UserDao users, TrialConfig trial, Clock clock) {
        this.users = users;
        this.trial = trial;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("GET", base + "/api/billing/usage", Access.USER, this::usage),
                new Route("GET", base + "/billing/usage", Access.USER, this::usage));
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
