package io.tradeflow.app;

import io.tradeflow.http.api.Access;
import io.tradeflow.http.api.Route;
import io.tradeflow.persistence.dao.Role;
import io.tradeflow.persistence.dao.UserDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what: every route that takes an id, called by another user, answers 404 and changes
 * nothing; every non-public route answers 401 without a token; every admin route answers 403 to a
 * user (and to an impersonation token); admins see everyone and every admin action is audited.
 */
class OwnershipMatrixTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static ApiClient api;
    private static TestClient alerts;
    private static String ownerToken;
    private static String ownerKey;
    private static long ownerAccount;
    private static long ownerUserId;
    private static String intruderToken;
    private static String adminToken;
    private static long adminId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of());
        api = new ApiClient(server.port());
        alerts = new TestClient(server.port());
        ownerToken = api.newUser("owner@test.local");
        ApiClient.Answer registered = api.post("/register/paper", null, ownerToken);
        ownerKey = registered.body().path("api_key").asText();
        ownerAccount = registered.body().path("account").path("id").asLong();
        ownerUserId = api.get("/user/profile", ownerToken).body().path("id").asLong();
        assertThat(alerts.alert(ownerKey, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        intruderToken = api.newUser("intruder@test.local");
        api.post("/register/paper", null, intruderToken);

        api.newUser("admin@test.local");
        UserDao users = new UserDao(server.database().jdbi());
        adminId = users.findByEmail("admin@test.local").orElseThrow().id();
        users.setRole(adminId, Role.ADMIN);
        adminToken = api.post("/auth/login", "{\"email\":\"admin@test.local\",\"password\":\"correct horse battery\"}", null)
                .body().path("access_token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The owner's resources as another user would address them: method, path, body. */
    private static List<String[]> idRoutes() {
        String a = Long.toString(ownerAccount);
        return List.of(
                new String[] {"GET", "/api/accounts/" + a, null},
                new String[] {"GET", "/api/accounts/" + a + "/templates", null},
                new String[] {"PATCH", "/api/accounts/" + a + "/toggle", "{\"enabled\":false}"},
                new String[] {"POST", "/api/accounts/" + a + "/sync", null},
                new String[] {"DELETE", "/api/accounts/" + a + "?force=true", null},
                new String[] {"POST", "/api/accounts/" + a + "/api_key/regenerate", null},
                new String[] {"GET", "/api/accounts/" + a + "/risk_config", null},
                new String[] {"PUT", "/api/accounts/" + a + "/risk_config", "{\"max_quantity\":0.5}"},
                new String[] {"GET", "/api/accounts/" + a + "/allowed_sources", null},
                new String[] {"PUT", "/api/accounts/" + a + "/allowed_sources", "{\"allowed_sources\":[\"10.0.0.0/8\"]}"},
                new String[] {"GET", "/api/accounts/" + a + "/alert_settings", null},
                new String[] {"PUT", "/api/accounts/" + a + "/alert_settings", "{\"pyramiding\":1}"},
                new String[] {"GET", "/api/positions?account_id=" + a, null},
                new String[] {"GET", "/api/orders?account_id=" + a, null},
                new String[] {"GET", "/api/logs/webhooks?account_id=" + a, null},
                new String[] {"POST", "/api/orders/close", "{\"account_id\":" + a + ",\"symbol\":\"EURUSD\"}"});
    }

    @Test
    void shouldAnswer404ToAnotherUsersIdsAndChangeNothing() {
        for (String[] call : idRoutes()) {
            ApiClient.Answer answer = api.call(call[0], call[1], call[2], intruderToken);
            assertThat(answer.status()).as("%s %s → %s", call[0], call[1], answer).isEqualTo(404);
            assertThat(answer.errorCode()).isEqualTo("NOT_FOUND");
        }
        assertThat(api.get("/api/positions?with_accounts=true", ownerToken).body().path("positions")).hasSize(1);
        assertThat(alerts.alert(ownerKey, buy("EURUSD", 1, 1.1)).status()).as("key, switch, limits, sources and alert settings (pyramiding 1 would refuse this second buy) untouched")
                .isEqualTo(200);
    }

    @Test
    void shouldCoverEveryRouteThatTakesAnId() {
        List<String> templates = server.dashboard().routes().stream()
                .filter(r -> r.template().contains("{id}"))
                .map(r -> r.method() + " " + r.template().replace("{id}", Long.toString(ownerAccount)))
                .toList();
        List<String> covered = idRoutes().stream()
                .map(c -> c[0] + " " + ApiClient.BASE + c[1].replaceAll("\\?.*", "")).toList();
        assertThat(covered).containsAll(templates);
    }

    @Test
    void shouldAnswer401WithoutATokenOnEveryNonPublicRoute() {
        for (Route route : server.dashboard().routes()) {
            if (route.access() == Access.PUBLIC) {
                continue;
            }
            String path = "!" + route.template().replace("{id}", Long.toString(ownerAccount))
                    .replace("{user_id}", Long.toString(ownerUserId)).replace("{broker}", "paper");
            ApiClient.Answer anonymous = api.call(route.method(), path, null, null);
            assertThat(anonymous.status()).as("%s %s", route.method(), route.template()).isEqualTo(401);
            ApiClient.Answer forged = api.call(route.method(), path, null, ownerToken + "x");
            assertThat(forged.status()).as("tampered token on %s", route.template()).isEqualTo(401);
        }
    }

    @Test
    void shouldAnswer403ToUsersAndImpersonatorsOnAdminRoutes() {
        String impersonation = api.post("/admin/impersonate/" + ownerUserId, null, adminToken)
                .body().path("access_token").asText();
        List<Route> adminRoutes = server.dashboard().routes().stream().filter(r -> r.access() == Access.ADMIN).toList();
        assertThat(adminRoutes).hasSize(7);
        for (Route route : adminRoutes) {
            String path = "!" + route.template().replace("{user_id}", Long.toString(ownerUserId));
            assertThat(api.call(route.method(), path, null, ownerToken).status()).as(route.template()).isEqualTo(403);
            assertThat(api.call(route.method(), path, null, impersonation).status()).as(route.template()).isEqualTo(403);
        }
    }

    @Test
    void shouldLetAdminsSeeEverythingAndAuditIt() {
        ApiClient.Answer users = api.get("/admin/users", adminToken);
        ApiClient.Answer accounts = api.get("/admin/accounts", adminToken);
        ApiClient.Answer stats = api.get("/admin/stats", adminToken);
        ApiClient.Answer impersonated = api.post("/admin/impersonate/" + ownerUserId, null, adminToken);

        assertThat(users.body().path("total").asLong()).isEqualTo(3);
        assertThat(accounts.raw()).contains(ownerKey.substring(0, 8) + "…").doesNotContain(ownerKey);
        assertThat(stats.body().path("activeUsers").asLong()).isPositive();
        assertThat(api.get("/metrics", adminToken).body().has("activeUsers")).isTrue();
        String token = impersonated.body().path("access_token").asText();
        ApiClient.Answer profile = api.get("/user/profile", token);
        assertThat(profile.body().path("email").asText()).isEqualTo("owner@test.local");
        assertThat(profile.body().path("impersonated_by").asLong()).isEqualTo(adminId);
        assertThat(api.get("/api/accounts/" + ownerAccount + "/risk_config", adminToken).status()).isEqualTo(200);
        assertThat(api.post("/admin/impersonate/999999", null, adminToken).status()).isEqualTo(404);
        List<String> audited = server.database().jdbi().withHandle(h -> h.createQuery(
                        "select action from admin_audit where admin_user_id = :id").bind("id", adminId)
                .mapTo(String.class).list());
        assertThat(audited).contains("list_users", "list_accounts", "view_stats", "impersonate");
    }
}
