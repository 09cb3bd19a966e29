package io.tradeflow.http.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.service.account.AccountService;
import io.tradeflow.broker.api.AccountSnapshot;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.PositionDao;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Broker accounts: register, list, toggle, sync, delete, regenerate the API key. */
public final class AccountRoutes implements RouteSource {
    private static final int MAX_LABEL = 100;

    private final AccountService service;
    private final AccountDao accounts;
    private final ApiKeyDao keys;
    private final PositionDao positions;
    private final Ownership ownership;
    private final AccountMoney money;
    private final String tradeLockerServer;

    private io.tradeflow.service.billing.BillingService billing;

    public AccountRoutes(AccountService service, AccountDao accounts, ApiKeyDao keys, PositionDao positions) {
        this(service, accounts, keys, positions, Map.of(), 0, "");
    }

    /**
     * @param instruments       the instrument table (a paper account's open P&amp;L in its equity)
     * @param startingBalance   a paper account's balance before any P&amp;L
     * @param tradeLockerServer the TradeLocker server name for registrations that name only the environment ("" none)
     */
    public AccountRoutes(AccountService service, AccountDao accounts, ApiKeyDao keys, PositionDao positions,
                         Map<String, InstrumentSpec> instruments, double startingBalance, String tradeLockerServer) {
        this.service = service;
        this.accounts = accounts;
        this.keys = keys;
        this.positions = positions;
        this.ownership = new Ownership(accounts);
        this.money = new AccountMoney(service, positions, instruments, startingBalance);
        this.tradeLockerServer = tradeLockerServer;
    }

    /** Enforces the plan's broker-account count and allowed brokers on registration. */
    public AccountRoutes withPlanLimits(io.tradeflow.service.billing.BillingService billing) {
        this.billing = billing;
        return this;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE;
        return List.of(
                new Route("POST", base + "/register/{broker}", Access.USER, this::register),
                new Route("GET", base + "/api/user/brokers", Access.USER, this::list),
                new Route("GET", base + "/api/accounts/{id}", Access.USER, this::detail),
                new Route("PATCH", base + "/api/accounts/{id}/toggle", Access.USER, this::toggle),
                new Route("POST", base + "/api/accounts/{id}/sync", Access.USER, this::sync),
                new Route("DELETE", base + "/api/accounts/{id}", Access.USER, this::delete),
                new Route("POST", base + "/api/accounts/{id}/api_key/regenerate", Access.USER, this::regenerate));
    }

