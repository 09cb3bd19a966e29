package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.stub.TradeLockerStub;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard journey over HTTP against the real server (Netty, ring, journal, embedded
 * PostgreSQL), and afterwards a scan of every text column of every table (and of the journal
 * files) for any secret the journey handed out or sent in.
 */
class DashboardJourneyTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static ApiClient api;
    private static TestClient alerts;
    private static Jdbi jdbi;
    private static TradeLockerStub tradeLocker;
    private static ProjectXStub projectX;
    /** Every secret seen in clear during the tests: none may be stored anywhere. */
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws Exception {
        tradeLocker = new TradeLockerStub();
        projectX = new ProjectXStub();
        server = TestServers.start(dataDir, Map.of(
                "brokers.tradelocker-demo-url", tradeLocker.baseUri() + "/backend-api",
                "brokers.projectx-url", projectX.baseUri().toString()));
        api = new ApiClient(server.port());
        alerts = new TestClient(server.port());
        jdbi = server.database().jdbi();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        tradeLocker.close();
        projectX.close();
    }

    private static String loginToken(String email, String password) {
        ApiClient.Answer login = api.post("/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        assertThat(login.status()).as("%s", login).isEqualTo(200);
        SECRETS.add(login.body().path("refresh_token").asText());
        return login.body().path("access_token").asText();
    }

    private static String registerPaper(String token) {
        ApiClient.Answer registered = api.post("/register/paper", "{\"label\":\"my paper\"}", token);
        assertThat(registered.status()).as("%s", registered).isEqualTo(201);
        String key = registered.body().path("api_key").asText();
        SECRETS.add(key);
        return key;
    }

    private static void assertAccepted(TestClient.Answer answer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).as("%s", answer).isEqualTo("accepted");
    }

    private static JsonNode awaitPositions(String token, int count) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("/api/positions?with_accounts=true", token).body().path("positions"), p -> p.size() == count);
    }

    @Test
    void shouldDriveTheWholeJourneyOverHttp() {
        String password = "journey password 1";
        SECRETS.add(password);
        ApiClient.Answer signup = api.signUp("journey@test.local", password);
        assertThat(signup.status()).as("%s", signup).isEqualTo(201);
        assertThat(signup.body().path("user").path("plan").asText()).isEqualTo("trial");
        SECRETS.add(signup.body().path("refresh_token").asText());
        String token = loginToken("journey@test.local", password);

        ApiClient.Answer registered = api.post("/register/paper", "{\"label\":\"my paper\"}", token);
        assertThat(registered.status()).as("%s", registered).isEqualTo(201);
        String key = registered.body().path("api_key").asText();
        SECRETS.add(key);
        long accountId = registered.body().path("account").path("id").asLong();
        assertThat(key).startsWith("tf_");
        assertThat(registered.body().path("webhook_url").asText()).endsWith("/api/unify/v1/webhook?key=" + key);
        assertThat(registered.body().path("alert_message").asText()).contains("\"version\":\"unify.v1\"");
        assertThat(api.get("/api/user/brokers", token).body().path("accounts").get(0).path("api_keys").get(0)
                .path("prefix").asText()).isEqualTo(key.substring(0, 8) + "…");

        assertThat(alerts.alert(key, buy("ACMEUSD", 2, 1.10)).status()).isEqualTo(200);
        TestClient.Answer partialExit = alerts.alert(key, TestClient.order("close", "sell", "ACMEUSD", 1, 1.12));
        assertThat(partialExit.status()).isEqualTo(200);

        JsonNode position = awaitPositions(token, 1).get(0);
        assertThat(position.path("symbol").asText()).isEqualTo("ACMEUSD");
        assertThat(position.path("side").asText()).isEqualTo("long");
        assertThat(position.path("quantity").asDouble()).isEqualTo(1.0);
        assertThat(position.path("account_id").asLong()).isEqualTo(accountId);

        JsonNode orders = api.get("/api/orders?account_id=" + accountId, token).body();
        assertThat(orders.path("total").asLong()).isEqualTo(2);
        assertThat(orders.path("orders").get(0).path("side").asText()).isEqualTo("sell");
        assertThat(orders.path("orders").get(0).path("realized_pnl").asDouble()).isCloseTo(0.02, within(1e-9));

        JsonNode log = api.get("/api/logs/webhooks?outcome=ACCEPTED", token).body();
        assertThat(log.path("total").asLong()).isEqualTo(2);
        JsonNode latest = log.path("entries").get(0);
        assertThat(latest.path("intent_id").asText()).isEqualTo(partialExit.body().path("intent_id").asText());
        assertThat(latest.path("summary").asText()).contains("close sell 1.0 ACMEUSD @ 1.12");
        assertThat(latest.path("order_id").asText()).isEqualTo(partialExit.body().path("order_id").asText());
        assertThat(latest.has("latency_us")).isTrue();

        JsonNode pnl = api.get("/reports/pnl?time_range=1d", token).body();
        assertThat(pnl.path("total").path("net").asDouble()).isCloseTo(0.02, within(1e-9));
        assertThat(pnl.path("daily")).hasSize(1);
        assertThat(pnl.path("daily").get(0).path("date").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        JsonNode metrics = api.get("/metrics", token).body();
        assertThat(metrics.path("totalTrades").asLong()).isEqualTo(2);
        assertThat(metrics.path("winRate").asDouble()).as("a percentage").isEqualTo(100.0);
        assertThat(metrics.has("activeUsers")).isFalse();

        ApiClient.Answer off = api.call("PATCH", "/api/accounts/" + accountId + "/toggle", "{\"enabled\":false}", token);
        assertThat(off.body().path("enabled").asBoolean()).isFalse();
        TestClient.Answer refused = alerts.alert(key, buy("ACMEUSD", 1, 1.11));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("ACCOUNT_DISABLED");

        ApiClient.Answer stop = api.post("/api/user/emergency_stop", null, token);
        assertThat(stop.status()).as("%s", stop).isEqualTo(200);
        assertThat(stop.body().path("closed")).hasSize(1);
        assertThat(stop.body().path("closed").get(0).path("symbol").asText()).isEqualTo("ACMEUSD");
        assertThat(api.get("/api/positions?with_accounts=true", token).body().path("positions")).isEmpty();
        assertThat(api.get("/user/profile", token).body().path("emergency_stop").asBoolean()).isTrue();
        api.call("PATCH", "/api/accounts/" + accountId + "/toggle", "{\"enabled\":true}", token);
        TestClient.Answer blocked = alerts.alert(key, buy("ACMEUSD", 1, 1.11));
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.body().path("error").path("rule").asText()).isEqualTo("emergency_stop");
        assertThat(api.post("/api/user/emergency_stop/reset", null, token).status()).isEqualTo(200);

        ApiClient.Answer regenerated = api.post("/api/accounts/" + accountId + "/api_key/regenerate", null, token);
        String newKey = regenerated.body().path("api_key").asText();
        SECRETS.add(newKey);
        assertThat(newKey).isNotEqualTo(key).startsWith("tf_");
        TestClient.Answer oldKey = alerts.alert(key, buy("ACMEUSD", 1, 1.11));
        assertThat(oldKey.status()).isEqualTo(401);
        TestClient.Answer fresh = alerts.alert(newKey, buy("ACMEUSD", 1, 1.11));
        assertThat(fresh.status()).as("%s", fresh.body()).isEqualTo(200);
    }

    @Test
    void shouldApplyAnAccountRiskConfigFromTheNextAlert() {
        String token = api.newUser("risk@test.local");
        String key = registerPaper(token);
        long accountId = api.get("/api/user/brokers", token).body().path("accounts").get(0).path("id").asLong();

        ApiClient.Answer put = api.call("PUT", "/api/accounts/" + accountId + "/risk_config",
                "{\"max_quantity\":5,\"allowed_symbols\":[\"acmeusd\"]}", token);

        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(put.body().path("allowed_symbols").get(0).asText()).isEqualTo("ACMEUSD");
        assertThat(api.get("/api/accounts/" + accountId + "/risk_config", token).body().path("max_quantity").asDouble())
                .isEqualTo(5);
        TestClient.Answer tooBig = alerts.alert(key, buy("ACMEUSD", 6, 1.1));
        assertThat(tooBig.status()).isEqualTo(403);
        assertThat(tooBig.body().path("error").path("rule").asText()).isEqualTo("max_quantity");
        assertThat(alerts.alert(key, buy("GBPUSD", 1, 1.3)).body().path("error").path("rule").asText())
                .isEqualTo("allowed_symbols");
        assertThat(alerts.alert(key, buy("ACMEUSD", 5, 1.1)).status()).isEqualTo(200);
    }

    @Test
    void shouldApplyTheUserRiskConfigToEveryAccountIncludingLaterOnes() {
        String token = api.newUser("userrisk@test.local");
        String first = registerPaper(token);

        ApiClient.Answer put = api.call("PUT", "/api/user/risk_config", "{\"max_open_positions\":1}", token);
        String second = registerPaper(token);

        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(api.get("/api/user/risk_config", token).body().path("max_open_positions").asInt()).isEqualTo(1);
        for (String key : List.of(first, second)) {
            assertThat(alerts.alert(key, buy("ACMEUSD", 1, 1.1)).status()).isEqualTo(200);
            assertThat(alerts.alert(key, buy("BETAUSD", 1, 2000)).body().path("error").path("rule").asText())
                    .isEqualTo("max_open_positions");
        }
    }

    @Test
    void shouldRefuseToDeleteAnAccountWithOpenPositionsUnlessForced() {
        String token = api.newUser("delete@test.local");
        String key = registerPaper(token);
        long accountId = api.get("/api/user/brokers", token).body().path("accounts").get(0).path("id").asLong();
        assertAccepted(alerts.alert(key, buy("BETAUSD", 1, 2000)));
        awaitPositions(token, 1);

        ApiClient.Answer refused = api.call("DELETE", "/api/accounts/" + accountId, null, token);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorField()).isEqualTo("force");
        assertThat(alerts.alert(key, buy("BETAUSD", 1, 2001)).status()).as("still enabled after a refused delete")
                .isEqualTo(200);

        ApiClient.Answer deleted = api.call("DELETE", "/api/accounts/" + accountId + "?force=true", null, token);

        assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
        assertThat(api.get("/api/positions?with_accounts=true", token).body().path("positions")).isEmpty();
        assertThat(api.get("/api/user/brokers", token).body().path("accounts")).isEmpty();
        assertThat(alerts.alert(key, buy("BETAUSD", 1, 2000)).status()).isEqualTo(401);
        assertThat(api.get("/api/orders", token).body().path("total").asLong()).as("history stays").isEqualTo(3);
    }

    @Test
    void shouldCloseOnePositionFromTheDashboard() {
        String token = api.newUser("close@test.local");
        String key = registerPaper(token);
        long accountId = api.get("/api/user/brokers", token).body().path("accounts").get(0).path("id").asLong();
        assertAccepted(alerts.alert(key, sell("GBPUSD", 3, 1.30)));
        assertAccepted(alerts.alert(key, buy("ACMEUSD", 1, 1.10)));
        awaitPositions(token, 2);

        ApiClient.Answer closed = api.post("/api/orders/close",
                "{\"account_id\":" + accountId + ",\"symbol\":\"gbpusd\"}", token);

        assertThat(closed.status()).as("%s", closed).isEqualTo(200);
        assertThat(closed.body().path("closed").asBoolean()).isTrue();
        assertThat(closed.body().path("quantity").asDouble()).isEqualTo(3);
        JsonNode left = api.get("/api/positions?with_accounts=true", token).body().path("positions");
        assertThat(left).hasSize(1);
        assertThat(left.get(0).path("symbol").asText()).isEqualTo("ACMEUSD");
        ApiClient.Answer again = api.post("/api/orders/close", "{\"account_id\":" + accountId + ",\"symbol\":\"GBPUSD\"}", token);
        assertThat(again.body().path("closed").asBoolean()).isFalse();
    }

    @Test
    void shouldVerifyBrokerCredentialsStoreThemEncryptedAndSyncThroughTheConnector() {
        String token = api.newUser("tradelocker@test.local");
        SECRETS.add(TradeLockerStub.PASSWORD);
        SECRETS.add(ProjectXStub.API_KEY);

        ApiClient.Answer tl = api.post("/register/tradelocker", "{\"label\":\"TL demo\",\"credentials\":{\"email\":\""
                + TradeLockerStub.EMAIL + "\",\"password\":\"" + TradeLockerStub.PASSWORD + "\",\"server\":\""
                + TradeLockerStub.SERVER + "\",\"environment\":\"demo\"}}", token);
        ApiClient.Answer px = api.post("/register/projectx", "{\"credentials\":{\"username\":\"" + ProjectXStub.USER
                + "\",\"api_key\":\"" + ProjectXStub.API_KEY + "\"}}", token);
        ApiClient.Answer mtx = api.post("/register/mtx",
                "{\"credentials\":{\"account_number\":\"123456\",\"server\":\"ICMarkets-Demo\",\"platform\":\"mt5\"}}", token);

        assertThat(tl.status()).as("%s", tl).isEqualTo(201);
        assertThat(px.status()).as("%s", px).isEqualTo(201);
        assertThat(mtx.status()).as("%s", mtx).isEqualTo(201);
        SECRETS.add(tl.body().path("api_key").asText());
        SECRETS.add(px.body().path("api_key").asText());
        SECRETS.add(mtx.body().path("api_key").asText());
        SECRETS.add(mtx.body().path("license_token").asText());
        assertThat(tl.body().path("credentials_verified").asBoolean()).isTrue();
        assertThat(px.body().path("credentials_verified").asBoolean()).isTrue();
        assertThat(mtx.body().path("credentials_verified").asBoolean()).isFalse();
        assertThat(mtx.body().path("license_token").asText()).startsWith("mtx_");
        long tlId = tl.body().path("account").path("id").asLong();
        long pxId = px.body().path("account").path("id").asLong();
        assertThat(server.accounts().credentials(tlId)).hasValueSatisfying(c ->
                assertThat(c.path("password").asText()).isEqualTo(TradeLockerStub.PASSWORD));
        ApiClient.Answer tlSync = api.post("/api/accounts/" + tlId + "/sync", null, token);
        ApiClient.Answer pxSync = api.post("/api/accounts/" + pxId + "/sync", null, token);
        assertThat(tlSync.status()).as("%s", tlSync).isEqualTo(200);
        assertThat(tlSync.body().path("balance").asDouble()).isEqualTo(2024.75);
        assertThat(pxSync.status()).as("%s", pxSync).isEqualTo(200);
        assertThat(pxSync.body().path("broker_account_id").asText()).isEqualTo(String.valueOf(ProjectXStub.ACCOUNT_ID));
        assertThat(api.get("/api/user/brokers", token).body().path("accounts"))
                .extracting(a -> a.path("broker").asText() + ":" + a.path("connected").asBoolean())
                .containsExactly("tradelocker:true", "projectx:true", "mtx:false");
    }

    @Test
    void shouldRotateRefreshTokensAndRevokeTheFamilyOnReuse() {
        ApiClient.Answer signup = api.signUp("refresh@test.local", "refresh password");
        String first = signup.body().path("refresh_token").asText();

        ApiClient.Answer refreshed = api.post("/auth/refresh", "{\"refresh_token\":\"" + first + "\"}", null);
        String second = refreshed.body().path("refresh_token").asText();
        SECRETS.add(first);
        SECRETS.add(second);

        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(second).isNotEqualTo(first);
        assertThat(api.get("/user/profile", refreshed.body().path("access_token").asText()).status()).isEqualTo(200);
        ApiClient.Answer reused = api.post("/auth/refresh", "{\"refresh_token\":\"" + first + "\"}", null);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(api.post("/auth/refresh", "{\"refresh_token\":\"" + second + "\"}", null).status())
                .as("a replayed token ends the whole session family").isEqualTo(401);
    }

    @Test
    void shouldThrottleLoginsWithGenericAnswers() {
        api.newUser("throttle@test.local");
        List<Integer> statuses = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ApiClient.Answer wrong = api.post("/auth/login", "{\"email\":\"throttle@test.local\",\"password\":\"wrong password\"}", null);
            statuses.add(wrong.status());
            messages.add(wrong.body().path("error").path("message").asText());
        }
        ApiClient.Answer unknown = api.post("/auth/login", "{\"email\":\"nobody@test.local\",\"password\":\"wrong password\"}", null);

        ApiClient.Answer throttled = api.post("/auth/login",
                "{\"email\":\"throttle@test.local\",\"password\":\"correct horse battery\"}", null);

        assertThat(statuses).containsOnly(401);
        assertThat(unknown.body().path("error").path("message").asText()).isEqualTo(messages.get(0));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.errorCode()).isEqualTo("TOO_MANY_ATTEMPTS");
    }

    @Test
    void shouldFilterAndPageOrdersAndTheWebhookLog() {
        String token = api.newUser("pages@test.local");
        String key = registerPaper(token);
        String other = registerPaper(token);
        long otherId = api.get("/api/user/brokers", token).body().path("accounts").get(1).path("id").asLong();
        for (int i = 0; i < 5; i++) {
            assertAccepted(alerts.alert(key, buy("ACMEUSD", 1, 1.10 + i / 100.0)));
        }
        TestClient.Answer tooBig = alerts.alert(key, buy("ACMEUSD", 5000, 1.1));
        assertThat(tooBig.status()).as("%s", tooBig).isEqualTo(403);
        assertThat(tooBig.body().path("error").path("rule").asText()).isEqualTo("max_quantity");
        assertAccepted(alerts.alert(other, sell("BETAUSD", 1, 2000)));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/logs/webhooks", token).body().path("total").asLong() == 7);

        JsonNode firstPage = api.get("/api/orders?limit=2", token).body();
        JsonNode secondPage = api.get("/api/orders?limit=2&offset=2", token).body();
        assertThat(firstPage.path("total").asLong()).isEqualTo(6);
        assertThat(firstPage.path("orders")).hasSize(2);
        assertThat(firstPage.path("orders").get(0).path("symbol").asText()).as("newest first").isEqualTo("BETAUSD");
        assertThat(secondPage.path("orders").get(0).path("id").asText())
                .isNotEqualTo(firstPage.path("orders").get(1).path("id").asText());
        assertThat(api.get("/api/orders?account_id=" + otherId, token).body().path("total").asLong()).isEqualTo(1);
        assertThat(api.get("/api/orders?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", token).body()
                .path("total").asLong()).isZero();

        JsonNode refused = api.get("/api/logs/webhooks?outcome=RISK_REJECTED", token).body();
        assertThat(refused.path("total").asLong()).isEqualTo(1);
        assertThat(refused.path("entries").get(0).path("field").asText()).isEqualTo("max_quantity");
        assertThat(refused.path("entries").get(0).path("order_id").isNull()).isTrue();
        assertThat(api.get("/api/logs/webhooks?limit=3&offset=6", token).body().path("entries")).hasSize(1);
    }

    @Test
    void shouldComputeTradeAnalyticsPerSymbolAndBroker() {
        String token = api.newUser("analytics@test.local");
        String key = registerPaper(token);
        assertAccepted(alerts.alert(key, buy("ACMEUSD", 2, 1.10)));
        assertAccepted(alerts.alert(key, TestClient.order("close", "sell", "ACMEUSD", 2, 1.05)));
        assertAccepted(alerts.alert(key, buy("BETAUSD", 1, 2000)));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/metrics", token).body().path("totalTrades").asLong() == 3);

        JsonNode trades = api.get("/analytics/trades?time_range=all", token).body();
        JsonNode eurusd = trades.path("bySymbol").get(0);
        assertThat(eurusd.path("symbol").asText()).isEqualTo("ACMEUSD");
        assertThat(eurusd.path("trades").asLong()).isEqualTo(2);
        assertThat(eurusd.path("volume").asDouble()).isEqualTo(4);
        assertThat(eurusd.path("losses").asLong()).isEqualTo(1);
        assertThat(eurusd.path("pnl").asDouble()).isCloseTo(-0.1, within(1e-9));
        assertThat(trades.path("bySymbol").get(1).path("symbol").asText()).isEqualTo("BETAUSD");
        JsonNode pnl = api.get("/reports/pnl", token).body();
        assertThat(pnl.path("total").path("loss").asDouble()).as("a positive amount").isCloseTo(0.1, within(1e-9));
        assertThat(pnl.path("total").path("profit").asDouble()).isZero();
        assertThat(api.get("/metrics", token).body().path("winRate").asDouble()).isZero();
        assertThat(api.get("/metrics?broker=tradelocker", token).body().path("totalTrades").asLong()).isZero();
        assertThat(api.get("/reports/pnl?broker=mtx", token).body().path("daily")).isEmpty();
    }

    @Test
    void shouldEndTheSessionOnLogout() {
        ApiClient.Answer signup = api.signUp("logout@test.local", "logout password");
        String refresh = signup.body().path("refresh_token").asText();
        SECRETS.add(refresh);

        ApiClient.Answer out = api.post("/auth/logout", "{\"refresh_token\":\"" + refresh + "\"}", null);

        assertThat(out.body().path("session_ended").asBoolean()).isTrue();
        assertThat(api.post("/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}", null).status()).isEqualTo(401);
    }

    /**
     * On a server of its own: afterwards every login from this address is throttled for the
     * window, which would break the other tests' logins whatever order they run in.
     */
    @Test
    void shouldThrottleLoginsPerAddressAcrossEmails() throws Exception {
        try (TradeFlowServer own = TestServers.start(dataDir.resolve("throttle"), Map.of())) {
            ApiClient ownApi = new ApiClient(own.port());
            ownApi.newUser("victim@test.local");
            for (int i = 0; i < 20; i++) {
                ApiClient.Answer guess = ownApi.post("/auth/login", "{\"email\":\"guess" + i
                        + "@test.local\",\"password\":\"wrong password\"}", null);
                assertThat(guess.status()).as("guess %d: %s", i, guess).isIn(401, 429);
            }

            ApiClient.Answer throttled = ownApi.post("/auth/login",
                    "{\"email\":\"victim@test.local\",\"password\":\"correct horse battery\"}", null);

            assertThat(throttled.status()).isEqualTo(429);
        }
    }

    /**
     * Makes its own secrets (a password, session tokens, a key, broker credentials and an EA
     * license), so it proves something whatever order the tests run in, and also searches for
     * every secret the tests that ran before it collected.
     */
    @Test
    void shouldStoreNoSecretInClearInAnyTableOrTheJournal() throws IOException {
        String password = "secrets password 7";
        SECRETS.add(password);
        ApiClient.Answer signup = api.signUp("secrets@test.local", password);
        assertThat(signup.status()).as("%s", signup).isEqualTo(201);
        SECRETS.add(signup.body().path("refresh_token").asText());
        String token = loginToken("secrets@test.local", password);
        String key = registerPaper(token);
        assertAccepted(alerts.alert(key, buy("ACMEUSD", 1, 1.10)));
        SECRETS.add(TradeLockerStub.PASSWORD);
        SECRETS.add(ProjectXStub.API_KEY);
        ApiClient.Answer tl = api.post("/register/tradelocker", "{\"label\":\"TL\",\"credentials\":{\"email\":\""
                + TradeLockerStub.EMAIL + "\",\"password\":\"" + TradeLockerStub.PASSWORD + "\",\"server\":\""
                + TradeLockerStub.SERVER + "\",\"environment\":\"demo\"}}", token);
        assertThat(tl.status()).as("%s", tl).isEqualTo(201);
        SECRETS.add(tl.body().path("api_key").asText());
        ApiClient.Answer px = api.post("/register/projectx", "{\"credentials\":{\"username\":\"" + ProjectXStub.USER
                + "\",\"api_key\":\"" + ProjectXStub.API_KEY + "\"}}", token);
        assertThat(px.status()).as("%s", px).isEqualTo(201);
        SECRETS.add(px.body().path("api_key").asText());
        ApiClient.Answer mtx = api.post("/register/mtx",
                "{\"credentials\":{\"account_number\":\"654321\",\"server\":\"ICMarkets-Demo\",\"platform\":\"mt5\"}}", token);
        assertThat(mtx.status()).as("%s", mtx).isEqualTo(201);
        SECRETS.add(mtx.body().path("api_key").asText());
        SECRETS.add(mtx.body().path("license_token").asText());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/api/logs/webhooks", token).body().path("total").asLong() == 1);
        assertThat(SECRETS).hasSizeGreaterThanOrEqualTo(10);
        List<String[]> columns = jdbi.withHandle(h -> h.createQuery("select table_name, column_name, data_type"
                        + " from information_schema.columns where table_schema = 'public'"
                        + " and data_type in ('text', 'character varying', 'bytea', 'ARRAY', 'json', 'jsonb')")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                .list());
        assertThat(columns).extracting(c -> c[0] + "." + c[1])
                .contains("broker_accounts.credentials", "api_keys.key_prefix", "users.password_hash", "intents.reason");

        for (String[] column : columns) {
            String condition = column[2].equals("bytea")
                    ? "position(convert_to(:secret, 'UTF8') in \"" + column[1] + "\") > 0"
                    : "strpos(\"" + column[1] + "\"::text, :secret) > 0";
            for (String secret : SECRETS) {
                int hits = jdbi.withHandle(h -> h.createQuery("select count(*) from \"" + column[0] + "\" where " + condition)
                        .bind("secret", secret).mapTo(Integer.class).one());
                assertThat(hits).as("%s.%s holds a secret in clear", column[0], column[1]).isZero();
            }
        }
        List<Path> journalFiles;
        try (Stream<Path> files = Files.walk(dataDir.resolve("journal"))) {
            journalFiles = files.filter(Files::isRegularFile).toList();
        }
        assertThat(journalFiles).isNotEmpty();
        for (Path file : journalFiles) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : SECRETS) {
                assertThat(content).as("journal file %s", file.getFileName()).doesNotContain(secret);
            }
        }
    }
}
