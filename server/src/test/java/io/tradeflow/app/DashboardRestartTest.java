package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.broker.stub.ProjectXStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the dashboard changed survives a restart on the same data directory: a position closed
 * from the dashboard stays closed in the router, risk config and key rotation still apply, and the
 * demo secrets generated on the first start still open sessions and decrypt the broker credentials
 * the account is logged in with again.
 */
class DashboardRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldKeepDashboardChangesAcrossRestart() throws Exception {
        String token;
        String oldKey;
        String newKey;
        long accountId;
        long brokerAccountId;
        try (ProjectXStub projectX = new ProjectXStub()) {
            Map<String, String> overrides = Map.of("brokers.projectx-url", projectX.baseUri().toString());
            try (TradeFlowServer server = TestServers.start(dataDir, overrides)) {
                ApiClient api = new ApiClient(server.port());
                TestClient alerts = new TestClient(server.port());
                token = api.newUser("restart@test.local");
                ApiClient.Answer registered = api.post("/register/paper", null, token);
                oldKey = registered.body().path("api_key").asText();
                accountId = registered.body().path("account").path("id").asLong();
                brokerAccountId = api.post("/register/projectx",
                        "{\"credentials\":{\"username\":\"" + ProjectXStub.USER + "\",\"api_key\":\""
                                + ProjectXStub.API_KEY + "\"}}", token)
                        .body().path("account").path("id").asLong();
                assertThat(alerts.alert(oldKey, buy("EURUSD", 2, 1.10)).status()).isEqualTo(200);
                assertThat(alerts.alert(oldKey, buy("XAUUSD", 1, 2000)).status()).isEqualTo(200);
                assertThat(api.post("/api/orders/close", "{\"account_id\":" + accountId + ",\"symbol\":\"EURUSD\"}", token)
                        .body().path("closed").asBoolean()).isTrue();
                api.call("PUT", "/api/accounts/" + accountId + "/risk_config", "{\"max_quantity\":3}", token);
                newKey = api.post("/api/accounts/" + accountId + "/api_key/regenerate", null, token).body().path("api_key").asText();
            }

            try (TradeFlowServer server = TestServers.start(dataDir, overrides)) {
                ApiClient api = new ApiClient(server.port());
                TestClient alerts = new TestClient(server.port());

                JsonNode positions = api.get("/api/positions?with_accounts=true", token).body().path("positions");
                assertThat(positions).as("the access token still verifies: same generated secret").hasSize(1);
                assertThat(positions.get(0).path("symbol").asText()).isEqualTo("XAUUSD");
                TestClient.Answer close = alerts.alert(newKey, TestClient.order("close", "buy", "EURUSD", 1, 1.1));
                assertThat(close.body().path("status").asText()).as("the router knows EURUSD is flat").isEqualTo("no_action");
                assertThat(alerts.alert(newKey, buy("EURUSD", 4, 1.1)).body().path("error").path("rule").asText())
                        .isEqualTo("max_quantity");
                assertThat(alerts.alert(oldKey, buy("EURUSD", 1, 1.1)).status()).isEqualTo(401);
                assertThat(server.accounts().credentials(brokerAccountId)).hasValueSatisfying(c ->
                        assertThat(c.path("api_key").asText()).isEqualTo(ProjectXStub.API_KEY));
                assertThat(api.get("/api/user/brokers", token).body().path("accounts"))
                        .filteredOn(a -> a.path("id").asLong() == brokerAccountId).singleElement()
                        .satisfies(a -> assertThat(a.path("connected").asBoolean()).as("logged in again on start").isTrue());
            }
        }
    }
}
