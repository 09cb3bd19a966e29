package io.tradeflow.app;

import io.tradeflow.core.event.BrokerKind;
import org.jdbi.v3.core.Jdbi;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Failures inside the router stay contained: a stage that throws on one alert costs that alert a
 * 500 with an error id (journaled with the internal reason) and the next alert is routed normally;
 * a stuck stage fills the ring, and alerts beyond it are refused at once with 503 OVERLOADED
 * instead of waiting.
 */
class FaultContainmentTest {
    private static final int RING_SIZE = 64;

    @TempDir
    static Path dataDir;

    private static final FaultyVenue VENUE = new FaultyVenue();
    private static TradeFlowServer server;
    private static TestClient client;
    private static String key;
    private static long accountId;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of(
                "ring.size", Integer.toString(RING_SIZE),
                "risk.rate-limit.per-window", "1000000",
                "trial.max-trades", "1000000"), VENUE);
        client = new TestClient(server.port());
        long userId = server.accounts().createUser("faults@test.local", true, Instant.now());
        accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
        key = server.accounts().issueKey(accountId);
    }

    @AfterAll
    static void stop() {
        VENUE.release();
        server.close();
    }

    @Test
    void shouldAnswerAPoisonEvent500WithAnErrorIdAndRouteTheNextOneNormally() {
        TestClient.Answer poisoned = client.alert(key, buy(FaultyVenue.POISON, 1, 10));
        TestClient.Answer next = client.alert(key, buy("EURUSD", 1, 1.1));

        assertThat(poisoned.status()).isEqualTo(500);
        assertThat(poisoned.errorCode()).isEqualTo("INTERNAL_ERROR");
        String message = poisoned.body().path("error").path("message").asText();
        assertThat(message).matches("internal error err_\\d+_\\d+");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body().path("status").asText()).isEqualTo("accepted");

        Jdbi jdbi = server.database().jdbi();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.projection().lastAppliedIndex() >= next.journalIndex());
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(
                "select outcome, http_status, reason, order_id from intents where journal_index = :i")
                .bind("i", poisoned.journalIndex()).mapToMap().one());
        assertThat(row).containsEntry("outcome", "INTERNAL_ERROR").containsEntry("http_status", 500)
                .containsEntry("reason", message).containsEntry("order_id", null);
    }

    @Test
    void shouldRefuseWith503OverloadedAtOnceWhenTheRingIsFull() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> stalled = post(http, buy(FaultyVenue.STALL, 1, 10));
        assertThat(VENUE.awaitStalled()).isTrue();

        List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
        for (int i = 0; i < RING_SIZE * 2; i++) {
            // Alternating sides reverse the position each time, so no pyramiding limit is reached.
            flood.add(post(http, i % 2 == 0 ? buy("EURUSD", 1, 1.1) : sell("EURUSD", 1, 1.1)));
        }
        // The ring holds RING_SIZE events, one of them the stalled alert: at least RING_SIZE + 1 of
        // the flood cannot fit. Every one of those is refused while the ring thread is still stuck,
        // so none of them waited for a slot to free (none could), and none is left hanging.
        int cannotFit = flood.size() - (RING_SIZE - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> flood.stream()
                .filter(f -> f.isDone() && f.join().statusCode() == 503).count() >= cannotFit);
        assertThat(stalled).as("the ring thread was stuck all along").isNotDone();
        assertThat(flood).as("nothing was answered 200 while the ring was stuck")
                .noneMatch(f -> f.isDone() && f.join().statusCode() == 200);
        VENUE.release();

        assertThat(stalled.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> answer : flood) {
            HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("\"code\":\"OVERLOADED\"");
                refused++;
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(cannotFit);
        assertThat(client.alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
    }

    private static CompletableFuture<HttpResponse<String>> post(HttpClient http, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/unify/v1/webhook"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
