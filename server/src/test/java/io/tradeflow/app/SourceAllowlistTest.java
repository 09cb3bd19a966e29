package io.tradeflow.app;

import io.tradeflow.core.event.BrokerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code http.webhook-allowed-sources}: with TradingView's published addresses configured, a
 * webhook from any other address is refused with 403 before it reaches the ring, while health
 * checks still answer; with the caller's address in the list, alerts are routed.
 */
class SourceAllowlistTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldRefuseWebhooksFromAnAddressOutsideTheAllowlist() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of("http.webhook-allowed-sources",
                "52.89.214.238,34.212.75.30,54.218.53.128,52.32.178.7"))) {
            String key = keyFor(server);
            TestClient client = new TestClient(server.port());
            long cursor = server.ring().ringBuffer().getCursor();

            TestClient.Answer refused = client.alert(key, buy("EURUSD", 1, 1.1));

            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("SOURCE_NOT_ALLOWED");
            assertThat(client.get("/health").status()).isEqualTo(200);
            assertThat(server.ring().ringBuffer().getCursor()).as("nothing was published to the ring").isEqualTo(cursor);
        }
    }

    @Test
    void shouldRouteWebhooksFromAnAllowedAddress() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of("http.webhook-allowed-sources",
                "52.89.214.238,127.0.0.0/8,::1"))) {
            String key = keyFor(server);
            assertThat(new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
            try (RawHttp raw = new RawHttp(server.port())) {
                assertThat(raw.send(RawHttp.post("/api/unify/v1/webhook", "Authorization: Bearer " + key + "\r\n",
                        buy("EURUSD", 1, 1.1))).readOneResponse().status()).isEqualTo(200);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static String keyFor(TradeFlowServer server) {
        long userId = server.accounts().createUser("allowlist@test.local", true, Instant.now());
        return server.accounts().issueKey(server.accounts().createAccount(userId, BrokerKind.PAPER, "paper"));
    }
}
