package io.tradeflow.app;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop tells live clients why (1001); after the restart the same token and account work again,
 * and a client resuming with the previous run's sequence is told to reload (the numbers restarted).
 */
class LiveStreamRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldSayGoingAwayOnStopAndAskForAReloadAfterTheRestart() throws Exception {
        String token;
        long accountId;
        String key;
        String epoch;
        long last;
        WsTestClient ws;
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            token = api.newUser("restart@live.local");
            ApiClient.Answer registered = api.post("/register/paper", "{\"label\":\"live\"}", token);
            accountId = registered.body().path("account").path("id").asLong();
            key = registered.body().path("api_key").asText();
            ws = WsTestClient.account(server.port(), accountId).auth(token);
            epoch = ws.next().path("epoch").asText();
            assertThat(new TestClient(server.port()).alert(key, buy("LIVEUSD", 1, 1.5)).status()).isEqualTo(200);
            last = ws.next(5).get(4).path("seq").asLong();
        }
        WsTestClient.Closed closed = ws.awaitClosed();
        assertThat(closed.code()).isEqualTo(1001);
        assertThat(closed.reason()).contains("stopping");
        ws.close();

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of());
             WsTestClient again = WsTestClient.account(server.port(), accountId)
                     .send("{\"token\":\"" + token + "\",\"since\":" + last + ",\"epoch\":\"" + epoch + "\"}")) {
            JsonNode hello = again.next();
            assertThat(hello.path("type").asText()).isEqualTo("connected");
            assertThat(hello.path("epoch").asText()).isNotEqualTo(epoch);
            JsonNode reload = again.next();
            assertThat(reload.path("type").asText()).isEqualTo("reload");
            assertThat(reload.path("reason").asText()).contains("restarted");
            assertThat(new TestClient(server.port()).alert(key, buy("LIVEUSD", 1, 1.5)).status()).isEqualTo(200);
            assertThat(again.next().path("seq").asLong()).isEqualTo(1);
        }
    }
}
