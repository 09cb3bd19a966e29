package io.tradeflow.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cap on open connections and the per-address request limit, each on its own server. */
class ConnectionCapAndPerIpLimitTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldCloseConnectionsBeyondTheCapAndAcceptAgainWhenOneCloses() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of("http.max-connections", "3"))) {
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp http = new RawHttp(server.port());
                    open.add(http);
                    // An answer proves the server counted this connection before the next one.
                    assertThat(http.send(RawHttp.get("/health", "")).readOneResponse().status()).isEqualTo(200);
                }
                try (RawHttp beyond = new RawHttp(server.port())) {
                    RawHttp.Received refused = beyond.send(RawHttp.get("/health", "")).readUntilClosed();
                    assertThat(refused.closed()).isTrue();
                    assertThat(refused.status()).isZero();
                }
                open.remove(0).close();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    try (RawHttp again = new RawHttp(server.port())) {
                        assertThat(again.send(RawHttp.get("/health", "")).readOneResponse().status()).isEqualTo(200);
                    }
                });
            } finally {
                for (RawHttp http : open) {
                    http.close();
                }
            }
        }
    }

    @Test
    void shouldAnswer429WithRetryAfterBeyondThePerAddressLimit() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of(
                "http.per-ip-limit.per-window", "5", "http.per-ip-limit.window", "10m"))) {
            try (RawHttp http = new RawHttp(server.port())) {
                for (int i = 0; i < 5; i++) {
                    assertThat(http.send(RawHttp.get("/health", "")).readOneResponse().status()).isEqualTo(200);
                }
                RawHttp.Received limited = http.send(RawHttp.post("/api/unify/v1/webhook", "", "{}")).readOneResponse();
                assertThat(limited.status()).isEqualTo(429);
                assertThat(limited.text()).contains("\"code\":\"RATE_LIMITED\"");
                assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 600);
            }
        }
    }
}
