package io.tradeflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paper limit orders and stop losses over HTTP, on a real server (Netty, ring, Chronicle journal,
 * embedded PostgreSQL): a limit answered as pending and filled by a later alert's price, then a stop
 * loss fired by the CSV price feed after a restart, each visible in positions, orders and equity.
 * Paper costs are the defaults (no spread, slippage or commission); EURUSD's point value is 100 000.
 */
class PaperTriggersEndToEndTest {
    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir
    Path dataDir;

    private record Trader(String token, String key, long accountId) {
    }

    private static Trader signUpWithPaperAccount(ApiClient api) {
        String email = "triggers" + USERS.incrementAndGet() + "@test.local";
        ApiClient.Answer signup = api.signUp(email, "trigger password 1");
        assertThat(signup.status()).as("%s", signup).isEqualTo(201);
        String token = signup.body().path("access_token").asText();
        ApiClient.Answer registered = api.post("/register/paper", "{\"label\":\"paper\"}", token);
        assertThat(registered.status()).as("%s", registered).isEqualTo(201);
        return new Trader(token, registered.body().path("api_key").asText(),
                registered.body().path("account").path("id").asLong());
    }

    private static String login(ApiClient api, int user) {
        ApiClient.Answer login = api.post("/auth/login",
                "{\"email\":\"triggers" + user + "@test.local\",\"password\":\"trigger password 1\"}", null);
        assertThat(login.status()).as("%s", login).isEqualTo(200);
        return login.body().path("access_token").asText();
    }

    private static String unify(String intent) {
        return "{\"version\":\"unify.v1\",\"intent\":{" + intent + "}}";
    }

    @Test
    void shouldAnswerALimitAsPendingFillItFromALaterAlertsPriceAndShowUnrealisedPnlAndEquity() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            Trader t = signUpWithPaperAccount(api);

