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
 * Per-account alert settings ({@code GET|PUT /api/accounts/{id}/alert_settings}) over HTTP against
 * the real server: a symbol map sends NQ1! alerts to MNQ, pyramiding 1 refuses a second same-direction
 * entry as 409 DUPLICATE, another account keeps the configured defaults, and after a restart the
 * database and the router both still hold what was PUT.
 */
class AccountAlertSettingsTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldApplyAnAccountsSymbolMapAndPyramidingAcrossARestart() throws Exception {
        String token;
        String key;
        String otherKey;
        String settings;
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            token = api.newUser("alert-settings@test.local");
            ApiClient.Answer registered = api.post("/register/paper", null, token);
            key = registered.body().path("api_key").asText();
            settings = "/api/accounts/" + registered.body().path("account").path("id").asLong() + "/alert_settings";
            otherKey = api.post("/register/paper", null, token).body().path("api_key").asText();

            JsonNode defaults = api.get(settings, token).body();
            assertThat(defaults.path("pyramiding").asInt()).as("the configured default").isEqualTo(100);
            assertThat(defaults.path("symbol_map")).as("no map configured").isEmpty();

            ApiClient.Answer put = api.call("PUT", settings,
                    "{\"symbol_map\":{\"nq1!\":\"mnq\"},\"pyramiding\":1,\"duplicate_window_seconds\":60}", token);
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            assertThat(put.body().path("symbol_map").toString()).isEqualTo("{\"NQ1!\":\"MNQ\"}");

            TestClient.Answer opened = alerts.alert(key, buy("NQ1!", 1, 18_000));
            assertThat(opened.status()).as("%s", opened).isEqualTo(200);
            assertThat(opened.body().path("symbol").asText()).isEqualTo("MNQ");
            TestClient.Answer again = alerts.alert(key, buy("NQ1!", 1, 18_001));
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.errorCode()).isEqualTo("DUPLICATE");
            assertThat(alerts.alert(otherKey, buy("NQ1!", 1, 18_000)).body().path("symbol").asText())
                    .as("another account keeps the defaults: the future's root").isEqualTo("NQ");

            JsonNode positions = await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/api/positions?with_accounts=true", token).body().path("positions"), p -> p.size() == 2);
            assertThat(positions).extracting(p -> p.path("symbol").asText()).containsExactlyInAnyOrder("MNQ", "NQ");
            JsonNode mnq = positions.findParents("symbol").stream()
                    .filter(p -> p.path("symbol").asText().equals("MNQ")).findFirst().orElseThrow();
            assertThat(mnq.path("quantity").asDouble()).as("the duplicate added nothing").isEqualTo(1.0);

            ApiClient.Answer suffixOnly = api.call("PUT", settings, "{\"symbol_suffix\":\".m\"}", token);
            assertThat(suffixOnly.status()).as("%s", suffixOnly).isEqualTo(200);
            JsonNode read = api.get(settings, token).body();
            assertThat(read.path("symbol_map").toString()).as("a partial PUT keeps the rest")
                    .isEqualTo("{\"NQ1!\":\"MNQ\"}");
            assertThat(read.path("pyramiding").asInt()).isEqualTo(1);
            assertThat(read.path("duplicate_window_seconds").asLong()).isEqualTo(60);
            assertThat(read.path("symbol_suffix").asText()).isEqualTo(".M");
        }

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());

            JsonNode read = api.get(settings, token).body();
            assertThat(read.path("symbol_map").toString()).isEqualTo("{\"NQ1!\":\"MNQ\"}");
            assertThat(read.path("pyramiding").asInt()).isEqualTo(1);
            assertThat(read.path("duplicate_window_seconds").asLong()).isEqualTo(60);
            assertThat(read.path("symbol_suffix").asText()).isEqualTo(".M");

            assertThat(alerts.alert(key, buy("NQ1!", 1, 18_002)).errorCode())
                    .as("the router restored pyramiding 1 and the map").isEqualTo("DUPLICATE");
            TestClient.Answer suffixed = alerts.alert(key, buy("ES1!", 1, 5_000));
            assertThat(suffixed.status()).as("%s", suffixed).isEqualTo(200);
            assertThat(suffixed.body().path("symbol").asText()).as("an unmapped future's root takes the suffix").isEqualTo("ES.M");
        }
    }

    @Test
    void shouldRefuseAnotherUsersAccountAndLeaveSettingsUnchangedOnABadValue() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            String owner = api.newUser("owner@test.local");
            String stranger = api.newUser("stranger@test.local");
            String settings = "/api/accounts/" + api.post("/register/paper", null, owner).body().path("account")
                    .path("id").asLong() + "/alert_settings";

            assertThat(api.get(settings, stranger).status()).isEqualTo(404);
            assertThat(api.call("PUT", settings, "{\"pyramiding\":2}", stranger).status()).isEqualTo(404);
            ApiClient.Answer bad = api.call("PUT", settings,
                    "{\"pyramiding\":2,\"symbol_map\":{\"NQ1!\":\"MNQ\",\"ES1!\":\"M ES\"}}", owner);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.errorField()).isEqualTo("symbol_map");
            assertThat(bad.body().path("error").path("message").asText()).contains("ES1!");
            assertThat(api.get(settings, owner).body().path("pyramiding").asInt()).as("a refused PUT changes nothing")
                    .isEqualTo(100);
        }
    }
}
