package io.tradeflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics by strategy over HTTP against the real server (Netty, ring, journal, projection,
 * embedded PostgreSQL): alerts tagged in each of the three languages, and one untagged, end up
 * grouped by PostgreSQL per tag.
 */
class StrategyAnalyticsTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldGroupTradesByTheAlertsStrategyTagWithTheAnalyticsFilters() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            String token = api.newUser("strategies@test.local");
            ApiClient.Answer registered = api.post("/register/paper", "{\"label\":\"strategies\"}", token);
            assertThat(registered.status()).as("%s", registered).isEqualTo(201);
            String key = registered.body().path("api_key").asText();

            // "breakout": unify.v1, the top-level tag on the entry and user_context's on the exit: +4.
            accepted(alerts.alert(key, "{\"version\":\"unify.v1\",\"strategy\":\"breakout\",\"intent\":{\"side\":\"buy\","
                    + "\"symbol\":\"AAAUSD\",\"qty\":2,\"price\":10}}"));
            accepted(alerts.alert(key, "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"close\",\"symbol\":\"AAAUSD\","
                    + "\"qty\":2,\"price\":12},\"user_context\":{\"strategy\":\"breakout\"}}"));
            // "mean-rev": a TradersPost entry and a PineConnector exit with a quoted comment: -10.
            accepted(alerts.alert(key, "{\"ticker\":\"BBBUSD\",\"action\":\"buy\",\"quantity\":\"1\",\"price\":\"100\","
                    + "\"strategy\":\"mean-rev\"}"));
            accepted(alerts.postAlert("/api/unify/v1/webhook", key + ",closelong,BBBUSD,price=90,comment=\"mean-rev\"\n",
                    null, "text/plain"));
            // A tag too long for the field is refused naming it, and makes no trade.
            TestClient.Answer tooLong = alerts.alert(key, "{\"strategy\":\"" + "x".repeat(33) + "\",\"intent\":{\"side\":\"buy\","
                    + "\"symbol\":\"DDDUSD\",\"qty\":1,\"price\":1}}");
            assertThat(tooLong.status()).isEqualTo(400);
            assertThat(tooLong.errorField()).isEqualTo("strategy");
            // Untagged; sent last, so once its trade shows every earlier alert is projected too.
            accepted(alerts.alert(key, TestClient.buy("CCCUSD", 3, 5)));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("/metrics", token).body().path("totalTrades").asLong() == 5);
            JsonNode answer = api.get("/analytics/strategies?time_range=all", token).body();

            assertThat(answer.path("timeRange").asText()).isEqualTo("all");
            JsonNode groups = answer.path("byStrategy");
            assertThat(groups).hasSize(3);
            assertGroup(groups.get(0), "breakout", 2, 4, 1, 0, 4);
            assertGroup(groups.get(1), "mean-rev", 2, 2, 0, 1, -10);
            assertThat(groups.get(2).path("strategy").isNull()).as("untagged group: %s", groups.get(2)).isTrue();
            assertGroup(groups.get(2), null, 1, 3, 0, 0, 0);

            assertThat(api.get("/analytics/strategies", token).body().path("byStrategy")).hasSize(3);
            assertThat(api.get("/analytics/strategies?broker=paper&time_range=1d", token).body().path("byStrategy")).hasSize(3);
            assertThat(api.get("/analytics/strategies?broker=tradelocker", token).body().path("byStrategy")).isEmpty();
            String otherUser = api.newUser("strangers@test.local");
            assertThat(api.get("/analytics/strategies?time_range=all", otherUser).body().path("byStrategy")).isEmpty();

            // The webhook log shows each alert's tag.
            JsonNode log = api.get("/api/logs/webhooks?outcome=ACCEPTED", token).body().path("entries");
            List<String> logged = new ArrayList<>();
            log.forEach(entry -> logged.add(entry.path("strategy").isNull() ? "-" : entry.path("strategy").asText()));
            assertThat(logged).containsExactly("-", "mean-rev", "mean-rev", "breakout", "breakout");

            // The intents table keeps it too, refusals included (a refused tag leaves the alert untagged).
            Jdbi jdbi = server.database().jdbi();
            List<String> tags = jdbi.withHandle(h -> h.createQuery("select coalesce(strategy, '-') from intents"
                    + " order by journal_index").mapTo(String.class).list());
            assertThat(tags).containsExactly("breakout", "breakout", "mean-rev", "mean-rev", "-", "-");
        }
    }

    private static void accepted(TestClient.Answer answer) {
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);
    }

    private static void assertGroup(JsonNode group, String strategy, long trades, double volume, long wins, long losses,
                                    double pnl) {
        if (strategy != null) {
            assertThat(group.path("strategy").asText()).isEqualTo(strategy);
        }
        assertThat(group.path("trades").asLong()).as("trades of %s", group).isEqualTo(trades);
        assertThat(group.path("volume").asDouble()).as("volume of %s", group).isCloseTo(volume, within(1e-9));
        assertThat(group.path("wins").asLong()).as("wins of %s", group).isEqualTo(wins);
        assertThat(group.path("losses").asLong()).as("losses of %s", group).isEqualTo(losses);
        assertThat(group.path("pnl").asDouble()).as("pnl of %s", group).isCloseTo(pnl, within(1e-9));
    }
}
