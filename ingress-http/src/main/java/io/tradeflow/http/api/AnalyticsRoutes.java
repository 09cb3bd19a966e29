package io.tradeflow.http.api;

import io.tradeflow.persistence.dao.AnalyticsDao;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Metrics, the P&amp;L report and trade analytics, aggregated by PostgreSQL ({@link AnalyticsDao}).
 * Filters: {@code time_range} (1d, 7d, 30d, 90d, all; default 7d, as the integration guide's
 * frontend assumes) and {@code broker} ({@code all} = every broker). {@code winRate} is a
 * percentage (67.8); admins see system-wide totals. Trades by
 * strategy group on the alert's strategy tag; untagged orders form one group with a null strategy.
 */
public final class AnalyticsRoutes implements RouteSource {
    private static final Map<String, Duration> RANGES = Map.of("1d", Duration.ofDays(1), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30), "90d", Duration.ofDays(90));
    private static final Set<String> RANGE_NAMES = Set.of("1d", "7d", "30d", "90d", "all");
    private static final Set<String> BROKERS = Set.of("paper", "tradelocker", "projectx", "topstep", "mtx", "all");

    private final AnalyticsDao analytics;
    private final Clock clock;

    public AnalyticsRoutes(AnalyticsDao analytics, Clock clock) {
        this.analytics = analytics;
        this.clock = clock;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("GET", base + "/metrics", Access.USER, this::metrics),
                new Route("GET", base + "/reports/pnl", Access.USER, this::pnl),
                new Route("GET", base + "/analytics/trades", Access.USER, this::trades),
                new Route("GET", base + "/analytics/strategies", Access.USER, this::strategies));
    }

    private record Window(String name, AnalyticsDao.Scope scope) {
    }

    private Window window(ApiRequest request, Long userId) {
        String range = request.queryOneOf("time_range", RANGE_NAMES);
        String name = range == null ? "7d" : range;
        Instant since = name.equals("all") ? null : clock.instant().minus(RANGES.get(name));
        String broker = request.queryOneOf("broker", BROKERS);
        if ("all".equals(broker)) {
            broker = null;
        } else if ("topstep".equals(broker)) {
            broker = "projectx";
        }
        return new Window(name, new AnalyticsDao.Scope(userId, since, broker));
    }

    /** The caller's totals; an admin's are system-wide (every user), with the number of active users. */
    private ApiResponse metrics(ApiRequest request, Caller caller) {
        Window window = window(request, caller.admin() ? null : caller.userId());
        AnalyticsDao.Summary totals = analytics.summary(window.scope());
        Map<String, Object> answer = Json.obj(
                "totalTrades", totals.totalTrades(),
                "totalPnL", totals.totalPnl(),
                "winRate", Math.round(totals.winRate() * 1000) / 10.0,
                "timeRange", window.name(),
                "scope", caller.admin() ? "system" : "user");
        if (caller.admin()) {
            answer.put("activeUsers", totals.activeUsers());
        }
        return ApiResponse.ok(answer);
    }

    private ApiResponse pnl(ApiRequest request, Caller caller) {
        Window window = window(request, caller.userId());
        List<AnalyticsDao.PnlDay> rows = analytics.dailyPnl(window.scope());
        // The grouping-sets total row has no date and comes last.
        AnalyticsDao.PnlDay total = rows.get(rows.size() - 1);
        return ApiResponse.ok(Json.obj(
                "daily", rows.subList(0, rows.size() - 1).stream()
                        .map(d -> Json.obj("date", d.date().toString(), "profit", d.profit(), "loss", d.loss(), "net", d.net()))
                        .toList(),
                "total", Json.obj("profit", total.profit(), "loss", total.loss(), "net", total.net()),
                "timeRange", window.name()));
    }

    private ApiResponse trades(ApiRequest request, Caller caller) {
        Window window = window(request, caller.userId());
        return ApiResponse.ok(Json.obj(
                "bySymbol", analytics.bySymbol(window.scope()).stream().map(s -> Json.obj(
                        "symbol", s.symbol(), "trades", s.trades(), "volume", s.volume(), "wins", s.wins(),
                        "losses", s.losses(), "pnl", s.pnl())).toList(),
                "timeRange", window.name()));
    }

    private ApiResponse strategies(ApiRequest request, Caller caller) {
        Window window = window(request, caller.userId());
        return ApiResponse.ok(Json.obj(
                "byStrategy", analytics.byStrategy(window.scope()).stream().map(s -> Json.obj(
                        "strategy", s.strategy(), "trades", s.trades(), "volume", s.volume(), "wins", s.wins(),
                        "losses", s.losses(), "pnl", s.pnl())).toList(),
                "timeRange", window.name()));
    }
}
