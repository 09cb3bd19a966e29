package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A separately hosted frontend (http.cors-origins): its listed origin gets preflights answered and
 * Access-Control-Allow-Origin with credentials; any other origin gets nothing, as without the
 * setting. Error bodies carry the message as a top-level detail too.
 */
class CorsTest {
    private static final String FRONTEND = "https://app.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of("http.cors-origins", FRONTEND + ", http://localhost:3000"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp.Received preflight(RawHttp http, String origin) throws IOException {
        return http.send("OPTIONS /api/unify/v1/auth/signup HTTP/1.1\r\nHost: localhost\r\nOrigin: " + origin
                + "\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type, authorization\r\n\r\n")
                .readOneResponse();
    }

    private static JsonNode body(RawHttp.Received received) throws IOException {
        return JSON.readTree(received.text().substring(received.text().indexOf("\r\n\r\n") + 4));
    }

    @Test
    void shouldAnswerTheListedOriginsPreflightAndRequestsWithCredentials() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received preflight = preflight(http, FRONTEND);

            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(FRONTEND);
            assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
            assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST").contains("PATCH");
            assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization")
                    .containsIgnoringCase("content-type");
            assertThat(preflight.header("Vary")).isEqualTo("Origin");

            String body = "{\"email\":\"cors@test.local\",\"password\":\"correct horse battery\",\"name\":\"Cors\"}";
            RawHttp.Received signup = http.send(RawHttp.post("/api/unify/v1/auth/signup",
                    "Origin: " + FRONTEND + "\r\n", body)).readOneResponse();
            assertThat(signup.status()).isEqualTo(201);
            assertThat(signup.header("Access-Control-Allow-Origin")).isEqualTo(FRONTEND);
            assertThat(signup.header("Access-Control-Allow-Credentials")).isEqualTo("true");

            RawHttp.Received refused = http.send(RawHttp.get("/api/unify/v1/user/profile", "Origin: " + FRONTEND + "\r\n"))
                    .readOneResponse();
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("Access-Control-Allow-Origin")).as("errors are readable too").isEqualTo(FRONTEND);
            JsonNode error = body(refused);
            assertThat(error.path("detail").asText()).isNotBlank().isEqualTo(error.path("error").path("message").asText());
        }
    }

    @Test
    void shouldGrantNothingToAnOriginNotListed() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received preflight = preflight(http, "https://evil.example");
            assertThat(preflight.status()).isEqualTo(403);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
            assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
            assertThat(body(preflight).path("detail").asText()).contains("cross-origin");

            RawHttp.Received health = http.send(RawHttp.get("/health", "Origin: https://evil.example\r\n")).readOneResponse();
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("Access-Control-Allow-Origin")).isNull();
            assertThat(health.header("Vary")).isEqualTo("Origin");
        }
    }

    @Test
    void shouldPutDetailInWebhookErrorsToo() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received refused = http.send(RawHttp.post("/api/unify/v1/webhook", "",
                    "{\"version\":\"unify.v1\",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}")).readOneResponse();

            assertThat(refused.status()).isEqualTo(401);
            JsonNode error = body(refused);
            assertThat(error.path("error").path("code").asText()).isEqualTo("UNAUTHORIZED");
            assertThat(error.path("detail").asText()).isEqualTo(error.path("error").path("message").asText()).isNotBlank();
        }
    }
}
