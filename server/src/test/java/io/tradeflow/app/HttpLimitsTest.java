package io.tradeflow.app;

import io.tradeflow.core.event.BrokerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resource limits on the real server, over raw sockets: oversized bodies and headers, clients
 * trickling bytes, the per-key rate limit, and the security headers every answer carries.
 * The connection cap and the per-address limit need their own servers: see
 * {@link ConnectionCapAndPerIpLimitTest}.
 */
class HttpLimitsTest {
    private static final String WEBHOOK = "/api/unify/v1/webhook";

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of(
                "http.max-body-size", "1KiB",
                "http.max-header-size", "1KiB",
                "http.request-timeout", "1s",
                "risk.rate-limit.per-window", "2",
                "risk.rate-limit.window", "1h"));
        long userId = server.accounts().createUser("limits@test.local", true, Instant.now());
        key = server.accounts().issueKey(server.accounts().createAccount(userId, BrokerKind.PAPER, "paper"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAnswer413AndCloseTheConnectionWhenTheBodyIsTooLarge() throws IOException {
        String body = "{\"intent\":{\"symbol\":\"" + "X".repeat(2000) + "\"}}";
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received answer = http.send(RawHttp.post(WEBHOOK, "Connection: keep-alive\r\n", body)).readUntilClosed();
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.text()).contains("\"code\":\"PAYLOAD_TOO_LARGE\"", "\"field\":\"body\"");
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void shouldAnswer413AndCloseTheConnectionWhenAChunkedBodyGrowsTooLarge() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("POST " + WEBHOOK + " HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                http.send("200\r\n" + "a".repeat(0x200) + "\r\n");
            }
            RawHttp.Received answer = http.readUntilClosed();
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void shouldAnswer431AndCloseTheConnectionWhenTheHeadersAreTooLarge() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received answer = http.send(RawHttp.get("/health", "X-Padding: " + "p".repeat(2000) + "\r\n"))
                    .readUntilClosed();
            assertThat(answer.status()).isEqualTo(431);
            assertThat(answer.closed()).isTrue();
        }
    }

    @Test
    void shouldCutAClientTricklingHeaderBytesAtTheRequestDeadline() throws Exception {
        assertCutWhileTrickling("GET /health HTTP/1.1\r\nHost: localhost\r\n", "X-Slow: " + "s".repeat(500));
    }

    @Test
    void shouldCutAClientTricklingBodyBytesAtTheRequestDeadline() throws Exception {
        assertCutWhileTrickling(
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key + "\r\nContent-Length: 900\r\n\r\n",
                " ".repeat(900));
    }

    /**
     * Sends {@code head}, then {@code trickle} one byte every 50 ms (far under the idle timeout,
     * far over the 1 s deadline when added up): the server must answer 408 and close while the
     * client is still sending.
     */
    private static void assertCutWhileTrickling(String head, String trickle) throws Exception {
        try (RawHttp http = new RawHttp(server.port())) {
            http.send(head);
            AtomicBoolean stillSending = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread trickler = new Thread(() -> {
                try {
                    for (char c : trickle.toCharArray()) {
                        http.send(String.valueOf(c));
                        sent.incrementAndGet();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException closedByServer) {
                    // expected: the server cut the connection
                } finally {
                    stillSending.set(false);
                }
            }, "trickler");
            trickler.setDaemon(true);
            trickler.start();
            RawHttp.Received answer = http.readUntilClosed();
            int sentWhenCut = sent.get();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.text()).contains("\"code\":\"REQUEST_TIMEOUT\"");
            assertThat(answer.closed()).isTrue();
            assertThat(sentWhenCut).isLessThan(trickle.length());
            trickler.join(Duration.ofSeconds(60).toMillis());
            assertThat(stillSending.get()).isFalse();
        }
    }

    @Test
    void shouldKeepServingAConnectionThatSendsCompleteRequests() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(RawHttp.get("/health", "")).readOneResponse().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldAnswer429WithRetryAfterBeyondThePerKeyLimit() {
        TestClient client = new TestClient(server.port());
        assertThat(client.alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        assertThat(client.alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        TestClient.Answer limited = client.alert(key, buy("EURUSD", 1, 1.1));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(limited.raw().headers().firstValue("Retry-After")).get()
                .satisfies(v -> assertThat(Integer.parseInt(v)).isBetween(1, 3600));
    }

    @Test
    void shouldSendSecurityHeadersAndGrantNoCrossOriginAccess() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received health = http.send(RawHttp.get("/health", "Origin: https://evil.example\r\n")).readOneResponse();
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(health.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(health.header("Content-Security-Policy")).contains("default-src 'none'");
            assertThat(health.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(health.header("Cache-Control")).isEqualTo("no-store");
            assertThat(health.header("Access-Control-Allow-Origin")).isNull();

            RawHttp.Received preflight = http.send("OPTIONS " + WEBHOOK + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Origin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n\r\n").readOneResponse();
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
            assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
        }
    }
}
