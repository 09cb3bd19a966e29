package io.tradeflow.app;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.broker.stub.TradeLockerStub;
import io.tradeflow.broker.tradelocker.TradeLockerCredentials;
import io.tradeflow.config.PlanTier;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy trading over HTTP with real servers: one master alert reaches every active follower (paper
 * and a TradeLocker stub account) in the same ring event, sized by each subscription; a paused and an
 * over-limit follower get nothing and a protection event says why; the master's answer counts only;
 * every foreign id answers 404; a restart keeps masters, subscriptions, tokens and paused states.
 */
class CopyTradingEndToEndTest {
    @TempDir
    Path dataDir;

    private final TradeLockerStub tradeLocker = new TradeLockerStub();

    @AfterEach
    void stopStub() {
        tradeLocker.close();
    }

    private record Follower(String token, long accountId) {
    }

    private static Follower paperFollower(ApiClient api, String email) {
        String token = api.newUser(email);
        long accountId = api.post("/register/paper", null, token).body().path("account").path("id").asLong();
        return new Follower(token, accountId);
    }

    private static List<PositionRow> positions(Jdbi jdbi, long accountId) {
        return new PositionDao(jdbi).listOpenByAccount(accountId);
    }

    private static ApiClient.Answer subscribe(ApiClient api, Follower f, long masterId, String sizing) {
        ApiClient.Answer answer = api.post("/subscriptions", "{\"master_id\":" + masterId + ",\"account_ids\":["
                + f.accountId() + "]" + sizing + "}", f.token());
        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        return answer;
    }