            TestClient.Answer placed = alerts.alert(t.key(), unify(
                    "\"action\":\"open\",\"side\":\"buy\",\"type\":\"limit\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0800"));
            assertThat(placed.status()).as("%s", placed.body()).isEqualTo(200);
            assertThat(placed.body().path("status").asText()).isEqualTo("pending");
            assertThat(placed.body().path("order_type").asText()).isEqualTo("limit");
            assertThat(placed.body().path("order_price").asDouble()).isEqualTo(1.08);
            String orderId = placed.body().path("order_id").asText();
            assertThat(orderId).startsWith("ord_");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    api.get("/api/orders?status=pending", t.token()).body().path("orders").get(0).path("id").asText())
                    .isEqualTo(orderId));

            // A later alert of the same account (a close with nothing to close) carries 1.0795: the limit fills there.
            TestClient.Answer later = alerts.alert(t.key(), unify("\"action\":\"close\",\"symbol\":\"EURUSD\",\"price\":1.0795"));
            assertThat(later.body().path("status").asText()).isEqualTo("no_action");
            // Then a stop loss for the position and a price of 1.0825 for the unrealised P&L.
            TestClient.Answer modify = alerts.alert(t.key(), unify("\"action\":\"modify\",\"symbol\":\"EURUSD\","
                    + "\"price\":1.0825,\"sl\":{\"mode\":\"price\",\"value\":1.0750}"));
            assertThat(modify.status()).as("%s", modify.body()).isEqualTo(200);

            JsonNode positions = await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/api/positions?with_accounts=true", t.token()).body(),
                    body -> body.path("positions").size() == 1
                            && body.path("positions").get(0).path("last_price").asDouble() == 1.0825
                            && body.path("positions").get(0).path("stop_loss").asDouble() == 1.075);
            JsonNode position = positions.path("positions").get(0);
            assertThat(position.path("side").asText()).isEqualTo("long");
            assertThat(position.path("quantity").asDouble()).isEqualTo(1);
            assertThat(position.path("average_price").asDouble()).isEqualTo(1.0795);
            // 1 lot × (1.0825 − 1.0795) × 100 000 = 300
            assertThat(position.path("unrealized_pnl").asDouble()).isCloseTo(300, within(1e-6));
            JsonNode account = positions.path("accounts").get(0);
            assertThat(account.path("account_id").asLong()).isEqualTo(t.accountId());
            assertThat(account.path("realized_pnl").asDouble()).isZero();
            assertThat(account.path("equity").asDouble()).isCloseTo(100_300, within(1e-6));

            JsonNode order = api.get("/api/orders?status=filled", t.token()).body().path("orders").get(0);
            assertThat(order.path("id").asText()).isEqualTo(orderId);
            assertThat(order.path("status").asText()).isEqualTo("filled");
            assertThat(order.path("order_type").asText()).isEqualTo("limit");
            assertThat(order.path("order_price").asDouble()).isEqualTo(1.08);
            assertThat(order.path("fill_price").asDouble()).isEqualTo(1.0795);
            assertThat(order.path("reason").asText()).isEqualTo("limit order filled at 1.0795");

            // PineConnector: a sell limit, then cancelshort cancels it; the order shows as cancelled.
            TestClient.Answer sellLimit = alerts.postAlert("/api/unify/v1/webhook",
                    t.key() + ",selllimit,EURUSD,risk=1,price=1.0900", null, "text/plain");
            assertThat(sellLimit.body().path("status").asText()).as("%s", sellLimit.body()).isEqualTo("pending");
            TestClient.Answer cancel = alerts.postAlert("/api/unify/v1/webhook",
                    t.key() + ",cancelshort,EURUSD", null, "text/plain");
            assertThat(cancel.body().path("message").asText()).isEqualTo("cancelled 1 pending order");
            JsonNode cancelled = await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/api/orders?status=cancelled", t.token()).body().path("orders"), o -> o.size() == 1);
            assertThat(cancelled.get(0).path("id").asText()).isEqualTo(sellLimit.body().path("order_id").asText());
            assertThat(cancelled.get(0).path("order_type").asText()).isEqualTo("limit");
            assertThat(cancelled.get(0).path("order_price").asDouble()).isEqualTo(1.09);
        }
    }

    /**
     * Before the restart: a long EURUSD with a stop loss, a pending buy limit and a long GBPUSD with
     * a 20-pip trailing stop. After it (state rebuilt from the database and the journal), the CSV
     * feed's prices fire the stop, fill the limit and trail then exit the GBPUSD position.
     */
    @Test
    void shouldFireStopsLimitsAndTrailsFromTheCsvPriceFeedAfterARestart() throws Exception {
        int user;
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            Trader t = signUpWithPaperAccount(api);
            user = USERS.get();
            TestClient.Answer open = alerts.alert(t.key(), unify("\"action\":\"open\",\"side\":\"buy\","
                    + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0850,\"sl\":{\"mode\":\"price\",\"value\":1.0800}"));
            assertThat(open.status()).as("%s", open.body()).isEqualTo(200);
            assertThat(open.body().path("stop_loss").asDouble()).isEqualTo(1.08);
            TestClient.Answer limit = alerts.alert(t.key(), unify("\"action\":\"open\",\"side\":\"buy\","
                    + "\"type\":\"limit\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0795"));
            assertThat(limit.body().path("status").asText()).as("%s", limit.body()).isEqualTo("pending");
            TestClient.Answer trailing = alerts.alert(t.key(), unify("\"action\":\"open\",\"side\":\"buy\","
                    + "\"symbol\":\"GBPUSD\",\"qty\":1,\"price\":1.2650,\"sl\":{\"mode\":\"trail\",\"value\":20}"));
            assertThat(trailing.status()).as("%s", trailing.body()).isEqualTo(200);
            assertThat(trailing.body().path("stop_loss").asDouble()).isCloseTo(1.2630, within(1e-9));
        }
        Path csv = Files.write(dataDir.resolve("prices.csv"), List.of(
                "timestamp,symbol,price",
                "2026-11-23T14:00:00Z,EURUSD,1.0830",
                "1795442401000,EURUSD,1.0799",
                "2026-11-23T14:00:02Z,EURUSD,1.0790",
                "2026-11-23T14:00:03Z,GBPUSD,1.2700",
                "2026-11-23T14:00:04Z,GBPUSD,1.2679"));

        try (TradeFlowServer server = TestServers.start(dataDir, Map.of("prices.feed", "csv",
                "prices.csv.path", csv.toString()))) {
            ApiClient api = new ApiClient(server.port());
            String token = login(api, user);

            JsonNode orders = await().atMost(Duration.ofSeconds(20)).until(
                    () -> api.get("/api/orders", token).body().path("orders"),
                    o -> o.size() == 5 && o.toString().contains("trailing stop"));
            // By id, newest first: trailing exit, stop-loss exit, GBPUSD entry, the limit (its id from placement), EURUSD entry.
            JsonNode trail = orders.get(0);
            assertThat(trail.path("symbol").asText()).isEqualTo("GBPUSD");
            assertThat(trail.path("reason").asText()).startsWith("trailing stop hit at 1.268");
            assertThat(trail.path("fill_price").asDouble()).isEqualTo(1.2679);
            // (1.2679 − 1.2650) × 100 000 = 290
            assertThat(trail.path("realized_pnl").asDouble()).isCloseTo(290, within(1e-6));
            JsonNode stop = orders.get(1);
            assertThat(stop.path("side").asText()).isEqualTo("sell");
            assertThat(stop.path("fill_price").asDouble()).isEqualTo(1.0799);
            assertThat(stop.path("reason").asText()).isEqualTo("stop loss hit at 1.08");
            // 1 lot × (1.0799 − 1.0850) × 100 000 = −510
            assertThat(stop.path("realized_pnl").asDouble()).isCloseTo(-510, within(1e-6));
            JsonNode filledLimit = orders.get(3);
            assertThat(filledLimit.path("status").asText()).isEqualTo("filled");
            assertThat(filledLimit.path("order_type").asText()).isEqualTo("limit");
            assertThat(filledLimit.path("fill_price").asDouble()).as("gapped through the limit").isEqualTo(1.079);

            JsonNode positions = api.get("/api/positions?with_accounts=true", token).body();
            assertThat(positions.path("positions")).singleElement().satisfies(p -> {
                assertThat(p.path("symbol").asText()).isEqualTo("EURUSD");
                assertThat(p.path("average_price").asDouble()).isEqualTo(1.079);
                assertThat(p.path("last_price").asDouble()).isEqualTo(1.079);
                assertThat(p.path("unrealized_pnl").asDouble()).isCloseTo(0, within(1e-6));
            });
            JsonNode account = positions.path("accounts").get(0);
            assertThat(account.path("realized_pnl").asDouble()).isCloseTo(-220, within(1e-6));
            assertThat(account.path("equity").asDouble()).isCloseTo(99_780, within(1e-6));
            assertThat(api.get("/reports/pnl", token).body().path("total").path("net").asDouble()).as("the P&L report")
                    .isCloseTo(-220, within(1e-6));
        }
    }
}
