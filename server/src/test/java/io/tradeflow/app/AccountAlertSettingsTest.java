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
 * the real server, before and after a restart. Two accounts of one user keep the two refusing
 * rules apart, so each 409 DUPLICATE is checked for the rule that gave it (its {@code field}):
 * account A has pyramiding 2 and no duplicate window, so its second same-direction entry is
 * accepted and its third is refused by pyramiding ({@code side}); account B keeps the server's
 * pyramiding (100) and gets a 60 s duplicate window, so its second signal is refused by the window
 * ({@code signal}) although pyramiding would allow it. A's symbol map sends NQ1! alerts to MNQ
 * while B still trades NQ.
 */
class AccountAlertSettingsTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldApplyEachAccountsSymbolMapPyramidingAndDuplicateWindowAcrossARestart() throws Exception {
        String token;
        String keyA;
        String keyB;
        String settingsA;
        String settingsB;
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            token = api.newUser("alert-settings@test.local");
            ApiClient.Answer registered = api.post("/register/paper", null, token);
            keyA = registered.body().path("api_key").asText();
            settingsA = "/api/accounts/" + registered.body().path("account").path("id").asLong() + "/alert_settings";
            ApiClient.Answer registeredB = api.post("/register/paper", null, token);
            keyB = registeredB.body().path("api_key").asText();
            settingsB = "/api/accounts/" + registeredB.body().path("account").path("id").asLong() + "/alert_settings";

            JsonNode defaults = api.get(settingsA, token).body();
            assertThat(defaults.path("pyramiding").asInt()).as("the configured default").isEqualTo(100);
            assertThat(defaults.path("duplicate_window_seconds").asLong()).as("the configured default").isZero();
            assertThat(defaults.path("symbol_map")).as("no map configured").isEmpty();

            ApiClient.Answer put = api.call("PUT", settingsA,
                    "{\"symbol_map\":{\"nq1!\":\"mnq\"},\"pyramiding\":2,\"duplicate_window_seconds\":0}", token);
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            assertThat(put.body().path("symbol_map").toString()).isEqualTo("{\"NQ1!\":\"MNQ\"}");
            ApiClient.Answer putB = api.call("PUT", settingsB, "{\"duplicate_window_seconds\":60}", token);
            assertThat(putB.status()).as("%s", putB).isEqualTo(200);
            assertThat(putB.body().path("pyramiding").asInt()).as("B keeps the default pyramiding").isEqualTo(100);

            TestClient.Answer opened = alerts.alert(keyA, buy("NQ1!", 1, 18_000));
            assertThat(opened.status()).as("%s", opened).isEqualTo(200);
            assertThat(opened.body().path("symbol").asText()).isEqualTo("MNQ");
            TestClient.Answer second = alerts.alert(keyA, buy("NQ1!", 1, 18_001));
            assertThat(second.status()).as("pyramiding 2 allows a second entry: %s", second).isEqualTo(200);
            assertThat(second.body().path("position").asDouble()).isEqualTo(2.0);
            assertRefusedBy(alerts.alert(keyA, buy("NQ1!", 1, 18_002)), "side");

            TestClient.Answer openedB = alerts.alert(keyB, buy("NQ1!", 1, 18_000));
            assertThat(openedB.status()).as("%s", openedB).isEqualTo(200);
            assertThat(openedB.body().path("symbol").asText())
                    .as("another account keeps the defaults: the future's root").isEqualTo("NQ");
            assertRefusedBy(alerts.alert(keyB, buy("NQ1!", 1, 18_001)), "signal");

            JsonNode positions = await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/api/positions?with_accounts=true", token).body().path("positions"), p -> p.size() == 2);
            assertThat(positions).extracting(p -> p.path("symbol").asText()).containsExactlyInAnyOrder("MNQ", "NQ");
            assertThat(quantityOf(positions, "MNQ")).as("two entries, the refused third added nothing").isEqualTo(2.0);
            assertThat(quantityOf(positions, "NQ")).as("the refused duplicate added nothing").isEqualTo(1.0);

            ApiClient.Answer suffixOnly = api.call("PUT", settingsA, "{\"symbol_suffix\":\".m\"}", token);
            assertThat(suffixOnly.status()).as("%s", suffixOnly).isEqualTo(200);
            JsonNode read = api.get(settingsA, token).body();
            assertThat(read.path("symbol_map").toString()).as("a partial PUT keeps the rest")
                    .isEqualTo("{\"NQ1!\":\"MNQ\"}");
            assertThat(read.path("pyramiding").asInt()).isEqualTo(2);
            assertThat(read.path("duplicate_window_seconds").asLong()).isZero();
            assertThat(read.path("symbol_suffix").asText()).isEqualTo(".M");
        }

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());

            JsonNode read = api.get(settingsA, token).body();
            assertThat(read.path("symbol_map").toString()).isEqualTo("{\"NQ1!\":\"MNQ\"}");
            assertThat(read.path("pyramiding").asInt()).isEqualTo(2);
            assertThat(read.path("duplicate_window_seconds").asLong()).isZero();
            assertThat(read.path("symbol_suffix").asText()).isEqualTo(".M");
            JsonNode readB = api.get(settingsB, token).body();
            assertThat(readB.path("pyramiding").asInt()).isEqualTo(100);
            assertThat(readB.path("duplicate_window_seconds").asLong()).isEqualTo(60);

            // The router restored A's pyramiding, map and two entries, and B's window and signal time.
            assertRefusedBy(alerts.alert(keyA, buy("NQ1!", 1, 18_003)), "side");
            assertRefusedBy(alerts.alert(keyB, buy("NQ1!", 1, 18_003)), "signal");
            TestClient.Answer suffixed = alerts.alert(keyA, buy("ES1!", 1, 5_000));
            assertThat(suffixed.status()).as("%s", suffixed).isEqualTo(200);
            assertThat(suffixed.body().path("symbol").asText()).as("an unmapped future's root takes the suffix").isEqualTo("ES.M");
            TestClient.Answer otherSignal = alerts.alert(keyB, buy("ES1!", 1, 5_000));
            assertThat(otherSignal.status()).as("B's window covers only the same signal: %s", otherSignal).isEqualTo(200);
        }
    }

    private static void assertRefusedBy(TestClient.Answer answer, String field) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(409);
        assertThat(answer.errorCode()).as("%s", answer).isEqualTo("DUPLICATE");
        assertThat(answer.errorField()).as("the rule that refused: %s", answer).isEqualTo(field);
    }

    private static double quantityOf(JsonNode positions, String symbol) {
        return positions.findParents("symbol").stream()
                .filter(p -> p.path("symbol").asText().equals(symbol)).findFirst().orElseThrow()
                .path("quantity").asDouble();
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