    @Test
    void shouldCopyOneAlertToEveryActiveFollowerUnderItsOwnRulesAndKeepItAcrossARestart() throws Exception {
        // The operator's cap of 3 binds on the trial (no plan limit here); starter cannot lead, pro allows one follower.
        Map<String, String> config = Map.of("copy.max-followers-per-master", "3", "billing.plans.trial.copy-followers", "1000",
                "billing.plans.starter.copy-followers", "0", "billing.plans.pro.copy-followers", "1");
        String masterToken;
        String masterKey;
        long masterId;
        Follower doubled;
        Follower paused;
        Follower fixed;
        long pausedSubscription;
        String license;
        long brokerAccount;
        TradeLockerCredentials login = new TradeLockerCredentials(URI.create(tradeLocker.baseUri() + "/backend-api"),
                TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD, TradeLockerStub.SERVER, null);
        try (TradeFlowServer server = TestServers.start(dataDir, config)) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            Jdbi jdbi = server.database().jdbi();
            masterToken = api.newUser("master@test.local");
            ApiClient.Answer registered = api.post("/register/paper", null, masterToken);
            masterKey = registered.body().path("api_key").asText();
            long masterAccount = registered.body().path("account").path("id").asLong();
            ApiClient.Answer published = api.post("/masters", "{\"account_id\":" + masterAccount
                    + ",\"name\":\"London breakout\"}", masterToken);
            assertThat(published.status()).as("%s", published).isEqualTo(201);
            masterId = published.body().path("master_id").asLong();

            // Followers in subscription order: x2 multiplier, a TradeLocker stub account, paused, fixed 3 lots with a
            // symbol map, and one beyond the limit of 3 (the paused one does not count against it).
            doubled = paperFollower(api, "doubled@test.local");
            ApiClient.Answer first = subscribe(api, doubled, masterId, ",\"multiplier\":2");
            license = first.body().path("license_token").asText();
            assertThat(license).startsWith("tf_lic_");
            assertThat(first.body().path("message").asText()).contains("won't be shown again");
            assertThat(first.body().has("expires_at")).isTrue();

            String brokerToken = api.newUser("broker@test.local");
            long brokerUser = jdbi.withHandle(h -> h.createQuery("select id from users where email = 'broker@test.local'")
                    .mapTo(Long.class).one());
            brokerAccount = server.accounts().createBrokerAccount(brokerUser, BrokerKind.TRADELOCKER, "tradelocker", login);
            subscribe(api, new Follower(brokerToken, brokerAccount), masterId, "");

            paused = paperFollower(api, "paused@test.local");
            pausedSubscription = subscribe(api, paused, masterId, "").body().path("subscription_id").asLong();
            ApiClient.Answer pause = api.post("/subscriptions/" + pausedSubscription + "/pause", null, paused.token());
            assertThat(pause.body().path("status").asText()).isEqualTo("paused");

            fixed = paperFollower(api, "fixed@test.local");
            subscribe(api, fixed, masterId, ",\"sizing\":\"qty\",\"size_value\":3,\"symbol_map\":{\"EURUSD\":\"EURUSD.M\"}");
            Follower late = paperFollower(api, "late@test.local");
            subscribe(api, late, masterId, "");

            TestClient.Answer answer = alerts.alert(masterKey, buy("EURUSD", 1, 1.0849));

            assertThat(answer.status()).isEqualTo(200);
            JsonNode copy = answer.body().path("copy");
            assertThat(copy.path("followers_accepted").asInt()).isEqualTo(3);
            assertThat(copy.path("followers_refused").asInt()).isEqualTo(2);
            assertThat(copy.path("refused_by_reason").path("ACCOUNT_DISABLED").asInt()).isEqualTo(1);
            assertThat(copy.path("refused_by_reason").path("RISK_REJECTED").asInt()).isEqualTo(1);
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            assertThat(names).as("counts only").containsExactly("followers_accepted", "followers_refused", "refused_by_reason");
            assertThat(answer.raw().body()).doesNotContain("@test.local").doesNotContain("account");

            await().atMost(Duration.ofSeconds(10)).until(() -> positions(jdbi, doubled.accountId()).size() == 1
                    && positions(jdbi, fixed.accountId()).size() == 1);
            assertThat(positions(jdbi, doubled.accountId())).singleElement()
                    .satisfies(p -> assertThat(p.quantity()).isEqualTo(2.0));
            assertThat(positions(jdbi, fixed.accountId())).singleElement().satisfies(p -> {
                assertThat(p.symbol()).isEqualTo("EURUSD.M");
                assertThat(p.quantity()).isEqualTo(3.0);
            });
            String tag = "tf-" + brokerAccount + "-";
            await().atMost(Duration.ofSeconds(10)).until(() -> tradeLocker.orders().stream()
                    .anyMatch(o -> String.valueOf(o.get("strategyId")).startsWith(tag)));
            assertThat(positions(jdbi, paused.accountId())).isEmpty();
            assertThat(positions(jdbi, late.accountId())).isEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    api.get("/protection-events", paused.token()).body().path("total").asInt() == 1
                            && api.get("/protection-events", late.token()).body().path("total").asInt() == 1);
            JsonNode pausedEvent = api.get("/protection-events", paused.token()).body().path("events").get(0);
            assertThat(pausedEvent.path("source").asText()).isEqualTo("router");
            assertThat(pausedEvent.path("reason").asText()).isEqualTo("ACCOUNT_DISABLED/subscription");
            assertThat(pausedEvent.path("account_id").asLong()).isEqualTo(paused.accountId());
            assertThat(api.get("/protection-events", late.token()).body().path("events").get(0).path("reason").asText())
                    .isEqualTo("RISK_REJECTED/max_followers");
            assertThat(api.get("/protection-events", doubled.token()).body().path("total").asInt()).isZero();

            // The EA reports a refusal of its own with the license token; a wrong token is refused.
            ApiClient.Answer reported = api.post("/protection-events", "{\"reason\":\"spread_too_wide\",\"symbol\":\"EURUSD\","
                    + "\"details\":\"spread 4.2 pips\",\"account_id\":" + doubled.accountId() + "}", license);
            assertThat(reported.status()).as("%s", reported).isEqualTo(201);
            assertThat(api.post("/protection-events", "{\"reason\":\"x\"}", "tf_lic_wrong").status()).isEqualTo(401);
            assertThat(api.post("/protection-events", "{\"reason\":\"x\"}", null).status()).isEqualTo(401);
            JsonNode summary = api.get("/protection-events/summary", doubled.token()).body();
            assertThat(summary.path("total").asInt()).isEqualTo(1);
            assertThat(summary.path("by_reason").path("spread_too_wide").asInt()).isEqualTo(1);
            assertThat(summary.path("by_account").path(String.valueOf(doubled.accountId())).asInt()).isEqualTo(1);
            assertThat(summary.path("by_day").size()).isEqualTo(1);
            assertThat(api.get("/protection-events?source=ea&limit=1", doubled.token()).body().path("events")).hasSize(1);
            assertThat(api.get("/protection-events?source=router", doubled.token()).body().path("total").asInt()).isZero();

