package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.stub.TradeLockerStub;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broker accounts registered over the dashboard API. A TradeLocker account (against its stub): the
 * credentials are checked by logging in before anything is created, stored encrypted, used for
 * alerts and the sync at once, and used again after a restart without anyone reconnecting the
 * account by hand. A MetaTrader account: its EA license token is issued once and still works after a restart.
 */
class BrokerRegistrationTest {
    @TempDir
    Path dataDir;

    private static Map<String, String> pointedAt(TradeLockerStub broker) {
        return Map.of("brokers.tradelocker-demo-url", broker.baseUri() + "/backend-api");
    }

    private static String registration(String password) {
        return "{\"label\":\"TL demo\",\"credentials\":{\"email\":\"" + TradeLockerStub.EMAIL + "\",\"password\":\""
                + password + "\",\"server\":\"" + TradeLockerStub.SERVER + "\",\"environment\":\"demo\"}}";
    }

    @Test
    void shouldVerifyStoreAndReconnectATradeLockerAccountRegisteredOverHttp() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub()) {
            String token;
            String key;
            long accountId;
            try (TradeFlowServer server = TestServers.start(dataDir, pointedAt(broker))) {
                ApiClient api = new ApiClient(server.port());
                token = api.newUser("tl-register@test.local");

                ApiClient.Answer registered = api.post("/register/tradelocker", registration(TradeLockerStub.PASSWORD), token);

                assertThat(registered.status()).as("%s", registered).isEqualTo(201);
                assertThat(registered.body().path("credentials_verified").asBoolean()).isTrue();
                assertThat(registered.body().path("account").path("connected").asBoolean()).isTrue();
                assertThat(broker.loginCount()).isEqualTo(1);
                accountId = registered.body().path("account").path("id").asLong();
                key = registered.body().path("api_key").asText();

                TestClient.Answer alert = new TestClient(server.port()).alert(key, buy("EURUSD", 2, 1.085));
                assertThat(alert.status()).as("%s", alert).isEqualTo(200);
                assertThat(alert.body().path("status").asText()).isEqualTo("submitted");
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.positionQuantity("EURUSD") == 2);
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        api.get("/api/positions?with_accounts=true", token).body().path("positions").size() == 1);
                JsonNode position = api.get("/api/positions?with_accounts=true", token).body().path("positions").get(0);
                assertThat(position.path("symbol").asText()).isEqualTo("EURUSD");
                assertThat(position.path("quantity").asDouble()).isEqualTo(2);

                ApiClient.Answer synced = api.post("/api/accounts/" + accountId + "/sync", null, token);
                assertThat(synced.status()).as("%s", synced).isEqualTo(200);
                assertThat(synced.body().path("balance").asDouble()).isEqualTo(2024.75);
                assertThat(synced.body().path("currency").asText()).isEqualTo("USD");
                assertThat(synced.body().path("broker_account_id").asText()).isEqualTo(TradeLockerStub.ACCOUNT_ID);
                assertThat(synced.body().path("positions")).singleElement().satisfies(p -> {
                    assertThat(p.path("symbol").asText()).isEqualTo("EURUSD");
                    assertThat(p.path("side").asText()).isEqualTo("long");
                    assertThat(p.path("quantity").asDouble()).isEqualTo(2);
                });

                assertNoneInClear(server.database().jdbi(), List.of(TradeLockerStub.PASSWORD, TradeLockerStub.EMAIL));
            }

            try (TradeFlowServer server = TestServers.start(dataDir, pointedAt(broker))) {
                ApiClient api = new ApiClient(server.port());
                assertThat(broker.loginCount()).as("logged in again from the stored credentials").isEqualTo(2);
                JsonNode listed = api.get("/api/user/brokers", token).body().path("accounts");
                assertThat(listed).singleElement().satisfies(a -> {
                    assertThat(a.path("id").asLong()).isEqualTo(accountId);
                    assertThat(a.path("connected").asBoolean()).isTrue();
                });

                TestClient.Answer more = new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.086));

                assertThat(more.status()).as("%s", more).isEqualTo(200);
                assertThat(more.body().path("status").asText()).isEqualTo("submitted");
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.positionQuantity("EURUSD") == 3);
            }
        }
    }

    @Test
    void shouldRefuseCredentialsTheBrokerRefusesOrCannotCheckAndCreateNothing() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub();
             ProjectXStub projectX = new ProjectXStub();
             TradeFlowServer server = TestServers.start(dataDir, Map.of(
                     "brokers.tradelocker-demo-url", broker.baseUri() + "/backend-api",
                     "brokers.projectx-url", projectX.baseUri().toString()))) {
            ApiClient api = new ApiClient(server.port());
            String token = api.newUser("tl-refused@test.local");

            ApiClient.Answer refused = api.post("/register/tradelocker", registration("not-the-password"), token);
            ApiClient.Answer refusedKey = api.post("/register/projectx", "{\"credentials\":{\"username\":\""
                    + ProjectXStub.USER + "\",\"api_key\":\"not-the-key\"}}", token);
            broker.down(true);
            ApiClient.Answer unreachable = api.post("/register/tradelocker", registration(TradeLockerStub.PASSWORD), token);

            assertThat(refused.status()).as("%s", refused).isEqualTo(422);
            assertThat(refused.errorCode()).isEqualTo("CREDENTIALS_REFUSED");
            assertThat(refused.body().path("error").path("field").asText()).isEqualTo("credentials");
            assertThat(refused.body().path("error").path("message").asText()).contains("tradelocker").contains("refused");
            assertThat(refusedKey.status()).as("%s", refusedKey).isEqualTo(422);
            assertThat(refusedKey.errorCode()).isEqualTo("CREDENTIALS_REFUSED");
            assertThat(refusedKey.body().path("error").path("message").asText()).startsWith("projectx refused the credentials");
            assertThat(unreachable.status()).as("%s", unreachable).isEqualTo(502);
            assertThat(unreachable.errorCode()).isEqualTo("BROKER_UNREACHABLE");
            assertThat(unreachable.body().path("error").path("field").asText()).isEqualTo("broker");
            assertThat(api.get("/api/user/brokers", token).body().path("accounts")).isEmpty();
            long rows = server.database().jdbi().withHandle(h -> h.createQuery("select count(*) from broker_accounts a"
                    + " join users u on u.id = a.user_id where u.email = 'tl-refused@test.local'").mapTo(Long.class).one());
            assertThat(rows).as("account rows created for refused credentials").isZero();
        }
    }

    @Test
    void shouldShowAnAccountWhoseBrokerIsDownOnStartAsNotConnected() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub()) {
            String token;
            String key;
            long accountId;
            try (TradeFlowServer server = TestServers.start(dataDir, pointedAt(broker))) {
                ApiClient api = new ApiClient(server.port());
                token = api.newUser("tl-down@test.local");
                ApiClient.Answer registered = api.post("/register/tradelocker", registration(TradeLockerStub.PASSWORD), token);
                assertThat(registered.status()).as("%s", registered).isEqualTo(201);
                accountId = registered.body().path("account").path("id").asLong();
                key = registered.body().path("api_key").asText();
                broker.down(true);
                ApiClient.Answer synced = api.post("/api/accounts/" + accountId + "/sync", null, token);
                assertThat(synced.status()).as("%s", synced).isEqualTo(502);
                assertThat(synced.errorCode()).isEqualTo("BROKER_UNREACHABLE");
            }

            try (TradeFlowServer server = TestServers.start(dataDir, pointedAt(broker))) {
                ApiClient api = new ApiClient(server.port());

                assertThat(server.isReady()).isTrue();
                assertThat(api.get("/api/user/brokers", token).body().path("accounts")).singleElement()
                        .satisfies(a -> assertThat(a.path("connected").asBoolean()).isFalse());
                ApiClient.Answer synced = api.post("/api/accounts/" + accountId + "/sync", null, token);
                assertThat(synced.status()).as("%s", synced).isEqualTo(503);
                assertThat(synced.errorCode()).isEqualTo("BROKER_NOT_CONNECTED");
                TestClient.Answer alert = new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.085));
                assertThat(alert.status()).isEqualTo(502);
                assertThat(alert.body().path("error").path("code").asText()).isEqualTo("BROKER_ERROR");
                JsonNode login = api.get("/api/user/brokers", token).body().path("accounts").get(0).path("login");
                assertThat(login.path("state").asText()).isEqualTo("retrying");
                assertThat(login.path("failed_attempts").asInt()).isGreaterThanOrEqualTo(1);
                assertThat(login.path("reason").asText()).contains("tradelocker").doesNotContain(TradeLockerStub.PASSWORD);
                assertThat(login.path("next_attempt_at").asText()).isNotEmpty();

                // The broker comes back: the account connects by itself, no one registers it again.
                int loginsBefore = broker.loginCount();
                broker.down(false);
                await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/user/brokers", token).body()
                        .path("accounts").get(0).path("connected").asBoolean());
                assertThat(api.get("/api/user/brokers", token).body().path("accounts").get(0).path("login")
                        .path("state").asText()).isEqualTo("connected");
                assertThat(broker.loginCount()).isGreaterThan(loginsBefore);
                TestClient.Answer placed = new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.085));
                assertThat(placed.status()).as("%s", placed).isEqualTo(200);
                assertThat(placed.body().path("status").asText()).isEqualTo("submitted");
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.positionQuantity("EURUSD") == 1);
            }
        }
    }

    @Test
    void shouldShowDriftInTheAccountViewAndCloseWhatTheRouterDidNotOpenOnEmergencyStop() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub()) {
            try (TradeFlowServer server = TestServers.start(dataDir, pointedAt(broker))) {
                ApiClient api = new ApiClient(server.port());
                String token = api.newUser("tl-drift@test.local");
                ApiClient.Answer registered = api.post("/register/tradelocker", registration(TradeLockerStub.PASSWORD), token);
                assertThat(registered.status()).as("%s", registered).isEqualTo(201);
                String key = registered.body().path("api_key").asText();
                assertThat(new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.085)).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        api.get("/api/positions?with_accounts=true", token).body().path("positions").size() == 1);
                // Someone sells gold on the same broker account by hand.
                try (io.tradeflow.broker.http.BrokerHttpClients http = new io.tradeflow.broker.http.BrokerHttpClients(1,
                        Duration.ofSeconds(2))) {
                    new io.tradeflow.broker.tradelocker.TradeLockerConnector(new io.tradeflow.broker.tradelocker.TradeLockerCredentials(
                            java.net.URI.create(broker.baseUri() + "/backend-api"), TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD,
                            TradeLockerStub.SERVER, null), new io.tradeflow.broker.http.JsonHttp(http.client(),
                            new com.fasterxml.jackson.databind.ObjectMapper(), "tradelocker"),
                            io.tradeflow.broker.api.ConnectorSettings.DEFAULTS, System::currentTimeMillis, http.executor())
                            .placeOrder(io.tradeflow.broker.api.OrderCommand.market(1, "manual-1", "XAUUSD",
                                    io.tradeflow.core.event.Side.SELL, 1)).get(10, java.util.concurrent.TimeUnit.SECONDS);
                }

                server.brokers().reconciler().reconcileAll();

                await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/user/brokers", token).body()
                        .path("accounts").get(0).path("drift").size() == 1);
                JsonNode drift = api.get("/api/user/brokers", token).body().path("accounts").get(0).path("drift").get(0);
                assertThat(drift.path("symbol").asText()).isEqualTo("XAUUSD");
                assertThat(drift.path("broker_quantity").asDouble()).isEqualTo(-1);
                assertThat(drift.path("router_quantity").asDouble()).isZero();

                ApiClient.Answer stop = api.post("/api/user/emergency_stop", null, token);

                assertThat(stop.status()).as("%s", stop).isEqualTo(200);
                assertThat(broker.positionQuantity("XAUUSD")).as("closed at the broker by the stop").isZero();
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.positionQuantity("EURUSD") == 0);
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        api.get("/api/positions?with_accounts=true", token).body().path("positions").isEmpty());
            }
        }
    }

    @Test
    void shouldShowAnOrderWhoseOutcomeIsUnknownInTheAccountViewUntilTheBrokerListsIt() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub()) {
            Map<String, String> config = new java.util.HashMap<>(pointedAt(broker));
            config.put("brokers.outcome-recheck-window", "1s");
            try (TradeFlowServer server = TestServers.start(dataDir, config)) {
                ApiClient api = new ApiClient(server.port());
                String token = api.newUser("tl-unknown@test.local");
                ApiClient.Answer registered = api.post("/register/tradelocker", registration(TradeLockerStub.PASSWORD), token);
                assertThat(registered.status()).as("%s", registered).isEqualTo(201);
                long accountId = registered.body().path("account").path("id").asLong();
                String key = registered.body().path("api_key").asText();
                broker.historyLag(60_000);
                broker.failNextPlaceOrderAfterAccepting(504);

                TestClient.Answer alert = new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.085));

                assertThat(alert.status()).isEqualTo(200);
                String tag = "tf-" + accountId + "-" + alert.body().path("order_id").asText().substring(4);
                await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/user/brokers", token).body()
                        .path("accounts").get(0).path("orders_outcome_unknown").size() == 1);
                assertThat(api.get("/api/user/brokers", token).body().path("accounts").get(0)
                        .path("orders_outcome_unknown").get(0).asText()).isEqualTo(tag);
                // The log is the projection's: it may lag the account view by a batch.
                await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/logs/webhooks?outcome=BROKER_OUTCOME_UNKNOWN", token)
                        .body().toString().contains("BROKER_OUTCOME_UNKNOWN"));
                assertThat(broker.ordersTagged(tag)).isEqualTo(1);

                broker.historyLag(0);
                server.brokers().reconciler().reconcileAll();
                await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/user/brokers", token).body()
                        .path("accounts").get(0).path("orders_outcome_unknown").isMissingNode());
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        api.get("/api/positions?with_accounts=true", token).body().path("positions").size() == 1);
                assertThat(broker.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(1);
            }
        }
    }

    @Test
    void shouldStopTheConnectorOfADeletedAccount() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub()) {
            try (TradeFlowServer server = TestServers.start(dataDir, pointedAt(broker))) {
                ApiClient api = new ApiClient(server.port());
                String token = api.newUser("tl-delete@test.local");
                ApiClient.Answer registered = api.post("/register/tradelocker", registration(TradeLockerStub.PASSWORD), token);
                assertThat(registered.status()).as("%s", registered).isEqualTo(201);
                long accountId = registered.body().path("account").path("id").asLong();
                assertThat(server.brokers().connector(accountId)).isNotNull();

                ApiClient.Answer deleted = api.call("DELETE", "/api/accounts/" + accountId, null, token);
                assertThat(deleted.status()).as("%s", deleted).isBetween(200, 204);

                // Detached: no session kept alive, and reconciliation (which walks the attached accounts) skips it.
                assertThat(server.brokers().connector(accountId)).isNull();
                assertThat(server.brokers().isConnected(accountId)).isFalse();
                assertThat(server.brokers().loginState(accountId)).isNull();
            }
        }
    }

    @Test
    void shouldIssueAMetaTraderLicenseTokenThatTheEaCanUseAgainAfterARestart() throws Exception {
        String token;
        String license;
        long accountId;
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            token = api.newUser("mtx-register@test.local");
            ApiClient.Answer registered = api.post("/register/mtx", "{\"credentials\":{\"account_number\":\"5012345\","
                    + "\"server\":\"Broker-Demo\",\"platform\":\"mt5\",\"symbol_suffix\":\".m\"}}", token);
            assertThat(registered.status()).as("%s", registered).isEqualTo(201);
            license = registered.body().path("license_token").asText();
            accountId = registered.body().path("account").path("id").asLong();
            assertThat(registered.body().path("account").path("connected").asBoolean()).as("no EA yet").isFalse();
            assertNoneInClear(server.database().jdbi(), List.of(license));
        }

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());

            assertThat(new SimulatedEa(server.port(), license, 1.0852).heartbeat().status()).isEqualTo(200);

            assertThat(server.brokers().isConnected(accountId)).isTrue();
            assertThat(api.get("/api/user/brokers", token).body().path("accounts")).singleElement()
                    .satisfies(a -> assertThat(a.path("connected").asBoolean()).isTrue());
        }
    }

    /** Every text, byte and array column of every table, searched for each secret (as text and as hex bytes). */
    static void assertNoneInClear(Jdbi jdbi, List<String> secrets) {
        List<Map<String, Object>> columns = jdbi.withHandle(h -> h.createQuery(
                        "select table_name, column_name from information_schema.columns where table_schema = 'public'"
                                + " and data_type in ('text', 'character varying', 'bytea', 'ARRAY', 'json', 'jsonb')")
                .mapToMap().list());
        assertThat(columns).extracting(c -> c.get("column_name")).contains("credentials");
        long stored = jdbi.withHandle(h -> h.createQuery("select count(*) from broker_accounts where credentials is not null")
                .mapTo(Long.class).one());
        assertThat(stored).as("accounts with stored credentials").isPositive();
        for (Map<String, Object> column : columns) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            for (String secret : secrets) {
                String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
                long hits = jdbi.withHandle(h -> h.createQuery("select count(*) from \"" + table + "\" where position(:s in \""
                                + name + "\"::text) > 0 or position(:hex in \"" + name + "\"::text) > 0")
                        .bind("s", secret)
                        .bind("hex", hex)
                        .mapTo(Long.class).one());
                assertThat(hits).as("%s.%s holding %s in clear", table, name, secret.substring(0, 3) + "…").isZero();
            }
        }
    }
}
