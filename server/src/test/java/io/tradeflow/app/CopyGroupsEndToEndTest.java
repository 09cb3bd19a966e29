package io.tradeflow.app;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.config.PlanTier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy-trading groups over HTTP with a real server and embedded PostgreSQL: a master creates a group
 * with a fee rate, members join with the invite code and leave, the master removes members; the
 * settlement report gives each member's net realised profit on the orders copied from the master and
 * the fee owed, with aliases only; admins (two-factor) manage every group; a restart keeps it all.
 */
class CopyGroupsEndToEndTest {
    @TempDir
    Path dataDir;

    private static long userId(Jdbi jdbi, String email) {
        return jdbi.withHandle(h -> h.createQuery("select id from users where email = :e").bind("e", email)
                .mapTo(Long.class).one());
    }

    /** Net realised P&L (P&L - commissions) of the account's filled orders, straight from the orders table. */
    private static double net(Jdbi jdbi, long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select coalesce(sum(realized_pnl - commission), 0) from orders"
                + " where account_id = :a and status = 'filled'").bind("a", accountId).mapTo(Double.class).one());
    }

    @Test
    void shouldRunAGroupWithInviteCodesMembersAndASettlementThatSurvivesARestart() throws Exception {
        String masterToken;
        long groupId;
        long aliceMember;
        String aliceToken;
        long aliceAccount;
        double expectedNet;
        Instant from = Instant.now().minusSeconds(60);
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            Jdbi jdbi = server.database().jdbi();
            masterToken = api.newUser("master@test.local");
            ApiClient.Answer registered = api.post("/register/paper", null, masterToken);
            String masterKey = registered.body().path("api_key").asText();
            long masterAccount = registered.body().path("account").path("id").asLong();
            // Pro may lead (10 followers); the trial may not (copy-followers 0).
            server.billing().changePlan(userId(jdbi, "master@test.local"), PlanTier.PRO, false, null);
            long masterId = api.post("/masters", "{\"account_id\":" + masterAccount + ",\"name\":\"London breakout\"}",
                    masterToken).body().path("master_id").asLong();

            // Bad input names the field; another user's master is 404.
            assertThat(api.post("/groups", "{\"master_id\":" + masterId + ",\"name\":\"G\",\"fee_percent\":150}", masterToken)
                    .errorField()).isEqualTo("fee_percent");
            assertThat(api.post("/groups", "{\"master_id\":" + masterId + ",\"name\":\"G\",\"fee_percent\":12.345}",
                    masterToken).errorField()).isEqualTo("fee_percent");
            assertThat(api.post("/groups", "{\"master_id\":" + masterId + ",\"fee_percent\":20}", masterToken).errorField())
                    .isEqualTo("name");
            assertThat(api.post("/groups", "{\"master_id\":" + masterId + ",\"name\":\"G\",\"fee_percent\":20,\"x\":1}",
                    masterToken).status()).isEqualTo(400);
            String strangerToken = api.newUser("stranger@test.local");
            assertThat(api.post("/groups", "{\"master_id\":" + masterId + ",\"name\":\"G\",\"fee_percent\":20}",
                    strangerToken).status()).isEqualTo(404);

            ApiClient.Answer created = api.post("/groups", "{\"master_id\":" + masterId + ",\"name\":\"VIP\",\"fee_percent\":20}",
                    masterToken);
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            groupId = created.body().path("group_id").asLong();
            String code = created.body().path("invite_code").asText();
            assertThat(code).hasSize(10);
            assertThat(created.body().path("invite_url").asText()).endsWith("/#/copy?join=" + code);

            // Members join with the code (case-insensitive); the master cannot join its own group; nobody twice.
            aliceToken = api.newUser("alice@test.local");
            aliceAccount = api.post("/register/paper", null, aliceToken).body().path("account").path("id").asLong();
            assertThat(api.post("/groups/join", "{\"invite_code\":\"short\"}", aliceToken).errorField()).isEqualTo("invite_code");
            assertThat(api.post("/groups/join", "{\"invite_code\":\"ZZZZZZZZZZ\"}", aliceToken).status()).isEqualTo(404);
            assertThat(api.post("/groups/join", "{\"invite_code\":\"" + code + "\",\"alias\":\"<b>\"}", aliceToken).errorField())
                    .isEqualTo("alias");
            ApiClient.Answer joined = api.post("/groups/join", "{\"invite_code\":\"" + code.toLowerCase() + "\",\"alias\":\"Alice\"}",
                    aliceToken);
            assertThat(joined.status()).as("%s", joined).isEqualTo(201);
            aliceMember = joined.body().path("member_id").asLong();
            assertThat(joined.body().path("master_id").asLong()).isEqualTo(masterId);
            assertThat(joined.body().has("invite_code")).as("members do not get the code").isFalse();
            assertThat(api.post("/groups/join", "{\"invite_code\":\"" + code + "\"}", aliceToken).errorCode())
                    .isEqualTo("ALREADY_MEMBER");
            assertThat(api.post("/groups/join", "{\"invite_code\":\"" + code + "\"}", masterToken).errorCode())
                    .isEqualTo("OWN_GROUP");
            String bobToken = api.newUser("bob@test.local");
            long bobMember = api.post("/groups/join", "{\"invite_code\":\"" + code + "\"}", bobToken).body()
                    .path("member_id").asLong();
            String carolToken = api.newUser("carol@test.local");
            long carolMember = api.post("/groups/join", "{\"invite_code\":\"" + code + "\"}", carolToken).body()
                    .path("member_id").asLong();

            // Alice follows the master x2; the master opens and closes at a profit; her copies book the P&L.
            assertThat(api.post("/subscriptions", "{\"master_id\":" + masterId + ",\"account_ids\":[" + aliceAccount
                    + "],\"multiplier\":2}", aliceToken).status()).isEqualTo(201);
            assertThat(alerts.alert(masterKey, buy("EURUSD", 1, 1.1000)).body().path("copy").path("followers_accepted").asInt())
                    .isEqualTo(1);
            assertThat(alerts.alert(masterKey, close("EURUSD", 1, 1.1050)).body().path("copy").path("followers_accepted")
                    .asInt()).isEqualTo(1);
            long account = aliceAccount;
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbi.withHandle(h -> h.createQuery(
                    "select count(*) from orders o join copy_orders c on c.order_id = o.id and c.account_id = o.account_id"
                            + " where o.account_id = :a and o.status = 'filled'").bind("a", account).mapTo(Integer.class).one()) == 2);
            expectedNet = Math.round(net(jdbi, aliceAccount) * 100.0) / 100.0;
            assertThat(expectedNet).as("a profitable round trip").isPositive();

            // Bob leaves, Carol is removed; the stranger sees nothing of the group.
            assertThat(api.post("/groups/" + groupId + "/leave", null, bobToken).body().path("status").asText()).isEqualTo("left");
            assertThat(api.post("/groups/" + groupId + "/leave", null, bobToken).status()).isEqualTo(404);
            ApiClient.Answer removed = api.call("DELETE", "/groups/" + groupId + "/members/" + carolMember, null, masterToken);
            assertThat(removed.body().path("status").asText()).isEqualTo("removed");
            assertThat(api.call("DELETE", "/groups/" + groupId + "/members/" + carolMember, null, masterToken).errorCode())
                    .isEqualTo("NOT_A_MEMBER");
            assertThat(api.get("/groups/" + groupId + "/settlement", strangerToken).status()).isEqualTo(404);
            assertThat(api.get("/groups/" + groupId + "/settlement", aliceToken).status()).as("members see no report").isEqualTo(404);
            assertThat(api.get("/groups/" + groupId + "/settlement?from=yesterday", masterToken).errorField()).isEqualTo("from");
            assertThat(api.get("/groups/" + groupId + "/settlement?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
                    masterToken).errorField()).isEqualTo("to");

            JsonNode report = settlement(api, masterToken, groupId, from);
            assertReport(report, aliceMember, bobMember, expectedNet);

            // A new code replaces the old one at once.
            String fresh = api.post("/groups/" + groupId + "/invite_code/regenerate", null, masterToken).body()
                    .path("invite_code").asText();
            assertThat(fresh).isNotEqualTo(code);
            assertThat(api.post("/groups/join", "{\"invite_code\":\"" + code + "\"}", strangerToken).status()).isEqualTo(404);

            // Admins (two-factor session) see and manage every group.
            String admin = TwoFactor.admin(server, api, "stranger@test.local");
            JsonNode all = api.get("/admin/groups", admin).body();
            assertThat(all.path("total").asInt()).isEqualTo(1);
            assertThat(api.get("/admin/groups/" + groupId + "/settlement?from=" + from, admin).body().path("fees").asDouble())
                    .isEqualTo(report.path("fees").asDouble());
        }

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            JsonNode group = api.get("/groups/" + groupId, masterToken).body();
            assertThat(group.path("members_active").asInt()).as("restart keeps the group and its members").isEqualTo(1);
            assertThat(group.path("members")).hasSize(3);
            assertThat(group.path("members").get(0).path("alias").asText()).isEqualTo("Alice");
            assertReport(settlement(api, masterToken, groupId, from), aliceMember, 0, expectedNet);
            JsonNode mine = api.get("/groups", aliceToken).body().path("memberships");
            assertThat(mine).hasSize(1);
            assertThat(mine.get(0).path("group_name").asText()).isEqualTo("VIP");

            // Closing ends every membership; the code stops working.
            JsonNode closed = api.call("DELETE", "/groups/" + groupId, null, masterToken).body();
            assertThat(closed.path("status").asText()).isEqualTo("closed");
            assertThat(closed.path("invite_code").isNull()).isTrue();
            assertThat(api.get("/groups", aliceToken).body().path("memberships").get(0).path("status").asText())
                    .isEqualTo("removed");
        }
    }

    private static JsonNode settlement(ApiClient api, String token, long groupId, Instant from) {
        ApiClient.Answer answer = api.get("/groups/" + groupId + "/settlement?from=" + from + "&to="
                + Instant.now().plusSeconds(60), token);
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.raw()).as("aliases only").doesNotContain("@test.local").doesNotContain("account_id")
                .doesNotContain("user_id");
        return answer.body();
    }

    /** Alice's net profit and 20 % of it; members without copied orders (Bob) owe nothing. */
    private static void assertReport(JsonNode report, long aliceMember, long bobMember, double expectedNet) {
        assertThat(report.path("fee_percent").asDouble()).isEqualTo(20.0);
        assertThat(report.path("members")).hasSize(3);
        JsonNode alice = report.path("members").get(0);
        assertThat(alice.path("member_id").asLong()).isEqualTo(aliceMember);
        assertThat(alice.path("alias").asText()).isEqualTo("Alice");
        assertThat(alice.path("orders").asInt()).isEqualTo(2);
        assertThat(alice.path("net_profit").asDouble()).isEqualTo(expectedNet);
        assertThat(alice.path("fee").asDouble()).isEqualTo(Math.round(expectedNet * 20.0) / 100.0);
        if (bobMember != 0) {
            assertThat(report.path("members").get(1).path("member_id").asLong()).isEqualTo(bobMember);
        }
        assertThat(report.path("members").get(1).path("fee").asDouble()).isZero();
        assertThat(report.path("fees").asDouble()).isEqualTo(alice.path("fee").asDouble());
        assertThat(report.path("net_profit").asDouble()).isEqualTo(expectedNet);
    }
}
