package io.tradeflow.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web dashboard's refresh cookie over real HTTP: set HttpOnly, Secure, SameSite=Strict and
 * scoped to the auth routes on sign-up, login and refresh; a refresh with the cookie alone renews
 * and rotates the session, the used cookie then fails, logout ends the session and clears it. The
 * JSON refresh for API clients is unchanged.
 */
class RefreshCookieTest {
    @TempDir
    static Path dataDir;
    private static TradeFlowServer server;
    private static String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of());
        base = "http://127.0.0.1:" + server.port() + "/api/unify/v1";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> post(String path, String body, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void shouldKeepTheRefreshTokenInAStrictHttpOnlyCookieThatRenewsAndRotatesTheSession() throws Exception {
        HttpResponse<String> signUp = post("/auth/signup", "{\"email\":\"cookie@example.com\",\"password\":\"long enough pw\"}", null);
        assertThat(signUp.statusCode()).isEqualTo(201);
        String setCookie = signUp.headers().firstValue("Set-Cookie").orElseThrow();
        // Max-Age: auth.refresh-token-ttl, 7 days by default (002).
        assertThat(setCookie).startsWith("tf_refresh=rt_")
                .contains("; HttpOnly", "; Secure", "; SameSite=Strict", "; Path=/api/unify/v1/auth/", "; Max-Age=604800");
        // API clients still get the token in the JSON answer.
        assertThat(signUp.body()).contains("\"refresh_token\":\"" + cookie(signUp).substring("tf_refresh=".length()) + "\"");

        HttpResponse<String> login = post("/auth/login", "{\"email\":\"cookie@example.com\",\"password\":\"long enough pw\"}", null);
        assertThat(login.statusCode()).isEqualTo(200);
        String first = cookie(login);

        HttpResponse<String> renewed = post("/auth/refresh", "{}", first);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        assertThat(renewed.body()).contains("\"access_token\"");
        String second = cookie(renewed);
        assertThat(second).isNotEqualTo(first);

        HttpResponse<String> loggedOut = post("/auth/logout", "{}", second);
        assertThat(loggedOut.statusCode()).isEqualTo(200);
        assertThat(loggedOut.body()).contains("\"session_ended\":true");
        assertThat(loggedOut.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("tf_refresh=;").contains("Max-Age=0");
        assertThat(post("/auth/refresh", "{}", second).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldStillRefuseARefreshWithNeitherBodyTokenNorCookieNamingTheField() throws Exception {
        HttpResponse<String> refused = post("/auth/refresh", "{}", null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"refresh_token\"");
        assertThat(post("/auth/refresh", "{}", "tf_refresh=rt_not-a-real-token").statusCode()).isEqualTo(401);
    }
}
