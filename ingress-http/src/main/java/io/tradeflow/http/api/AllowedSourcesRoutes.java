package io.tradeflow.http.api;

import io.tradeflow.service.account.AccountService;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The addresses an account's alerts may come from (e.g. TradingView's published senders). An
 * empty list accepts any address. A PUT replaces the whole list; it reaches the router as a
 * SOURCE_ALLOWLIST control event and applies from the next alert on.
 */
public final class AllowedSourcesRoutes implements RouteSource {
    private static final String FIELD = "allowed_sources";
    /** Enough for every sender a trader could name; bounds the per-alert scan on the ring thread. */
    private static final int MAX_BLOCKS = 100;
    /** The longest IPv6 literal (45 characters) plus a prefix. */
    private static final int MAX_BLOCK_LENGTH = 49;

    private final AccountService service;
    private final Ownership ownership;

    public AllowedSourcesRoutes(AccountService service, AccountDao accounts) {
        this.service = service;
        this.ownership = new Ownership(accounts);
    }

    @Override
    public List<Route> routes() {
        String path = DashboardApi.BASE + "/api/accounts/{id}/allowed_sources";
        return List.of(
                new Route("GET", path, Access.USER, this::get),
                new Route("PUT", path, Access.USER, this::put));
    }

    private ApiResponse get(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        return ApiResponse.ok(view(service.allowedSources(account.id())));
    }

    private ApiResponse put(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        List<CidrBlock> blocks = parse(request.body());
        service.setAllowedSources(account.id(), blocks);
        return ApiResponse.ok(view(blocks));
    }

    /** The body's list, every entry a literal address or CIDR block (host names are refused: no DNS lookups). */
    static List<CidrBlock> parse(JsonBody body) {
        body.allowOnly(Set.of(FIELD));
        List<String> texts = body.optionalTextList(FIELD, MAX_BLOCKS, MAX_BLOCK_LENGTH);
        if (texts == null) {
            throw ApiException.invalid(FIELD, FIELD + " is required: a list of IP addresses or CIDR blocks, [] for any");
        }
        List<CidrBlock> blocks = new ArrayList<>(texts.size());
        for (String text : texts) {
            blocks.add(CidrBlock.parse(text).orElseThrow(() -> ApiException.invalid(FIELD,
                    FIELD + " holds \"" + text + "\", which is not an IP address or CIDR block like 52.89.214.238 or 10.0.0.0/8")));
        }
        return blocks;
    }

    static Map<String, Object> view(List<CidrBlock> blocks) {
        return Json.obj(FIELD, blocks.stream().map(CidrBlock::notation).toList());
    }
}