    /**
     * Registers an account from either shape: today's {@code {label, credentials: {...}}}, or the
     * product documents' flat bodies {@code {email, password, server, mode}} and
     * {@code {username, password, server}} (see {@link BrokerCredentials#flat}). {@code topstep}
     * is ProjectX. The answer keeps today's fields and adds the documents' ({@code success},
     * {@code id}/{@code accountId}, {@code broker}, {@code email}, {@code server}, {@code mode},
     * {@code status}, {@code balance}, {@code equity}, {@code api_key}/{@code apiKey}, {@code message}).
     */
    private ApiResponse register(ApiRequest request, Caller caller) {
        BrokerKind broker = BrokerKind.fromWireName(request.pathParam("broker"));
        if (broker == null || !(broker.wireName().equals(request.pathParam("broker"))
                || broker.alias().equals(request.pathParam("broker")))) {
            throw ApiException.invalid("broker", "broker must be one of paper, tradelocker, projectx (or topstep), mtx");
        }
        JsonBody body = request.body();
        String flatField = null;
        for (String field : BrokerCredentials.FLAT_FIELDS) {
            if (body.has(field)) {
                flatField = field;
                break;
            }
        }
        ObjectNode credentials;
        if (body.has("credentials") && flatField != null) {
            throw ApiException.invalid(flatField, "send the credentials in credentials or at the top level, not both");
        } else if (body.has("credentials") || (flatField == null && broker != BrokerKind.PAPER)) {
            body.allowOnly(Set.of("label", "credentials"));
            credentials = BrokerCredentials.validate(broker, body.object("credentials"));
        } else {
            credentials = BrokerCredentials.flat(broker, body, tradeLockerServer);
        }
        String label = body.optionalText("label", MAX_LABEL);
        if (billing != null) {
            try {
                billing.checkNewAccount(caller.userId(), broker.wireName(), accounts.listByUser(caller.userId()).size());
            } catch (io.tradeflow.service.billing.BillingException e) {
                throw new ApiException(e.status(), e.code(), e.field(), e.getMessage());
            }
        }
        AccountService.Registration registered;
        try {
            registered = service.register(caller.userId(), broker,
                    label != null ? label : broker.wireName() + " account", credentials.deepCopy());
        } catch (BrokerException e) {
            throw BrokerFailures.login(broker, e);
        }
        if (broker == BrokerKind.PAPER) {
            // Paper has no credentials; the mode it was registered in is what the answer reports.
            credentials.put("environment", "demo");
        }
        AccountRow account = accounts.findById(registered.accountId()).orElseThrow();
        Map<String, Object> answer = Json.obj(
                "account", view(account),
                "api_key", registered.apiKey(),
                "api_key_notice", "store this key now: it is shown only once",
                "webhook_url", webhookUrl(request, registered.apiKey()),
                "alert_message", alertMessage());
        if (broker != BrokerKind.PAPER) {
            // register() returns only after the broker accepted the login. A MetaTrader account has no login to
            // check: its EA proves it by connecting with the license token (then the account shows connected).
            answer.put("credentials_verified", broker != BrokerKind.MTX);
        }
        if (registered.licenseToken() != null) {
            answer.put("license_token", registered.licenseToken());
            answer.put("license_token_notice", "paste this token into the TradeFlow EA's inputs; keep it secret");
        }
        Map<String, Object> worth = money.money(account, true);
        answer.put("success", true);
        answer.put("id", account.id());
        answer.put("accountId", account.id());
        answer.put("broker", broker.wireName());
        answer.put("email", text(credentials, broker == BrokerKind.TRADELOCKER ? "email" : "username"));
        // As sent (a host name such as demo.tradelocker.com stays one), else the server logged in to.
        answer.put("server", flatField != null && body.has("server") ? body.optionalText("server", 256)
                : text(credentials, "server"));
        answer.put("mode", text(credentials, "environment"));
        answer.put("status", money.status(account));
        answer.put("balance", worth.get("balance"));
        answer.put("equity", worth.get("equity"));
        answer.put("apiKey", registered.apiKey());
        answer.put("message", broker == BrokerKind.MTX
                ? "account registered: run the TradeFlow EA with the license token to connect it"
                : "broker connected successfully");
        return ApiResponse.created(answer);
    }

    private static String text(ObjectNode credentials, String field) {
        return credentials.hasNonNull(field) && !credentials.get(field).asText().isEmpty()
                ? credentials.get(field).asText() : null;
    }

    private ApiResponse detail(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        return ApiResponse.ok(view(account, true));
    }

    private ApiResponse list(ApiRequest request, Caller caller) {
        return ApiResponse.ok(Json.obj("accounts",
                accounts.listByUser(caller.userId()).stream().map(this::view).toList()));
    }

    private ApiResponse toggle(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        Boolean wanted = request.body().allowOnly(Set.of("enabled")).optionalBoolean("enabled");
        boolean enabled = wanted != null ? wanted : !account.enabled();
        service.setEnabled(account.id(), enabled);
        return ApiResponse.ok(Json.obj("id", account.id(), "enabled", enabled));
    }

    private ApiResponse sync(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        request.body().allowOnly(Set.of());
        if (account.broker() != BrokerKind.PAPER) {
            return brokerSync(account);
        }
        // The paper broker lives inside the router: its positions are the router's own, with no cash balance.
        return ApiResponse.ok(Json.obj(
                "account_id", account.id(),
                "broker", account.broker().wireName(),
                "balance", null,
                "positions", positions.listOpenByAccount(account.id()).stream().map(TradingRoutes::position).toList(),
                "synced_at", Instant.now()));
    }

    private ApiResponse brokerSync(AccountRow account) {
        AccountService.BrokerSync synced;
        try {
            synced = service.syncFromBroker(account.id()).orElseThrow(() -> BrokerFailures.notConnected(account.broker()));
        } catch (BrokerException e) {
            throw BrokerFailures.call(account.broker(), e);
        }
        AccountSnapshot money = synced.account();
        return ApiResponse.ok(Json.obj(
                "account_id", account.id(),
                "broker", account.broker().wireName(),
                "broker_account_id", money.brokerAccountId(),
                "currency", money.currency(),
                "balance", money.balance(),
                "equity", money.equity(),
                "positions", synced.positions().stream().map(p -> position(account.id(), p)).toList(),
                "synced_at", Instant.now()));
    }

