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
    /** Copy trading: the owner's master (on its account) and its subscription to another user's master. */
    private static long ownerMaster;
    private static long ownerSubscription;
    /** Groups: the owner's group of its master, and the other master's user as its member. */
    private static long ownerGroup;
    private static long ownerGroupMember;
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
        ownerMaster = api.post("/masters", "{\"account_id\":" + ownerAccount + ",\"name\":\"Owner\"}", ownerToken)
                .body().path("master_id").asLong();
        String otherToken = api.newUser("other-master@test.local");
        long otherAccount = api.post("/register/paper", null, otherToken).body().path("account").path("id").asLong();
        long otherMaster = api.post("/masters", "{\"account_id\":" + otherAccount + ",\"name\":\"Other\"}", otherToken)
                .body().path("master_id").asLong();
        long ownerSecond = api.post("/register/paper", null, ownerToken).body().path("account").path("id").asLong();
        ownerSubscription = api.post("/subscriptions", "{\"master_id\":" + otherMaster + ",\"account_ids\":[" + ownerSecond
                + "]}", ownerToken).body().path("subscription_id").asLong();
        ApiClient.Answer group = api.post("/groups", "{\"master_id\":" + ownerMaster + ",\"name\":\"Owner's group\","
                + "\"fee_percent\":20}", ownerToken);
        ownerGroup = group.body().path("group_id").asLong();
        ownerGroupMember = api.post("/groups/join", "{\"invite_code\":\"" + group.body().path("invite_code").asText() + "\"}",
                otherToken).body().path("member_id").asLong();
        intruderToken = api.newUser("intruder@test.local");
        api.post("/register/paper", null, intruderToken);

        api.newUser("admin@test.local");
        UserDao users = new UserDao(server.database().jdbi());
        adminId = users.findByEmail("admin@test.local").orElseThrow().id();
        users.setRole(adminId, Role.ADMIN);
        // Admin routes need a two-factor session: the admin enrols an authenticator (the answer is such a session).
        adminToken = TwoFactor.admin(server, api, "admin@test.local");
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
                new String[] {"POST", "/api/orders/close", "{\"account_id\":" + a + ",\"symbol\":\"EURUSD\"}"},
                // Notification channels by the same number (the coverage check below substitutes it); the
                // owner's real channel is checked in shouldKeepNotificationChannelsToTheirOwner.
                new String[] {"PATCH", "/notifications/channels/" + a, "{\"label\":\"mine now\"}"},
                new String[] {"POST", "/notifications/channels/" + a + "/test", null},
                new String[] {"DELETE", "/notifications/channels/" + a, null},
                new String[] {"GET", "/api/accounts/" + a + "/ea", null},
                new String[] {"POST", "/api/accounts/" + a + "/ea/start", null},
                new String[] {"POST", "/api/accounts/" + a + "/ea/stop", null},
                new String[] {"GET", "/masters/" + ownerMaster + "/followers", null},
                new String[] {"GET", "/subscriptions/" + ownerSubscription, null},
                new String[] {"POST", "/subscriptions/" + ownerSubscription + "/pause", null},
                new String[] {"POST", "/subscriptions/" + ownerSubscription + "/resume", null},
                new String[] {"POST", "/subscriptions/" + ownerSubscription + "/license_token/regenerate", null},
                new String[] {"DELETE", "/subscriptions/" + ownerSubscription, null},
                new String[] {"GET", "/protection-events?account_id=" + a, null},
                new String[] {"GET", "/protection-events/summary?subscription_id=" + ownerSubscription, null},
                new String[] {"GET", "/groups/" + ownerGroup, null},
                new String[] {"POST", "/groups/" + ownerGroup + "/invite_code/regenerate", null},
                new String[] {"DELETE", "/groups/" + ownerGroup + "/members/" + ownerGroupMember, null},
                new String[] {"GET", "/groups/" + ownerGroup + "/settlement", null},
                new String[] {"POST", "/groups/" + ownerGroup + "/leave", null},
                new String[] {"DELETE", "/groups/" + ownerGroup, null});
    }

    @Test
    void shouldKeepNotificationChannelsToTheirOwner() {
        ApiClient.Answer created = api.post("/notifications/channels",
                "{\"label\":\"owner hook\",\"url\":\"https://hooks.example.com/owner\"}", ownerToken);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long channel = created.body().path("channel").path("id").asLong();
        for (String[] call : List.of(new String[] {"PATCH", "/notifications/channels/" + channel, "{\"enabled\":false}"},
                new String[] {"POST", "/notifications/channels/" + channel + "/test", null},
                new String[] {"DELETE", "/notifications/channels/" + channel, null})) {
            ApiClient.Answer answer = api.call(call[0], call[1], call[2], intruderToken);
            assertThat(answer.status()).as("%s %s → %s", call[0], call[1], answer).isEqualTo(404);
        }
        assertThat(api.get("/notifications/channels", intruderToken).body().path("channels")).isEmpty();
        ApiClient.Answer mine = api.get("/notifications/channels", ownerToken);
        assertThat(mine.body().path("channels")).hasSize(1);
        assertThat(mine.body().path("channels").get(0).path("enabled").asBoolean()).isTrue();
        assertThat(mine.raw()).doesNotContain(created.body().path("secret").asText());
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
                .map(r -> r.method() + " " + r.template())
                .toList();
        // Ids differ by resource (accounts, masters, subscriptions): compare with the id segments as {id}.
        List<String> covered = idRoutes().stream()
                .map(c -> c[0] + " " + ApiClient.BASE + c[1].replaceAll("\\?.*", "").replaceAll("/[0-9]+(?=/|$)", "/{id}")
                        .replace("/members/{id}", "/members/{member_id}"))
                .toList();
        assertThat(covered).containsAll(templates);
    }

    @Test
    void shouldAnswer401WithoutATokenOnEveryNonPublicRoute() {
        for (Route route : server.dashboard().routes()) {
            if (route.access() == Access.PUBLIC) {
                continue;
            }
            String path = "!" + route.template().replace("{id}", Long.toString(ownerAccount))
                    .replace("{user_id}", Long.toString(ownerUserId)).replace("{broker}", "paper")
                    .replace("{group_id}", Long.toString(ownerGroup)).replace("{member_id}", Long.toString(ownerGroupMember));
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
        assertThat(adminRoutes).hasSize(12);
        for (Route route : adminRoutes) {
            String path = "!" + route.template().replace("{user_id}", Long.toString(ownerUserId))
                    .replace("{group_id}", Long.toString(ownerGroup)).replace("{member_id}", Long.toString(ownerGroupMember));
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

        assertThat(users.body().path("total").asLong()).as("owner, the other master, intruder, admin").isEqualTo(4);
        assertThat(accounts.raw()).contains(ownerKey.substring(0, 8) + "…").doesNotContain(ownerKey);
        assertThat(stats.body().path("activeUsers").asLong()).isPositive();
        assertThat(api.get("/metrics", adminToken).body().has("activeUsers")).isTrue();
        String token = impersonated.body().path("access_token").asText();
        ApiClient.Answer profile = api.get("/user/profile", token);
        assertThat(profile.body().path("email").asText()).isEqualTo("owner@test.local");
        assertThat(profile.body().path("impersonated_by").asLong()).isEqualTo(adminId);
        assertThat(api.get("/api/accounts/" + ownerAccount + "/risk_config", adminToken).status()).isEqualTo(200);
        assertThat(api.post("/admin/impersonate/999999", null, adminToken).status()).isEqualTo(404);
        // Admins manage every group: listed with its owner, its members by alias; audited.
        ApiClient.Answer groups = api.get("/admin/groups", adminToken);
        assertThat(groups.body().path("groups").get(0).path("user_id").asLong()).isEqualTo(ownerUserId);
        ApiClient.Answer group = api.get("/admin/groups/" + ownerGroup, adminToken);
        assertThat(group.body().path("members").get(0).path("alias").asText()).startsWith("member-");
        assertThat(group.raw()).doesNotContain("@test.local");
        assertThat(api.get("/admin/groups/999999", adminToken).status()).isEqualTo(404);
        List<String> audited = server.database().jdbi().withHandle(h -> h.createQuery(
                        "select action from admin_audit where admin_user_id = :id").bind("id", adminId)
                .mapTo(String.class).list());
        assertThat(audited).contains("list_users", "list_accounts", "view_stats", "impersonate", "list_groups", "view_group");
    }
}
