package io.tradeflow.app;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.core.event.BrokerKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EA start/stop (seed 003): the owner stops a MetaTrader account's EA from the dashboard; the EA
 * is told on every poll, the router sends the account nothing (alerts refused naming the stop),
 * the state survives a restart, and start lets it trade again. Foreign ids answer 404.
 */
class EaStartStopTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldStopAndStartTheEaAcrossARestart() throws Exception {
        String token;
        String key;
        long accountId;
        String license = MtxCredentials.newLicenseToken();
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            token = api.newUser("ea@test.local");
            long userId = server.database().jdbi().withHandle(h -> h.createQuery(
                    "select id from users where email = 'ea@test.local'").mapTo(Long.class).one());
            accountId = server.accounts().createBrokerAccount(userId, BrokerKind.MTX, "mt5", new MtxCredentials(license, ".m"));
            key = server.accounts().issueKey(accountId);
            SimulatedEa ea = new SimulatedEa(server.port(), license, 1.0852);
            assertThat(ea.heartbeat().status()).isEqualTo(200);
            String ea1 = "/api/accounts/" + accountId + "/ea";

            ApiClient.Answer running = api.get(ea1, token);
            assertThat(running.body().path("ea_state").asText()).isEqualTo("running");
            assertThat(running.body().path("connected").asBoolean()).isTrue();
            assertThat(running.body().path("last_heartbeat").isNull()).isFalse();
            assertThat(ea.post("poll?format=text", "{}").body()).startsWith("commands=0|").contains("|ea_state=running");

            assertThat(api.post(ea1 + "/stop", null, token).body().path("ea_state").asText()).isEqualTo("stopped");
            assertThat(ea.post("poll?format=text", "{}").body()).contains("|ea_state=stopped");
            assertThat(ea.post("poll", "{}").body()).contains("\"ea_state\":\"stopped\"");
            TestClient.Answer refused = alerts.alert(key, buy("EURUSD", 0.1, 1.0850));
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.body().toString()).contains("stopped from the dashboard");

            // Another user's account, and an account without an EA.
            String stranger = api.newUser("stranger@test.local");
            assertThat(api.post(ea1 + "/start", null, stranger).status()).isEqualTo(404);
            assertThat(api.get(ea1, stranger).status()).isEqualTo(404);
            long paper = api.post("/register/paper", null, stranger).body().path("account").path("id").asLong();
            assertThat(api.post("/api/accounts/" + paper + "/ea/stop", null, stranger).status()).isEqualTo(409);
        }

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            server.accounts().connectBrokerAccount(accountId, new MtxCredentials(license, ".m"));
            SimulatedEa ea = new SimulatedEa(server.port(), license, 1.0852);
            assertThat(ea.heartbeat().status()).isEqualTo(200);
            String ea1 = "/api/accounts/" + accountId + "/ea";

            assertThat(api.get(ea1, token).body().path("ea_state").asText()).as("kept across the restart").isEqualTo("stopped");
            assertThat(ea.post("poll?format=text", "{}").body()).contains("|ea_state=stopped");
            assertThat(alerts.alert(key, buy("EURUSD", 0.1, 1.0850)).status()).isEqualTo(502);

            assertThat(api.post(ea1 + "/start", null, token).body().path("ea_state").asText()).isEqualTo("running");
            assertThat(ea.post("poll?format=text", "{}").body()).contains("|ea_state=running");
            TestClient.Answer placed = alerts.alert(key, buy("EURUSD", 0.1, 1.0850));
            assertThat(placed.status()).as("%s", placed.body()).isEqualTo(200);
            assertThat(placed.body().path("status").asText()).isEqualTo("submitted");
        }
    }
}
