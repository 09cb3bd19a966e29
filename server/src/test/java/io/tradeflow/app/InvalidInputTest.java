package io.tradeflow.app;

import io.tradeflow.http.api.Route;
import io.tradeflow.persistence.dao.Role;
import io.tradeflow.persistence.dao.UserDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invalid input on every dashboard endpoint answers 400 with the field at fault, never a 500:
 * a table of bad requests per endpoint, and malformed JSON sent to every route that takes a body.
 */
class InvalidInputTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static ApiClient api;
    private static String user;
    private static String admin;
    private static long account;

    private record Case(String method, String path, String body, boolean asAdmin, String field) {
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of());
        api = new ApiClient(server.port());
        user = api.newUser("valid@test.local");
        account = api.post("/register/paper", null, user).body().path("account").path("id").asLong();
        api.newUser("boss@test.local");
        UserDao users = new UserDao(server.database().jdbi());
        users.setRole(users.findByEmail("boss@test.local").orElseThrow().id(), Role.ADMIN);
        admin = TwoFactor.admin(server, api, "boss@test.local");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Case c(String method, String path, String body, String field) {
        return new Case(method, path, body, false, field);
    }

    private static List<Case> cases() {
        String a = "/api/accounts/" + account;
        List<Case> cases = new ArrayList<>(List.of(
                c("POST", "/auth/signup", "{}", "email"),
                c("POST", "/auth/signup", "{\"email\":\"not-an-email\",\"password\":\"long enough\"}", "email"),
                c("POST", "/auth/signup", "{\"email\":\"new@test.local\"}", "password"),
                c("POST", "/auth/signup", "{\"email\":\"new@test.local\",\"password\":\"short\"}", "password"),
                c("POST", "/auth/signup", "{\"email\":\"new@test.local\",\"password\":\"long enough\",\"nickname\":\"x\"}", "nickname"),
                c("POST", "/auth/signup", "[1,2]", "body"),
                c("POST", "/auth/signup", "{\"email\":\"new@test.local\",\"password\":\"long enough\",\"plan\":\"gold\"}", "plan"),
                c("POST", "/auth/signup", "{\"email\":\"new@test.local\",\"password\":\"long enough\",\"name\":\"A\","
                        + "\"full_name\":\"B\"}", "full_name"),
                c("POST", "/auth/register", "{\"email\":\"new@test.local\",\"password\":\"long enough\",\"full_name\":7}",
                        "full_name"),
                c("PATCH", "/user/profile", "{}", "name"),
                c("PATCH", "/user/profile", "{\"name\":\"" + "x".repeat(101) + "\"}", "name"),
                c("PATCH", "/user/profile", "{\"email\":\"x@y.z\"}", "email"),
                c("POST", "/auth/change_password", "{\"new_password\":\"long enough\"}", "old_password"),
                c("POST", "/auth/change_password", "{\"old_password\":\"correct horse battery\",\"new_password\":\"short\"}",
                        "new_password"),
                c("POST", "/auth/change_password", "{\"old_password\":\"wrong password\",\"new_password\":\"long enough\"}",
                        "old_password"),
                c("POST", "/auth/login", "{\"password\":\"whatever1\"}", "email"),
                c("POST", "/auth/login", "{\"email\":\"valid@test.local\",\"password\":7}", "password"),
                c("POST", "/auth/refresh", "{}", "refresh_token"),
                c("POST", "/auth/refresh", "{\"refresh_token\":5}", "refresh_token"),
                c("POST", "/auth/logout", "{\"token\":\"x\"}", "token"),
                c("POST", "/auth/forgot_password", "{\"email\":\"not an address\"}", "email"),
                c("POST", "/auth/reset_password", "{\"token\":\"pr_x\",\"new_password\":\"short\"}", "new_password"),
                c("POST", "/auth/reset_password", "{\"token\":\"pr_x\",\"new_password\":\"NoDigitsHere\"}", "new_password"),
                c("POST", "/auth/reset_password", "{\"token\":\"pr_unknown\",\"new_password\":\"Good3nough\"}", "token"),
                c("POST", "/auth/verify_email", "{}", "token"),
                c("POST", "/auth/verify_email/resend", "{\"email\":\"x\"}", "email"),
                c("POST", "/auth/login/verify", "{\"challenge_token\":\"lc_x\"}", "code"),
                c("POST", "/auth/2fa/totp/setup", "{\"secret\":\"mine\"}", "secret"),
                c("POST", "/auth/2fa/totp/confirm", "{}", "code"),
                c("POST", "/auth/2fa/email/enable", "{\"to\":\"x\"}", "to"),
                c("POST", "/auth/2fa/disable", "{}", "password"),
                c("PUT", "/notifications/preferences", "{}", "preferences"),
                c("PUT", "/notifications/preferences", "{\"preferences\":{\"fills\":{}}}", "preferences.fills"),
                c("PUT", "/notifications/preferences", "{\"preferences\":{\"fill\":{\"email\":\"yes\"}}}", "preferences.fill.email"),
                c("POST", "/notifications/channels", "{\"url\":\"ftp://example.com/hook\"}", "url"),
                c("POST", "/notifications/channels", "{\"url\":\"http://10.0.0.1/hook\"}", "url"),
                c("POST", "/notifications/channels", "{\"label\":\"no url\"}", "url"),
                c("PATCH", "/notifications/channels/1", "{\"enabled\":\"yes\"}", "enabled"),
                c("PATCH", "/notifications/channels/abc", "{}", "id"),
                c("DELETE", "/notifications/channels/abc", null, "id"),
                c("POST", "/notifications/channels/abc/test", null, "id"),
                c("POST", "/notifications/email/test", "{\"to\":\"x\"}", "to"),
                c("GET", "/notifications/deliveries?status=lost", null, "status"),
                c("GET", "/notifications/deliveries?limit=0", null, "limit"),
                c("POST", "/register/binance", "{}", "broker"),
                c("POST", "/register/PAPER", "{}", "broker"),
                c("POST", "/register/paper", "{\"credentials\":{\"password\":\"x\"}}", "credentials.password"),
                c("POST", "/register/paper", "{\"label\":\"" + "x".repeat(101) + "\"}", "label"),
                c("POST", "/register/paper", "{\"label\":5}", "label"),
                c("POST", "/register/tradelocker", "{\"credentials\":{\"email\":\"a@b.c\",\"server\":\"S\",\"environment\":\"demo\"}}",
                        "credentials.password"),
                c("POST", "/register/tradelocker", "{\"credentials\":{\"email\":\"a@b.c\",\"password\":\"p\",\"server\":\"S\","
                        + "\"environment\":\"prod\"}}", "credentials.environment"),
                c("POST", "/register/projectx", "{\"credentials\":{\"username\":\"u\"}}", "credentials.api_key"),
                c("POST", "/register/mtx", "{\"credentials\":{\"account_number\":\"abc\",\"server\":\"S\",\"platform\":\"mt5\"}}",
                        "credentials.account_number"),
                c("POST", "/register/mtx", "{\"credentials\":\"secret\"}", "credentials"),
                c("POST", "/register/tradelocker", "{\"email\":\"a@b.c\",\"password\":\"p\",\"server\":\"S\",\"mode\":\"prod\"}",
                        "mode"),
                c("POST", "/register/tradelocker", "{\"email\":\"a@b.c\",\"password\":\"p\",\"server\":\"demo.tradelocker.com\"}",
                        "server"),
                c("POST", "/register/tradelocker", "{\"email\":\"a@b.c\",\"password\":\"p\",\"server\":\"live.tradelocker.com\","
                        + "\"mode\":\"demo\"}", "mode"),
                c("POST", "/register/tradelocker", "{\"email\":\"a@b.c\",\"username\":\"a\",\"password\":\"p\",\"server\":\"S\"}",
                        "username"),
                c("POST", "/register/topstep", "{\"username\":\"u\",\"password\":\"p\",\"api_key\":\"k\"}", "api_key"),
                c("POST", "/register/projectx", "{\"username\":\"u\"}", "password"),
                c("POST", "/register/mtx", "{\"username\":\"user123\",\"password\":\"p\",\"server\":\"S\"}", "username"),
                c("POST", "/register/mtx", "{\"username\":\"123\",\"platform\":\"mt6\"}", "platform"),
                c("POST", "/register/paper", "{\"mode\":\"live\"}", "mode"),
                c("GET", "/api/accounts/abc", null, "id"),
                c("GET", "/api/accounts/0/templates", null, "id"),
                c("PATCH", "/api/accounts/abc/toggle", "{}", "id"),
                c("PATCH", a + "/toggle", "{\"enabled\":\"yes\"}", "enabled"),
                c("POST", "/api/accounts/0/sync", null, "id"),
                c("POST", a + "/sync", "{\"deep\":true}", "deep"),
                c("DELETE", "/api/accounts/x", null, "id"),
                c("DELETE", a + "?force=maybe", null, "force"),
                c("POST", "/api/accounts/-1/api_key/regenerate", null, "id"),
                c("POST", a + "/api_key/regenerate", "{\"length\":10}", "length"),
                c("PUT", "/api/user/risk_config", "{\"max_quantity\":0}", "max_quantity"),
                c("PUT", "/api/user/risk_config", "{\"trading_hours\":\"25:00-26:00\"}", "trading_hours"),
                c("PUT", "/api/user/risk_config", "{\"trading_hours\":\"09:00-09:00\"}", "trading_hours"),
                c("PUT", "/api/user/risk_config", "{\"time_zone\":\"Mars/Base\"}", "time_zone"),
                c("PUT", "/api/user/risk_config", "{\"allowed_symbols\":\"EURUSD\"}", "allowed_symbols"),
                c("PUT", "/api/user/risk_config", "{\"rate_limit_window_seconds\":0}", "rate_limit_window_seconds"),
                c("PUT", "/api/user/risk_config", "{\"max_open_positions\":1.5}", "max_open_positions"),
                c("PUT", "/api/user/risk_config", "{\"max_leverage\":3}", "max_leverage"),
                c("PUT", a + "/risk_config", "{\"max_daily_loss\":-1}", "max_daily_loss"),
                c("PUT", a + "/risk_config", "{\"rate_limit_per_window\":\"many\"}", "rate_limit_per_window"),
                c("GET", "/api/accounts/abc/risk_config", null, "id"),
                c("PUT", a + "/allowed_sources", "{\"allowed_sources\":[\"10.0.0.0/33\"]}", "allowed_sources"),
                c("PUT", a + "/allowed_sources", "{\"allowed_sources\":[\"tradingview.com\"]}", "allowed_sources"),
                c("PUT", a + "/allowed_sources", "{\"allowed_sources\":\"10.0.0.0/8\"}", "allowed_sources"),
                c("PUT", a + "/allowed_sources", "{}", "allowed_sources"),
                c("PUT", a + "/allowed_sources", "{\"sources\":[]}", "sources"),
                c("GET", "/api/accounts/abc/allowed_sources", null, "id"),
                c("PUT", a + "/alert_settings", "{\"pyramiding\":0}", "pyramiding"),
                c("PUT", a + "/alert_settings", "{\"pyramiding\":101}", "pyramiding"),
                c("PUT", a + "/alert_settings", "{\"duplicate_window_seconds\":-1}", "duplicate_window_seconds"),
                c("PUT", a + "/alert_settings", "{\"max_signal_age_seconds\":1.5}", "max_signal_age_seconds"),
                c("PUT", a + "/alert_settings", "{\"idempotency_window_seconds\":0}", "idempotency_window_seconds"),
                c("PUT", a + "/alert_settings", "{\"symbol_map\":[\"NQ1!=MNQ\"]}", "symbol_map"),
                c("PUT", a + "/alert_settings", "{\"symbol_map\":{\"NQ1!\":\"M NQ\"}}", "symbol_map"),
                c("PUT", a + "/alert_settings", "{\"symbol_map\":{\"NQ1!\":7}}", "symbol_map"),
                c("PUT", a + "/alert_settings", "{\"symbol_suffix\":\"+m\"}", "symbol_suffix"),
                c("PUT", a + "/alert_settings", "{\"symbol_suffix\":\"toolongsuffix\"}", "symbol_suffix"),
                c("PUT", a + "/alert_settings", "{\"suffix\":\".m\"}", "suffix"),
                c("GET", "/api/accounts/abc/alert_settings", null, "id"),
                c("GET", "/api/positions?account_id=abc", null, "account_id"),
                c("GET", "/api/orders?limit=0", null, "limit"),
                c("GET", "/api/orders?offset=-1", null, "offset"),
                c("GET", "/api/orders?from=yesterday", null, "from"),
                c("GET", "/api/orders?from=2026-11-23T10:00:00Z&to=2026-11-22T10:00:00Z", null, "to"),
                c("GET", "/api/orders?status=open", null, "status"),
                c("GET", "/api/orders?account_id=1&account_id=2", null, "account_id"),
                c("POST", "/api/orders/close", "{\"symbol\":\"EURUSD\"}", "account_id"),
                c("POST", "/api/orders/close", "{\"account_id\":" + account + "}", "symbol"),
                c("POST", "/api/orders/close", "{\"account_id\":" + account + ",\"symbol\":\"EUR USD\"}", "symbol"),
                c("POST", "/api/orders/close", "{\"account_id\":\"first\",\"symbol\":\"EURUSD\"}", "account_id"),
                c("POST", "/api/user/emergency_stop", "{\"now\":true}", "now"),
                c("POST", "/api/user/emergency_stop/reset", "{\"x\":1}", "x"),
                c("GET", "/api/logs/webhooks?outcome=WHATEVER", null, "outcome"),
                c("GET", "/api/logs/webhooks?account_id=0", null, "account_id"),
                c("GET", "/metrics?time_range=2y", null, "time_range"),
                c("GET", "/reports/pnl?broker=binance", null, "broker"),
                c("GET", "/analytics/trades?time_range=forever", null, "time_range"),
                c("GET", "/analytics/strategies?broker=binance", null, "broker"),
                c("POST", "/billing/create-checkout-session", "{\"plan\":\"gold\"}", "plan"),
                c("POST", "/api/billing/create-checkout-session", "{}", "plan"),
                c("POST", "/billing/create-portal-session", "{\"x\":1}", "x"),
                c("POST", "/api/billing/create-portal-session", "{\"x\":1}", "x"),
                c("POST", "/billing/webhook", "{}", "Stripe-Signature"),
                c("POST", "/api/billing/webhook", "{}", "Stripe-Signature")));
        cases.add(new Case("GET", "/admin/users?limit=9999", null, true, "limit"));
        cases.add(new Case("GET", "/admin/accounts?offset=x", null, true, "offset"));
        cases.add(new Case("POST", "/admin/impersonate/abc", null, true, "user_id"));
        cases.add(new Case("POST", "/admin/users/abc/plan", "{\"plan\":\"pro\"}", true, "user_id"));
        cases.add(new Case("POST", "/admin/users/1/plan", "{\"plan\":\"gold\"}", true, "plan"));
        cases.add(new Case("POST", "/admin/users/abc/suspend", null, true, "user_id"));
        cases.add(new Case("POST", "/admin/users/abc/reactivate", null, true, "user_id"));
        return cases;
    }

    private static List<Case> allCases() {
        List<Case> cases = cases();
        cases.addAll(groupCases());
        cases.addAll(copyCases());
        return cases;
    }

    /** Copy trading's masters, subscriptions and protection events, and the EA's start/stop. */
    private static List<Case> copyCases() {
        return List.of(
                c("POST", "/masters", "{\"name\":\"M\"}", "account_id"),
                c("POST", "/masters", "{\"account_id\":" + account + "}", "name"),
                c("GET", "/masters/abc/followers", null, "id"),
                c("POST", "/subscriptions", "{\"account_ids\":[" + account + "]}", "master_id"),
                c("POST", "/subscriptions", "{\"master_id\":1}", "account_ids"),
                c("POST", "/subscriptions", "{\"master_id\":1,\"account_ids\":[" + account + "],\"sizing\":\"all\"}", "sizing"),
                c("GET", "/subscriptions/abc", null, "id"),
                c("POST", "/subscriptions/abc/pause", null, "id"),
                c("POST", "/subscriptions/abc/resume", null, "id"),
                c("DELETE", "/subscriptions/abc", null, "id"),
                c("POST", "/subscriptions/abc/license_token/regenerate", null, "id"),
                c("GET", "/protection-events?limit=0", null, "limit"),
                c("GET", "/protection-events/summary?source=broker", null, "source"),
                c("GET", "/api/accounts/abc/ea", null, "id"),
                c("POST", "/api/accounts/abc/ea/start", null, "id"),
                c("POST", "/api/accounts/abc/ea/stop", null, "id"));
    }

    /** Copy-trading groups: the master's, the member's and the admins' routes. */
    private static List<Case> groupCases() {
        List<Case> cases = new ArrayList<>(List.of(
                c("POST", "/groups", "{\"master_id\":1,\"name\":\"G\",\"fee_percent\":150}", "fee_percent"),
                c("POST", "/groups", "{\"master_id\":1,\"name\":\"G\",\"fee_percent\":1.234}", "fee_percent"),
                c("POST", "/groups", "{\"name\":\"G\",\"fee_percent\":10}", "master_id"),
                c("POST", "/groups", "{\"master_id\":1,\"fee_percent\":10}", "name"),
                c("POST", "/groups", "{\"master_id\":1,\"name\":\"G\"}", "fee_percent"),
                c("POST", "/groups/join", "{\"invite_code\":\"short\"}", "invite_code"),
                c("POST", "/groups/join", "{}", "invite_code"),
                c("POST", "/groups/join", "{\"invite_code\":\"ABCDEFGHJK\",\"alias\":\"<script>\"}", "alias"),
                c("GET", "/groups/abc", null, "id"),
                c("DELETE", "/groups/0", null, "id"),
                c("POST", "/groups/abc/invite_code/regenerate", null, "id"),
                c("DELETE", "/groups/abc/members/1", null, "id"),
                c("GET", "/groups/abc/settlement", null, "id"),
                c("POST", "/groups/abc/leave", null, "id")));
        cases.add(new Case("GET", "/admin/groups?limit=0", null, true, "limit"));
        cases.add(new Case("GET", "/admin/groups/abc", null, true, "group_id"));
        cases.add(new Case("DELETE", "/admin/groups/abc", null, true, "group_id"));
        cases.add(new Case("DELETE", "/admin/groups/abc/members/1", null, true, "group_id"));
        cases.add(new Case("GET", "/admin/groups/abc/settlement", null, true, "group_id"));
        return cases;
    }

    @Test
    void shouldAnswer400NamingTheFieldOnEveryEndpoint() {
        for (Case c : allCases()) {
            ApiClient.Answer answer = api.call(c.method(), c.path(), c.body(), c.asAdmin() ? admin : user);
            assertThat(answer.status()).as("%s %s %s → %s", c.method(), c.path(), c.body(), answer).isEqualTo(400);
            assertThat(answer.errorField()).as("%s %s %s", c.method(), c.path(), c.body()).isEqualTo(c.field());
            assertThat(answer.body().path("success").asBoolean(true)).isFalse();
        }
    }

    @Test
    void shouldHaveABadInputCaseForEveryRouteThatTakesInput() {
        List<String> covered = allCases().stream()
                .map(c -> c.method() + " " + c.path().replaceAll("\\?.*", "")).toList();
        for (Route route : server.dashboard().routes()) {
            if (route.template().equals("/openapi.json") || route.template().startsWith("/docs")
                    || route.template().endsWith("/user/profile") && route.method().equals("GET")
                    || route.template().endsWith("/auth/me") || route.template().endsWith("/auth/2fa")
                    || route.template().endsWith("/billing/usage") || route.template().endsWith("/notifications/channels")
                    && route.method().equals("GET")
                    || route.template().endsWith("/notifications/preferences") && route.method().equals("GET")
                    || route.template().endsWith("/billing/status")
                    || route.template().endsWith("/groups") && route.method().equals("GET") && !route.template().contains("/admin/")
                    || (route.template().endsWith("/masters") || route.template().endsWith("/subscriptions"))
                    && route.method().equals("GET")
                    // The EA's report is authenticated by its license token first (401 without one).
                    || route.template().endsWith("/protection-events") && route.method().equals("POST")
                    || route.template().endsWith("/user/brokers")
                    || route.template().endsWith("/admin/stats") || route.template().endsWith("/api/user/risk_config")
                    && route.method().equals("GET")) {
                continue; // no parameters and no body: nothing a client can get wrong
            }
            String pattern = route.method() + " " + route.template().substring(ApiClient.BASE.length())
                    .replaceAll("\\{[a-z_]+}", "[^/]+");
            assertThat(covered).as("a bad-input case for %s %s", route.method(), route.template())
                    .anyMatch(s -> s.matches(pattern));
        }
    }

    @Test
    void shouldAnswer400ToMalformedJsonOnEveryRouteWithABody() {
        for (Route route : server.dashboard().routes()) {
            if (route.method().equals("GET")) {
                continue;
            }
            String path = "!" + route.template().replace("{id}", Long.toString(account))
                    .replace("{broker}", "paper").replace("{user_id}", "1").replace("{group_id}", "1").replace("{member_id}", "1");
            boolean adminRoute = route.template().contains("/admin/");
            ApiClient.Answer answer = api.call(route.method(), path, "{\"unterminated", adminRoute ? admin : user);
            assertThat(answer.status()).as("%s %s → %s", route.method(), route.template(), answer).isEqualTo(400);
            assertThat(answer.errorField()).isEqualTo("body");
        }
    }

    @Test
    void shouldAnswerJson404And405ForUnknownRoutesAndMethods() {
        ApiClient.Answer unknown = api.get("/api/nothing", user);
        ApiClient.Answer wrongMethod = api.call("DELETE", "/api/positions", null, user);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.status()).isEqualTo(405);
    }
}
