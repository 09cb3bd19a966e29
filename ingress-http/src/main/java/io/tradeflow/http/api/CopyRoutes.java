package io.tradeflow.http.api;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.persistence.dao.CopyDao;
import io.tradeflow.persistence.dao.CopyDao.MasterRow;
import io.tradeflow.persistence.dao.CopyDao.ProtectionFilter;
import io.tradeflow.persistence.dao.CopyDao.SubscriptionRow;
import io.tradeflow.service.copy.CopyTradingService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Copy trading (seed 004's control plane): masters, follower subscriptions with a license token
 * shown once, pause / resume / cancel, and protection events (reported by the EA with its license
 * token, and recorded by the router for every copy it refused).
 *
 * <p>Privacy: a follower sees a master's name and id only; a master sees its followers as aliases
 * and counts, never their accounts, users or emails. Any id the caller may not see answers 404.
 */
public final class CopyRoutes implements RouteSource {
    static final String MASTERS = DashboardApi.BASE + "/masters";
    static final String SUBSCRIPTIONS = DashboardApi.BASE + "/subscriptions";
    static final String PROTECTION_EVENTS = DashboardApi.BASE + "/protection-events";
    private static final int MAX_NAME = 60;
    private static final int MAX_ACCOUNTS = 20;
    private static final int MAX_REASON = 64;
    private static final int MAX_DETAILS = 1_000;
    private static final int MAX_SYMBOL = 32;
    private static final Set<String> SIZINGS = Set.of(CopyDao.MULTIPLIER, "qty", "percent_equity", "risk_percent");
    private static final Set<String> SOURCES = Set.of("router", "ea");
    private static final String TOKEN_MESSAGE = "Save this token - it won't be shown again";

    private final CopyTradingService service;
    private final Ownership ownership;

    public CopyRoutes(CopyTradingService service, AccountDao accounts) {
        this.service = service;
        this.ownership = new Ownership(accounts);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", MASTERS, Access.USER, this::publishMaster),
                new Route("GET", MASTERS, Access.USER, this::masters),
                new Route("GET", MASTERS + "/{id}/followers", Access.USER, this::followers),
                new Route("POST", SUBSCRIPTIONS, Access.USER, this::subscribe),
                new Route("GET", SUBSCRIPTIONS, Access.USER, this::subscriptions),
                new Route("GET", SUBSCRIPTIONS + "/{id}", Access.USER, this::subscription),
                new Route("POST", SUBSCRIPTIONS + "/{id}/pause", Access.USER, (r, c) -> pause(r, c, true)),
                new Route("POST", SUBSCRIPTIONS + "/{id}/resume", Access.USER, (r, c) -> pause(r, c, false)),
                new Route("DELETE", SUBSCRIPTIONS + "/{id}", Access.USER, this::cancel),
                new Route("POST", SUBSCRIPTIONS + "/{id}/license_token/regenerate", Access.USER, this::regenerate),
                new Route("POST", PROTECTION_EVENTS, Access.PUBLIC, this::reportProtectionEvent),
                new Route("GET", PROTECTION_EVENTS, Access.USER, this::protectionEvents),
                new Route("GET", PROTECTION_EVENTS + "/summary", Access.USER, this::protectionSummary));
    }

    private ApiResponse publishMaster(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("account_id", "name"));
        Integer accountField = body.optionalInt("account_id", 1, Integer.MAX_VALUE);
        if (accountField == null) {
            throw ApiException.invalid("account_id", "account_id is required");
        }
        String name = body.text("name", MAX_NAME);
        AccountRow account = ownership.account(accountField, caller);
        MasterRow master = conflicts(() -> service.publishMaster(account.userId(), account.id(), name));
        return ApiResponse.created(masterView(master, caller));
    }

    private ApiResponse masters(ApiRequest request, Caller caller) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (MasterRow m : service.masters(caller.userId())) {
            views.add(masterView(m, caller));
        }
        return ApiResponse.ok(Json.obj("masters", views));
    }

    /** The master's own view of its followers: aliases and counts only. */
    private ApiResponse followers(ApiRequest request, Caller caller) {
        MasterRow master = service.master(request.pathId("id")).filter(m -> caller.owns(m.userId()))
                .orElseThrow(() -> ApiException.notFound("master"));
        List<SubscriptionRow> followers = service.followers(master.id());
        List<Map<String, Object>> views = new ArrayList<>();
        int active = 0;
        int accounts = 0;
        for (SubscriptionRow s : followers) {
            views.add(Json.obj("alias", alias(s), "status", s.status(), "accounts", s.accountIds().size(),
                    "since", s.createdAt()));
            active += CopyTradingService.ACTIVE.equals(s.status()) ? 1 : 0;
            accounts += s.accountIds().size();
        }
        return ApiResponse.ok(Json.obj("master_id", master.id(), "followers", views, "followers_total", followers.size(),
                "followers_active", active, "follower_accounts", accounts));
    }

    private ApiResponse subscribe(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("master_id", "account_ids", "multiplier", "sizing", "size_value",
                "symbol_map"));
        Integer masterField = body.optionalInt("master_id", 1, Integer.MAX_VALUE);
        if (masterField == null) {
            throw ApiException.invalid("master_id", "master_id is required");
        }
        List<Long> accountIds = body.optionalIdList("account_ids", MAX_ACCOUNTS);
        if (accountIds == null) {
            throw ApiException.invalid("account_ids", "account_ids is required: the accounts that copy the master");
        }
        String sizing = body.optionalText("sizing", 20);
        sizing = sizing == null ? CopyDao.MULTIPLIER : sizing;
        if (!SIZINGS.contains(sizing)) {
            throw ApiException.invalid("sizing", "sizing must be multiplier, qty, percent_equity or risk_percent");
        }
        Double multiplier = body.optionalNumber("multiplier", 0.01, 100);
        Double sizeValue = body.optionalNumber("size_value", 0.0001, 1_000_000);
        double value;
        if (CopyDao.MULTIPLIER.equals(sizing)) {
            if (sizeValue != null) {
                throw ApiException.invalid("size_value", "size_value goes with sizing qty, percent_equity or risk_percent;"
                        + " use multiplier");
            }
            value = multiplier == null ? 1.0 : multiplier;
        } else {
            if (sizeValue == null) {
                throw ApiException.invalid("size_value", "size_value is required with sizing " + sizing);
            }
            if (multiplier != null) {
                throw ApiException.invalid("multiplier", "multiplier goes with sizing multiplier only");
            }
            if (!"qty".equals(sizing) && sizeValue > 100) {
                throw ApiException.invalid("size_value", "size_value is a percentage: at most 100");
            }
            value = sizeValue;
        }
        List<String> symbolMap = symbolMap(body);
        // Foreign or unpublished masters and foreign accounts answer 404, like missing ones.
        MasterRow master = service.master(masterField).filter(m -> m.published() || caller.owns(m.userId()))
                .orElseThrow(() -> ApiException.notFound("master"));
        for (long accountId : accountIds) {
            AccountRow account = ownership.account(accountId, caller);
            if (account.userId() != caller.userId()) {
                throw ApiException.notFound("account");
            }
        }
        String chosen = sizing;
        CopyTradingService.Created created = conflicts(() -> service.subscribe(caller.userId(), master, accountIds,
                chosen, value, symbolMap, null));
        Map<String, Object> view = Json.obj("subscription_id", created.subscription().id(),
                "license_token", created.licenseToken(), "expires_at", created.subscription().expiresAt(),
                "message", TOKEN_MESSAGE);
        view.putAll(subscriptionView(created.subscription()));
        return ApiResponse.created(view);
    }

    private static List<String> symbolMap(JsonBody body) {
        Map<String, String> map = body.optionalTextMap("symbol_map", CopyLink.MAX_SYMBOL_MAP_ENTRIES, MAX_SYMBOL);
        if (map == null) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        map.forEach((from, to) -> entries.add(from + "=" + to));
        if (AlertSettings.parseSymbolMap(entries) == null) {
            throw ApiException.invalid("symbol_map", "symbol_map must map symbols (letters, digits, . _ - : ! /) to symbols");
        }
        return entries;
    }

    private ApiResponse subscriptions(ApiRequest request, Caller caller) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (SubscriptionRow s : service.subscriptions(caller.userId())) {
            views.add(subscriptionView(s));
        }
        return ApiResponse.ok(Json.obj("subscriptions", views));
    }

    private ApiResponse subscription(ApiRequest request, Caller caller) {
        return ApiResponse.ok(subscriptionView(own(request, caller)));
    }

    private ApiResponse pause(ApiRequest request, Caller caller, boolean paused) {
        SubscriptionRow s = own(request, caller);
        return ApiResponse.ok(subscriptionView(conflicts(() -> service.setPaused(s, paused))));
    }

    private ApiResponse cancel(ApiRequest request, Caller caller) {
        SubscriptionRow s = own(request, caller);
        return ApiResponse.ok(subscriptionView(service.cancel(s)));
    }

    private ApiResponse regenerate(ApiRequest request, Caller caller) {
        SubscriptionRow s = own(request, caller);
        String token = conflicts(() -> service.regenerateToken(s));
        return ApiResponse.ok(Json.obj("subscription_id", s.id(), "license_token", token, "message", TOKEN_MESSAGE));
    }

    private SubscriptionRow own(ApiRequest request, Caller caller) {
        return service.subscription(request.pathId("id")).filter(s -> caller.owns(s.userId()))
                .orElseThrow(() -> ApiException.notFound("subscription"));
    }

    /** The EA reports a signal it refused locally; its license token (Authorization: Bearer) says whose. */
    private ApiResponse reportProtectionEvent(ApiRequest request, Caller caller) {
        String authorization = request.authorization();
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (token == null) {
            throw ApiException.unauthorized("a license token is required (Authorization: Bearer tf_lic_...)");
        }
        Instant now = Instant.now();
        SubscriptionRow s = service.byLicenseToken(token, now)
                .orElseThrow(() -> ApiException.unauthorized("invalid, cancelled or expired license token"));
        JsonBody body = request.body().allowOnly(Set.of("reason", "details", "symbol", "account_id"));
        String reason = body.text("reason", MAX_REASON);
        String details = body.optionalText("details", MAX_DETAILS);
        String symbol = body.optionalText("symbol", MAX_SYMBOL);
        Integer account = body.optionalInt("account_id", 1, Integer.MAX_VALUE);
        if (account != null && !s.accountIds().contains(account.longValue())) {
            throw ApiException.invalid("account_id", "account_id is not an account of this license's subscription");
        }
        long id = service.dao().insertProtectionEvent(s.userId(), s.id(), account == null ? null : account.longValue(),
                reason, details, symbol, now);
        return ApiResponse.created(Json.obj("id", id, "subscription_id", s.id(), "created_at", now));
    }

    private ApiResponse protectionEvents(ApiRequest request, Caller caller) {
        ProtectionFilter filter = filter(request, caller);
        int limit = request.queryInt("limit", 50, 1, 500);
        int offset = request.queryInt("offset", 0, 0, 1_000_000);
        CopyDao dao = service.dao();
        List<Map<String, Object>> events = dao.listProtectionEvents(caller.userId(), filter, limit, offset).stream()
                .map(e -> Json.obj("id", e.id(), "source", e.source(), "reason", e.reason(), "details", e.details(),
                        "symbol", e.symbol(), "account_id", e.accountId(), "subscription_id", e.subscriptionId(),
                        "created_at", e.createdAt()))
                .toList();
        return ApiResponse.ok(Json.obj("events", events, "total", dao.countProtectionEvents(caller.userId(), filter),
                "limit", limit, "offset", offset));
    }

    private ApiResponse protectionSummary(ApiRequest request, Caller caller) {
        ProtectionFilter filter = filter(request, caller);
        CopyDao dao = service.dao();
        return ApiResponse.ok(Json.obj(
                "total", dao.countProtectionEvents(caller.userId(), filter),
                "by_reason", dao.countProtectionEventsBy(caller.userId(), filter, "reason"),
                "by_day", dao.countProtectionEventsBy(caller.userId(), filter, "day"),
                "by_account", dao.countProtectionEventsBy(caller.userId(), filter, "account")));
    }

    /** The list's filters; an account or subscription id must be the caller's own (404 otherwise). */
    private ProtectionFilter filter(ApiRequest request, Caller caller) {
        Long accountId = request.queryId("account_id");
        if (accountId != null && ownership.account(accountId, caller).userId() != caller.userId()) {
            throw ApiException.notFound("account");
        }
        Long subscriptionId = request.queryId("subscription_id");
        if (subscriptionId != null && service.subscription(subscriptionId)
                .filter(s -> s.userId() == caller.userId()).isEmpty()) {
            throw ApiException.notFound("subscription");
        }
        String reason = request.query("reason");
        if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON)) {
            throw ApiException.invalid("reason", "reason must be 1 to " + MAX_REASON + " characters");
        }
        Instant from = request.queryInstant("from");
        Instant to = request.queryInstant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalid("to", "to must be after from");
        }
        return new ProtectionFilter(accountId, subscriptionId, reason, request.queryOneOf("source", SOURCES), from, to);
    }

    private static Map<String, Object> masterView(MasterRow m, Caller caller) {
        Map<String, Object> view = Json.obj("master_id", m.id(), "name", m.name(), "published", m.published(),
                "own", m.userId() == caller.userId(), "created_at", m.createdAt());
        if (m.userId() == caller.userId()) {
            view.put("account_id", m.accountId());
        }
        return view;
    }

    private static Map<String, Object> subscriptionView(SubscriptionRow s) {
        Map<String, Object> map = new TreeMap<>();
        for (String entry : s.symbolMap()) {
            int eq = entry.indexOf('=');
            map.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return Json.obj("subscription_id", s.id(), "master_id", s.masterId(), "master_name", s.masterName(),
                "account_ids", s.accountIds(), "sizing", s.sizing(), "size_value", s.sizeValue(), "symbol_map", map,
                "status", s.status(), "expires_at", s.expiresAt(), "created_at", s.createdAt());
    }

    private static String alias(SubscriptionRow s) {
        return "follower-" + s.id();
    }

    private static <T> T conflicts(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (CopyTradingService.CopyConflict e) {
            throw ApiException.conflict(e.code(), e.field(), e.getMessage());
        }
    }
}
