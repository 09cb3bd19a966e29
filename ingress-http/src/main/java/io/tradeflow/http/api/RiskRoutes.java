package io.tradeflow.http.api;

import io.tradeflow.service.account.AccountService;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Risk config for the user (applied to every account of the user) and per account. A PUT may send
 * only the fields it changes; the rest keep their current values. The change reaches the router as
 * a RISK_LIMITS control event and applies from the next alert on.
 */
public final class RiskRoutes implements RouteSource {
    private static final Set<String> FIELDS = Set.of("max_quantity", "max_daily_loss", "max_open_positions",
            "trading_hours", "time_zone", "allowed_symbols", "rate_limit_per_window", "rate_limit_window_seconds");

    private final AccountService service;
    private final Ownership ownership;

    public RiskRoutes(AccountService service, AccountDao accounts) {
        this.service = service;
        this.ownership = new Ownership(accounts);
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("GET", base + "/api/user/risk_config", Access.USER,
                        (r, c) -> ApiResponse.ok(view(service.userRiskLimits(c.userId())))),
                new Route("PUT", base + "/api/user/risk_config", Access.USER, this::putUser),
                new Route("GET", base + "/api/accounts/{id}/risk_config", Access.USER, this::getAccount),
                new Route("PUT", base + "/api/accounts/{id}/risk_config", Access.USER, this::putAccount));
    }

    private ApiResponse putUser(ApiRequest request, Caller caller) {
        RiskLimits limits = merge(service.userRiskLimits(caller.userId()), request.body());
        service.setUserRiskLimits(caller.userId(), limits);
        return ApiResponse.ok(view(limits));
    }

    private ApiResponse getAccount(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        return ApiResponse.ok(view(service.riskLimits(account.id())));
    }

    private ApiResponse putAccount(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        RiskLimits limits = merge(service.riskLimits(account.id()), request.body());
        service.setRiskLimits(account.id(), limits);
        return ApiResponse.ok(view(limits));
    }

    /** The current limits with the body's fields replaced, each validated. */
    static RiskLimits merge(RiskLimits current, JsonBody body) {
        body.allowOnly(FIELDS);
        Double maxQuantity = body.optionalNumber("max_quantity", Double.MIN_VALUE, 1e12);
        Double maxDailyLoss = body.optionalNumber("max_daily_loss", 0, 1e15);
        Integer maxOpen = body.optionalInt("max_open_positions", 1, 10_000);
        String hours = body.optionalTextAllowEmpty("trading_hours", 11);
        if (hours != null) {
            hours = hours.trim();
            if (!hours.isEmpty() && !hours.matches("([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d")
                    || !hours.isEmpty() && hours.substring(0, 5).equals(hours.substring(6))) {
                throw ApiException.invalid("trading_hours", "trading_hours must be \"\" (always) or HH:mm-HH:mm with distinct ends");
            }
        }
        ZoneId zone = null;
        String zoneName = body.optionalText("time_zone", 64);
        if (zoneName != null) {
            try {
                zone = ZoneId.of(zoneName);
            } catch (DateTimeException e) {
                throw ApiException.invalid("time_zone", "time_zone must be a time zone id like UTC or America/New_York");
            }
        }
        List<String> symbols = body.optionalTextList("allowed_symbols", 1000, 32);
        Integer perWindow = body.optionalInt("rate_limit_per_window", 1, 1_000_000);
        Integer windowSeconds = body.optionalInt("rate_limit_window_seconds", 1, 86_400);
        return new RiskLimits(
                maxQuantity != null ? maxQuantity : current.maxQuantity(),
                maxDailyLoss != null ? maxDailyLoss : current.maxDailyLoss(),
                maxOpen != null ? maxOpen : current.maxOpenPositions(),
                hours != null ? hours : current.tradingHours(),
                zone != null ? zone : current.timeZone(),
                symbols != null ? symbols.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList() : current.allowedSymbols(),
                perWindow != null ? perWindow : current.rateLimitPerWindow(),
                windowSeconds != null ? Duration.ofSeconds(windowSeconds) : current.rateLimitWindow());
    }

    static Map<String, Object> view(RiskLimits limits) {
        return Json.obj(
                "max_quantity", limits.maxQuantity(),
                "max_daily_loss", limits.maxDailyLoss(),
                "max_open_positions", limits.maxOpenPositions(),
                "trading_hours", limits.tradingHours(),
                "time_zone", limits.timeZone().getId(),
                "allowed_symbols", limits.allowedSymbols(),
                "rate_limit_per_window", limits.rateLimitPerWindow(),
                "rate_limit_window_seconds", limits.rateLimitWindow().toSeconds());
    }
}
