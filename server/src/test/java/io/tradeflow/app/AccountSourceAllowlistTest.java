package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-account source allowlist ({@code GET|PUT /api/accounts/{id}/allowed_sources}): the test
 * client sends from 127.0.0.1, so an account whose list holds 127.0.0.0/8 routes its alerts and one
 * whose list is 10.0.0.0/8 refuses them with 403 SOURCE_NOT_ALLOWED (field {@code source}),
 * journaled and in the webhook log like any refusal. The list survives a restart.
 */
class AccountSourceAllowlistTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldRouteAlertsOnlyFromTheAccountsAllowedSourcesAcrossARestart() throws Exception {
        String token;
        String key;
        String sources;
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            token = api.newUser("sources@test.local");
            ApiClient.Answer registered = api.post("/register/paper", null, token);
            key = registered.body().path("api_key").asText();
            sources = "/api/accounts/" + registered.body().path("account").path("id").asLong() + "/allowed_sources";

            assertThat(api.get(sources, token).body().path("allowed_sources")).as("no list: any address").isEmpty();
            assertThat(alerts.alert(key, buy("EURUSD", 1, 1.10)).status()).isEqualTo(200);

            ApiClient.Answer loopback = api.call("PUT", sources, "{\"allowed_sources\":[\"127.0.0.0/8\",\"::1\"]}", token);
            assertThat(loopback.status()).as("%s", loopback).isEqualTo(200);
            assertThat(loopback.body().path("allowed_sources").toString())
                    .isEqualTo("[\"127.0.0.0/8\",\"0:0:0:0:0:0:0:1/128\"]");
            assertThat(alerts.alert(key, buy("XAUUSD", 1, 2000)).status()).isEqualTo(200);

            assertThat(api.call("PUT", sources, "{\"allowed_sources\":[\"10.0.0.0/8\"]}", token).status()).isEqualTo(200);
            TestClient.Answer refused = alerts.alert(key, buy("GBPUSD", 1, 1.25));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("SOURCE_NOT_ALLOWED");
            assertThat(refused.errorField()).isEqualTo("source");

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    api.get("/api/logs/webhooks?outcome=SOURCE_NOT_ALLOWED", token).body().path("total").asLong() == 1);
            JsonNode logged = api.get("/api/logs/webhooks?outcome=SOURCE_NOT_ALLOWED", token).body().path("entries").get(0);
            assertThat(logged.path("intent_id").asText()).as("journaled under the answer's index")
                    .isEqualTo("int_" + refused.journalIndex());
            assertThat(logged.path("http_status").asInt()).isEqualTo(403);
            assertThat(logged.path("field").asText()).isEqualTo("source");
            assertThat(logged.path("order_id").isNull()).as("nothing was placed").isTrue();
            assertThat(api.get("/api/positions?with_accounts=true", token).body().path("positions")).hasSize(2);
        }

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());

            assertThat(api.get(sources, token).body().path("allowed_sources").toString()).isEqualTo("[\"10.0.0.0/8\"]");
            assertThat(alerts.alert(key, buy("GBPUSD", 1, 1.25)).errorCode())
                    .as("the router restored the list").isEqualTo("SOURCE_NOT_ALLOWED");

            assertThat(api.call("PUT", sources, "{\"allowed_sources\":[]}", token).status()).isEqualTo(200);
            assertThat(alerts.alert(key, buy("GBPUSD", 1, 1.25)).status()).as("an empty list accepts any address")
                    .isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseAnotherUsersAccountAndABadBlock() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            String owner = api.newUser("owner@test.local");
            String stranger = api.newUser("stranger@test.local");
            String sources = "/api/accounts/" + api.post("/register/paper", null, owner).body().path("account").path("id")
                    .asLong() + "/allowed_sources";

            assertThat(api.call("PUT", sources, "{\"allowed_sources\":[\"10.0.0.0/8\"]}", stranger).status()).isEqualTo(404);
            ApiClient.Answer bad = api.call("PUT", sources, "{\"allowed_sources\":[\"10.0.0.0/8\",\"10.0.0.300\"]}", owner);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.errorField()).isEqualTo("allowed_sources");
            assertThat(bad.body().path("error").path("message").asText()).contains("10.0.0.300");
            assertThat(api.get(sources, owner).body().path("allowed_sources")).as("a refused PUT changes nothing").isEmpty();
        }
    }
}