            // The master sees aliases and counts, never its followers' accounts or emails.
            ApiClient.Answer followers = api.get("/masters/" + masterId + "/followers", masterToken);
            assertThat(followers.status()).isEqualTo(200);
            assertThat(followers.body().path("followers_total").asInt()).isEqualTo(5);
            assertThat(followers.body().path("followers_active").asInt()).isEqualTo(4);
            assertThat(followers.raw()).doesNotContain("@test.local").doesNotContain("account_id")
                    .contains("follower-" + pausedSubscription);
            // A master's webhook log holds its own alert only, not its followers' copies.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    api.get("/api/logs/webhooks", doubled.token()).body().path("total").asInt() == 1);
            assertThat(api.get("/api/logs/webhooks", masterToken).body().path("total").asInt()).isEqualTo(1);
        }

        try (TradeFlowServer server = TestServers.start(dataDir, config)) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            Jdbi jdbi = server.database().jdbi();

            assertThat(api.get("/subscriptions/" + pausedSubscription, paused.token()).body().path("status").asText())
                    .isEqualTo("paused");
            // As in BrokerRestartTest: this test's broker account logs in again by hand after the restart.
            server.accounts().connectBrokerAccount(brokerAccount, login);
            TestClient.Answer again = alerts.alert(masterKey, buy("EURUSD", 1, 1.0851));
            assertThat(again.body().path("copy").path("followers_accepted").asInt())
                    .as("the router restored the links: %s", again.body()).isEqualTo(3);
            assertThat(again.body().path("copy").path("refused_by_reason").path("ACCOUNT_DISABLED").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> positions(jdbi, doubled.accountId()).size() == 1
                    && positions(jdbi, doubled.accountId()).get(0).quantity() == 4.0);
            assertThat(api.post("/protection-events", "{\"reason\":\"restart\"}", license).status())
                    .as("the license token survives the restart").isEqualTo(201);

            assertThat(api.post("/subscriptions/" + pausedSubscription + "/resume", null, paused.token())
                    .body().path("status").asText()).isEqualTo("active");
            assertThat(alerts.alert(masterKey, buy("EURUSD", 1, 1.0852)).body().path("copy").path("followers_refused")
                    .asInt()).as("resumed: it takes the 3rd place, the 4th and 5th are beyond the limit").isEqualTo(2);
            await().atMost(Duration.ofSeconds(10)).until(() -> positions(jdbi, paused.accountId()).size() == 1);

            ApiClient.Answer cancelled = api.call("DELETE", "/subscriptions/" + pausedSubscription, null, paused.token());
            assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
            assertThat(alerts.alert(masterKey, buy("EURUSD", 1, 1.0853)).body().path("copy").path("followers_refused")
                    .asInt()).as("cancelled: its link is gone, only the 5th is beyond the limit").isEqualTo(1);

            followersByThePlan(server, api, alerts, masterKey, doubled, fixed);
        }
    }

    /** The limit follows the master's plan (PLAN_CHANGED in the ring): starter cannot lead, pro allows one. */
    private static void followersByThePlan(TradeFlowServer server, ApiClient api, TestClient alerts, String masterKey,
                                           Follower doubled, Follower fixed) {
        Jdbi jdbi = server.database().jdbi();
        long masterUser = jdbi.withHandle(h -> h.createQuery("select id from users where email = 'master@test.local'")
                .mapTo(Long.class).one());
        server.billing().changePlan(masterUser, PlanTier.STARTER, false, null);
        JsonNode none = alerts.alert(masterKey, buy("EURUSD", 1, 1.0854)).body();
        assertThat(none.path("copy").path("followers_accepted").asInt()).as("%s", none).isZero();
        assertThat(none.path("copy").path("refused_by_reason").path("RISK_REJECTED").asInt()).isEqualTo(4);
        server.billing().changePlan(masterUser, PlanTier.PRO, false, null);
        JsonNode one = alerts.alert(masterKey, buy("EURUSD", 1, 1.0855)).body();
        assertThat(one.path("copy").path("followers_accepted").asInt()).as("%s", one).isEqualTo(1);
        assertThat(one.path("copy").path("followers_refused").asInt()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> positions(jdbi, doubled.accountId()).get(0).quantity() == 10.0);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/protection-events?source=router", fixed.token()).body().path("total").asInt() == 3);
        assertThat(api.get("/protection-events?source=router", fixed.token()).body().path("events").get(0)
                .path("reason").asText()).isEqualTo("RISK_REJECTED/max_followers");
    }

    /** Every copy-trading route with another user's id answers 404, as for an id that does not exist. */
    @Test
    void shouldAnswer404ForAnotherUsersIdsOnEveryRoute() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            Follower owner = paperFollower(api, "owner@test.local");
            Follower stranger = paperFollower(api, "stranger@test.local");
            Follower master = paperFollower(api, "m@test.local");
            long masterId = api.post("/masters", "{\"account_id\":" + master.accountId() + ",\"name\":\"M\"}", master.token())
                    .body().path("master_id").asLong();
            ApiClient.Answer subscribed = subscribe(api, owner, masterId, "");
            long subscription = subscribed.body().path("subscription_id").asLong();
            String oldToken = subscribed.body().path("license_token").asText();
            // An unpublished master of another user does not exist for a follower; neither does another's account.
            long strangerMaster = api.post("/masters", "{\"account_id\":" + stranger.accountId() + ",\"name\":\"S\"}",
                    stranger.token()).body().path("master_id").asLong();

            List<String> failures = new ArrayList<>();
            check(failures, api.get("/subscriptions/" + subscription, stranger.token()), "GET subscription");
            check(failures, api.post("/subscriptions/" + subscription + "/pause", null, stranger.token()), "pause");
            check(failures, api.post("/subscriptions/" + subscription + "/resume", null, stranger.token()), "resume");
            check(failures, api.call("DELETE", "/subscriptions/" + subscription, null, stranger.token()), "DELETE");
            check(failures, api.get("/masters/" + masterId + "/followers", stranger.token()), "followers");
            check(failures, api.get("/masters/" + masterId + "/followers", owner.token()), "followers (as a follower)");
            check(failures, api.post("/masters", "{\"account_id\":" + owner.accountId() + ",\"name\":\"X\"}",
                    stranger.token()), "publish another's account");
            check(failures, api.post("/subscriptions", "{\"master_id\":" + masterId + ",\"account_ids\":["
                    + owner.accountId() + "]}", stranger.token()), "subscribe another's account");
            check(failures, api.get("/protection-events?account_id=" + owner.accountId(), stranger.token()), "events filter");
            check(failures, api.get("/protection-events?subscription_id=" + subscription, stranger.token()),
                    "events subscription filter");
            check(failures, api.get("/protection-events/summary?account_id=" + owner.accountId(), stranger.token()),
                    "summary filter");
            check(failures, api.get("/subscriptions/999999", owner.token()), "missing subscription");
            check(failures, api.post("/subscriptions/" + subscription + "/license_token/regenerate", null, stranger.token()),
                    "regenerate");
            assertThat(failures).isEmpty();
            assertThat(api.get("/subscriptions", stranger.token()).body().path("subscriptions")).isEmpty();
            assertThat(api.get("/subscriptions/" + subscription, owner.token()).status()).isEqualTo(200);

            // A new license token replaces the old one at once.
            String firstToken = api.get("/subscriptions/" + subscription, owner.token()).body().path("license_token").asText();
            assertThat(firstToken).as("never shown again").isEmpty();
            String fresh = api.post("/subscriptions/" + subscription + "/license_token/regenerate", null, owner.token())
                    .body().path("license_token").asText();
            assertThat(fresh).startsWith("tf_lic_");
            assertThat(api.post("/protection-events", "{\"reason\":\"x\"}", fresh).status()).isEqualTo(201);
            assertThat(api.post("/protection-events", "{\"reason\":\"x\"}", oldToken).status()).isEqualTo(401);

            // The stranger's master is published: it is listed without its account; a self-follow is refused.
            JsonNode masters = api.get("/masters", owner.token()).body().path("masters");
            assertThat(masters).hasSize(2);
            masters.forEach(m -> assertThat(m.has("account_id")).isFalse());
            ApiClient.Answer selfFollow = api.post("/subscriptions", "{\"master_id\":" + strangerMaster + ",\"account_ids\":["
                    + stranger.accountId() + "]}", stranger.token());
            assertThat(selfFollow.status()).isEqualTo(409);
            assertThat(selfFollow.errorField()).isEqualTo("account_ids");
            ApiClient.Answer bad = api.post("/subscriptions", "{\"master_id\":" + masterId + ",\"account_ids\":["
                    + owner.accountId() + "],\"sizing\":\"qty\"}", owner.token());
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.errorField()).isEqualTo("size_value");
        }
    }

    private static void check(List<String> failures, ApiClient.Answer answer, String what) {
        if (answer.status() != 404) {
            failures.add(what + " answered " + answer.status() + " " + answer.raw());
        }
    }
}
