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
 * Filters: {@code time_range} (1d, 7d, 30d, 90d, all; default 30d) and {@code broker}. Trades by
 * strategy group on the alert's strategy tag; untagged orders form one group with a null strategy.
 */
public final class AnalyticsRoutes implements RouteSource {
    private static final Map<String, Duration> RANGES = Map.of("1d", Duration.ofDays(1), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30), "90d", Duration.ofDays(90));
    private static final Set<String> RANGE_NAMES = Set.of("1d", "7d", "30d", "90d", "all");
    private static final Set<String> BROKERS = Set.of("paper", "tradelocker", "projectx", "mtx");

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
        String name = range == null ? "30d" : range;
        Instant since = name.equals("all") ? null : clock.instant().minus(RANGES.get(name));
        return new Window(name, new AnalyticsDao.Scope(userId, since, request.queryOneOf("broker", BROKERS)));
    }

    private ApiResponse metrics(ApiRequest request, Caller caller) {
        Window window = window(request, caller.userId());
        AnalyticsDao.Summary mine = analytics.summary(window.scope());
        Map<String, Object> answer = Json.obj(
                "totalTrades", mine.totalTrades(),
                "totalPnL", mine.totalPnl(),
                "winRate", mine.winRate(),
                "timeRange", window.name());
        if (caller.admin()) {
            AnalyticsDao.Scope everyone = new AnalyticsDao.Scope(null, window.scope().since(), window.scope().broker());
            answer.put("activeUsers", analytics.summary(everyone).activeUsers());
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
