package io.tradeflow.http.api;

import io.tradeflow.service.account.AccountService;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How an account's alerts are read: pyramiding, the duplicate-signal window, the maximum signal
 * age, the idempotency window, the TradingView ticker to broker instrument map and the instrument
 * suffix. A PUT may send only the fields it changes (a sent {@code symbol_map} replaces the whole
 * map); it reaches the router as an ALERT_SETTINGS control event and applies from the next alert on.
 */
public final class AlertSettingsRoutes implements RouteSource {
    private static final Set<String> FIELDS = Set.of("pyramiding", "duplicate_window_seconds",
            "max_signal_age_seconds", "idempotency_window_seconds", "symbol_map", "symbol_suffix");
    /** Entries are looked up by hash on the ring thread, so the bound only keeps one journal entry small. */
    private static final int MAX_SYMBOL_MAP_ENTRIES = 500;
    /** AlertSettings' own symbol length. */
    private static final int MAX_SYMBOL_LENGTH = 32;
    private static final int MAX_SUFFIX_LENGTH = 8;
    private static final int ONE_DAY_SECONDS = 86_400;
    private static final int ONE_WEEK_SECONDS = 7 * ONE_DAY_SECONDS;

    private final AccountService service;
    private final Ownership ownership;

    public AlertSettingsRoutes(AccountService service, AccountDao accounts) {
        this.service = service;
        this.ownership = new Ownership(accounts);
    }

    @Override
    public List<Route> routes() {
        String path = DashboardApi.BASE + "/api/accounts/{id}/alert_settings";
        return List.of(
                new Route("GET", path, Access.USER, this::get),
                new Route("PUT", path, Access.USER, this::put));
    }

    private ApiResponse get(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        return ApiResponse.ok(view(service.alertSettings(account.id())));
    }

    private ApiResponse put(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        AlertSettings settings = merge(service.alertSettings(account.id()), request.body());
        service.setAlertSettings(account.id(), settings);
        return ApiResponse.ok(view(settings));
    }

    /** The current settings with the body's fields replaced, each validated. */
    static AlertSettings merge(AlertSettings current, JsonBody body) {
        body.allowOnly(FIELDS);
        Integer pyramiding = body.optionalInt("pyramiding", 1, 100);
        Integer duplicateSeconds = body.optionalInt("duplicate_window_seconds", 0, ONE_DAY_SECONDS);
        Integer maxAgeSeconds = body.optionalInt("max_signal_age_seconds", 0, ONE_DAY_SECONDS);
        Integer idempotencySeconds = body.optionalInt("idempotency_window_seconds", 1, ONE_WEEK_SECONDS);
        Map<String, String> symbolMap = symbolMap(body);
        String suffix = body.optionalTextAllowEmpty("symbol_suffix", MAX_SUFFIX_LENGTH);
        if (suffix != null && !AlertSettings.isValidSuffix(suffix)) {
            throw ApiException.invalid("symbol_suffix",
                    "symbol_suffix must be empty or up to 8 letters, digits, '.', '_' or '-', such as .m");
        }
        return new AlertSettings(
                pyramiding != null ? pyramiding : current.pyramiding(),
                duplicateSeconds != null ? Duration.ofSeconds(duplicateSeconds) : current.duplicateWindow(),
                maxAgeSeconds != null ? Duration.ofSeconds(maxAgeSeconds) : current.maxSignalAge(),
                idempotencySeconds != null ? Duration.ofSeconds(idempotencySeconds) : current.idempotencyWindow(),
                symbolMap != null ? symbolMap : current.symbolMap(),
                suffix != null ? suffix : current.symbolSuffix());
    }

    /** Each entry held to the rules of AlertSettings.parseSymbolMap, so the ring never sees one it would refuse. */
    private static Map<String, String> symbolMap(JsonBody body) {
        Map<String, String> sent = body.optionalTextMap("symbol_map", MAX_SYMBOL_MAP_ENTRIES, MAX_SYMBOL_LENGTH);
        if (sent == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        sent.forEach((ticker, instrument) -> {
            Map<String, String> entry = AlertSettings.parseSymbolMap(List.of(ticker + "=" + instrument));
            if (entry == null) {
                throw ApiException.invalid("symbol_map", "symbol_map entry \"" + ticker + "\": \"" + instrument
                        + "\" is not two symbols of letters, digits and . _ : ! / - such as \"NQ1!\": \"MNQ\"");
            }
            map.putAll(entry);
        });
        return map;
    }

    static Map<String, Object> view(AlertSettings settings) {
        return Json.obj(
                "pyramiding", settings.pyramiding(),
                "duplicate_window_seconds", settings.duplicateWindow().toSeconds(),
                "max_signal_age_seconds", settings.maxSignalAge().toSeconds(),
                "idempotency_window_seconds", settings.idempotencyWindow().toSeconds(),
                "symbol_map", new TreeMap<>(settings.symbolMap()),
                "symbol_suffix", settings.symbolSuffix());
    }
}