    /** A broker position in the shape of the router's own (see TradingRoutes), plus the broker's position id. */
    private static Map<String, Object> position(long accountId, BrokerPosition p) {
        return Json.obj(
                "account_id", accountId,
                "symbol", p.symbol(),
                "side", p.quantity() > 0 ? "long" : "short",
                "quantity", Math.abs(p.quantity()),
                "average_price", p.averagePrice(),
                "broker_position_id", p.positionId());
    }

    private ApiResponse delete(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        request.body().allowOnly(Set.of());
        boolean force = request.queryFlag("force");
        if (service.delete(account.id(), force) == AccountService.Deletion.OPEN_POSITIONS) {
            throw ApiException.conflict("OPEN_POSITIONS", "force",
                    "the account has open positions: close them first, or delete with ?force=true to close them");
        }
        return ApiResponse.ok(Json.obj("id", account.id(), "deleted", true));
    }

    private ApiResponse regenerate(ApiRequest request, Caller caller) {
        AccountRow account = ownership.account(request.pathId("id"), caller);
        request.body().allowOnly(Set.of());
        String key = service.regenerateKey(account.id());
        return ApiResponse.ok(Json.obj(
                "account_id", account.id(),
                "api_key", key,
                "api_key_notice", "store this key now: it is shown only once; the previous key no longer works",
                "webhook_url", webhookUrl(request, key)));
    }

    private Map<String, Object> view(AccountRow account) {
        return view(account, false);
    }

    /**
     * An account as the list, the detail and the registration show it, with the documents'
     * {@code status}, {@code balance} and {@code equity}; {@code askBroker} reads a real broker's
     * balance now when it never reported one (the detail view), else it is the last known (or null).
     */
    private Map<String, Object> view(AccountRow account, boolean askBroker) {
        Map<String, Object> view = Json.obj(
                "id", account.id(),
                "broker", account.broker().wireName(),
                "label", account.label(),
                "enabled", account.enabled(),
                "connected", service.isConnected(account),
                "created_at", account.createdAt(),
                "api_keys", keys.activeByAccount(account.id()).stream()
                        .map(k -> Json.obj("prefix", k.keyPrefix() + "…", "created_at", k.createdAt()))
                        .toList());
        view.put("status", money.status(account));
        view.putAll(money.money(account, askBroker));
        // Positions the broker and the router disagree on (the last reconciliation of each symbol).
        List<io.tradeflow.broker.gateway.Reconciler.Drift> drifts = service.drifts(account);
        if (!drifts.isEmpty()) {
            view.put("drift", drifts.stream().map(d -> Json.obj(
                    "symbol", d.symbol(),
                    "broker_quantity", d.brokerQuantity(),
                    "router_quantity", d.routerQuantity(),
                    "checked_at", java.time.Instant.ofEpochMilli(d.atMillis()))).toList());
        }
        // Orders the broker's answer left in doubt and it has not listed yet: the trader must check them.
        List<String> unknown = service.ordersWithUnknownOutcome(account);
        if (!unknown.isEmpty()) {
            view.put("orders_outcome_unknown", unknown);
        }
        // How the broker login stands: retrying (the broker was down) or refused (register the credentials again).
        service.loginState(account).ifPresent(login -> view.put("login", Json.obj(
                "state", login.status().name().toLowerCase(java.util.Locale.ROOT),
                "reason", login.reason(),
                "failed_attempts", login.attempts(),
                "next_attempt_at", login.nextAttemptAtMillis() == 0 ? null
                        : java.time.Instant.ofEpochMilli(login.nextAttemptAtMillis()))));
        return view;
    }

    private static String webhookUrl(ApiRequest request, String key) {
        return request.baseUrl() + "/api/unify/v1/webhook?key=" + key;
    }

    /** A ready TradingView alert message (placeholders are TradingView's). */
    static String alertMessage() {
        return "{\"version\":\"unify.v1\",\"id\":\"{{ticker}}-{{timenow}}\",\"ts\":\"{{timenow}}\","
                + "\"intent\":{\"action\":\"open\",\"side\":\"{{strategy.order.action}}\",\"type\":\"market\","
                + "\"symbol\":\"{{ticker}}\",\"qty\":\"{{strategy.order.contracts}}\",\"price\":\"{{close}}\"}}";
    }
}
