package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.BrokerKind;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end: a real server (Netty on an ephemeral port, the ring, the
 * Chronicle journal, embedded PostgreSQL) driven over HTTP.
 */
class WebhookEndToEndTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static TestClient client;
    private static Jdbi jdbi;
    private static final AtomicInteger USERS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of("http.max-body-size", "4KiB"));
        client = new TestClient(server.port());
        jdbi = server.database().jdbi();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Account(long userId, long accountId, String key) {
    }

    private static Account newAccount(boolean trial, Instant signup) {
        AccountService accounts = server.accounts();
        long userId = accounts.createUser("user" + USERS.incrementAndGet() + "@test.local", trial, signup);
        long accountId = accounts.createAccount(userId, BrokerKind.PAPER, "paper");
        return new Account(userId, accountId, accounts.issueKey(accountId));
    }

    private static Account newAccount() {
        return newAccount(false, Instant.now());
    }

    private static RiskLimits limits(double maxQty, double maxDailyLoss, int maxOpen, String hours, String zone,
                                     List<String> symbols, int perWindow) {
        return new RiskLimits(maxQty, maxDailyLoss, maxOpen, hours, ZoneId.of(zone), symbols, perWindow, Duration.ofDays(1));
    }

    /** Waits until the projection has written the alert to the webhook log, and returns its outcome. */
    private static String loggedOutcome(TestClient.Answer answer) {
        long index = answer.journalIndex();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbi.withHandle(h ->
                h.createQuery("select count(*) from intents where journal_index = :i").bind("i", index)
                        .mapTo(Integer.class).one()) == 1);
        return jdbi.withHandle(h -> h.createQuery("select outcome from intents where journal_index = :i")
                .bind("i", index).mapTo(String.class).one());
    }

    private static int ordersOf(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from orders where account_id = :a")
                .bind("a", accountId).mapTo(Integer.class).one());
    }

    @Test
    void shouldAcceptValidAlertWithOrderIdAndOpenPaperPosition() {
        Account a = newAccount();
        TestClient.Answer answer = client.alert(a.key(), buy("EURUSD", 2, 1.0854));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("success").asBoolean()).isTrue();
        assertThat(answer.body().path("order_id").asText()).startsWith("ord_");
        assertThat(answer.body().path("status").asText()).isEqualTo("accepted");
        assertThat(answer.body().path("message").asText()).isEqualTo("Market buy order executed for EURUSD");
        assertThat(loggedOutcome(answer)).isEqualTo("ACCEPTED");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Optional<Double> quantity = jdbi.withHandle(h ->
                    h.createQuery("select quantity from positions where account_id = :a and symbol = 'EURUSD'")
                            .bind("a", a.accountId()).mapTo(Double.class).findOne());
            assertThat(quantity).contains(2.0);
        });
        assertThat(ordersOf(a.accountId())).isEqualTo(1);
    }

    @Test
    void shouldAcceptKeyInQueryOrBodyTextPlainStringNumbersAndTrailingNewline() {
        Account a = newAccount();
        String body = "{\"version\":\"unify.v1\",\"intent\":{\"side\":\"BUY\",\"symbol\":\"gbpusd\","
                + "\"qty\":\"1\",\"price\":\"1.2650\"}}\n\n";
        TestClient.Answer viaQuery = client.postAlert("/api/unify/v1/webhook?key=" + a.key(), body, null, "text/plain");
        assertThat(viaQuery.status()).isEqualTo(200);
        assertThat(viaQuery.body().path("symbol").asText()).isEqualTo("GBPUSD");

        String withKey = "{\"api_key\":\"" + a.key() + "\",\"intent\":{\"action\":\"close\",\"symbol\":\"GBPUSD\",\"price\":1.27}}";
        TestClient.Answer viaBody = client.postAlert("/api/unify/v1/webhook/paper", withKey, null, "text/plain; charset=utf-8");
        assertThat(viaBody.status()).isEqualTo(200);
        assertThat(viaBody.body().path("position").asDouble()).isZero();
    }

    @Test
    void shouldRefuseWrongKeyWith401AndPlaceNothing() {
        Account a = newAccount();
        TestClient.Answer answer = client.alert(a.key() + "x", buy("EURUSD", 1, 1.1));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("UNAUTHORIZED");
        TestClient.Answer missing = client.alert(null, buy("EURUSD", 1, 1.1));
        assertThat(missing.status()).isEqualTo(401);
        assertThat(loggedOutcome(answer)).isEqualTo("UNAUTHORIZED");
        assertThat(loggedOutcome(missing)).isEqualTo("UNAUTHORIZED");
        assertThat(ordersOf(a.accountId())).isZero();
    }

    @Test
    void shouldRefuseDisabledAccountAndAcceptAgainWhenEnabled() {
        Account a = newAccount();
        server.accounts().setEnabled(a.accountId(), false);
        TestClient.Answer refused = client.alert(a.key(), buy("EURUSD", 1, 1.1));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("ACCOUNT_DISABLED");
        assertThat(loggedOutcome(refused)).isEqualTo("ACCOUNT_DISABLED");
        await().atMost(Duration.ofSeconds(10)).until(() -> !jdbi.withHandle(h ->
                h.createQuery("select enabled from broker_accounts where id = :a").bind("a", a.accountId())
                        .mapTo(Boolean.class).one()));

        server.accounts().setEnabled(a.accountId(), true);
        assertThat(client.alert(a.key(), buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseTheHundredAndFirstTrialTrade() {
        Account a = newAccount(true, Instant.now());
        for (int i = 0; i < 100; i++) {
            String body = i % 2 == 0 ? buy("EURUSD", 1, 1.1) : sell("EURUSD", 1, 1.1);
            assertThat(client.alert(a.key(), body).status()).as("trade %d", i + 1).isEqualTo(200);
        }
        TestClient.Answer refused = client.alert(a.key(), buy("EURUSD", 1, 1.1));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("TRIAL_LIMIT");
        assertThat(loggedOutcome(refused)).isEqualTo("TRIAL_LIMIT");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbi.withHandle(h ->
                h.createQuery("select trades_count from users where id = :u").bind("u", a.userId())
                        .mapTo(Integer.class).one()) == 100);
    }

    @Test
    void shouldRefuseTrialOlderThanThreeDays() {
        Account a = newAccount(true, Instant.now().minus(Duration.ofDays(3)).minusSeconds(60));
        TestClient.Answer refused = client.alert(a.key(), buy("EURUSD", 1, 1.1));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("TRIAL_EXPIRED");
        assertThat(loggedOutcome(refused)).isEqualTo("TRIAL_EXPIRED");
        assertThat(ordersOf(a.accountId())).as("read once the refusal was projected").isZero();
    }

    @Test
    void shouldRefuseEachRiskRuleNamingIt() {
        List<String> rules = new ArrayList<>();

        Account qty = newAccount();
        server.accounts().setRiskLimits(qty.accountId(), limits(5, 0, 10, "", "UTC", List.of(), 100));
        rules.add(riskRule(client.alert(qty.key(), buy("EURUSD", 6, 1.1))));

        Account symbols = newAccount();
        server.accounts().setRiskLimits(symbols.accountId(), limits(100, 0, 10, "", "UTC", List.of("EURUSD"), 100));
        assertThat(client.alert(symbols.key(), buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        rules.add(riskRule(client.alert(symbols.key(), buy("XAUUSD", 1, 2000))));

        Account hours = newAccount();
        ZonedDateTime ny = ZonedDateTime.now(ZoneId.of("America/New_York"));
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        String closedWindow = ny.plusHours(2).format(hhmm) + "-" + ny.plusHours(3).format(hhmm);
        server.accounts().setRiskLimits(hours.accountId(), limits(100, 0, 10, closedWindow, "America/New_York", List.of(), 100));
        rules.add(riskRule(client.alert(hours.key(), buy("EURUSD", 1, 1.1))));

        Account loss = newAccount();
        server.accounts().setRiskLimits(loss.accountId(), limits(100, 5, 10, "", "UTC", List.of(), 100));
        assertThat(client.alert(loss.key(), buy("ES", 1, 100)).status()).isEqualTo(200);
        assertThat(client.alert(loss.key(), TestClient.order("close", "sell", "ES", 0, 90)).status()).isEqualTo(200);
        rules.add(riskRule(client.alert(loss.key(), buy("ES", 1, 90))));

        Account open = newAccount();
        server.accounts().setRiskLimits(open.accountId(), limits(100, 0, 1, "", "UTC", List.of(), 100));
        assertThat(client.alert(open.key(), buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        rules.add(riskRule(client.alert(open.key(), buy("GBPUSD", 1, 1.3))));

        Account stop = newAccount();
        server.accounts().setEmergencyStop(stop.userId(), true);
        rules.add(riskRule(client.alert(stop.key(), buy("EURUSD", 1, 1.1))));

        assertThat(rules).containsExactly("max_quantity", "allowed_symbols", "trading_hours", "max_daily_loss",
                "max_open_positions", "emergency_stop");
    }

    private static String riskRule(TestClient.Answer answer) {
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("RISK_REJECTED");
        assertThat(loggedOutcome(answer)).isEqualTo("RISK_REJECTED");
        return answer.body().path("error").path("rule").asText();
    }

    @Test
    void shouldRateLimitPerKeyWithRetryAfter() {
        Account a = newAccount();
        server.accounts().setRiskLimits(a.accountId(), limits(100, 0, 10, "", "UTC", List.of(), 3));
        for (String symbol : List.of("EURUSD", "GBPUSD", "USDJPY")) {
            assertThat(client.alert(a.key(), buy(symbol, 1, 1.1)).status()).isEqualTo(200);
        }
        TestClient.Answer limited = client.alert(a.key(), buy("EURUSD", 1, 1.1));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(loggedOutcome(limited)).isEqualTo("RATE_LIMITED");
    }

    @Test
    void shouldRefuseMalformedJsonNamingTheField() {
        Account a = newAccount();
        TestClient.Answer broken = client.alert(a.key(), "{\"intent\":{\"symbol\":\"EURUSD\",\"qty\":}}");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errorCode()).isEqualTo("INVALID_PAYLOAD");
        assertThat(broken.errorField()).isEqualTo("intent.qty");
        assertThat(loggedOutcome(broken)).isEqualTo("INVALID_PAYLOAD");

        TestClient.Answer badSide = client.alert(a.key(), "{\"intent\":{\"side\":\"up\",\"symbol\":\"EURUSD\",\"qty\":1}}");
        assertThat(badSide.status()).isEqualTo(400);
        assertThat(badSide.errorField()).isEqualTo("intent.side");

        TestClient.Answer badBroker = client.postAlert("/api/unify/v1/webhook/tradelocker", buy("EURUSD", 1, 1.1), a.key(),
                "application/json");
        assertThat(badBroker.status()).isEqualTo(400);
        assertThat(badBroker.errorField()).isEqualTo("broker");
        assertThat(loggedOutcome(badSide)).isEqualTo("INVALID_PAYLOAD");
        // Projected through the last refusal, so "no order" is read after all three were applied.
        assertThat(loggedOutcome(badBroker)).isEqualTo("INVALID_PAYLOAD");
        assertThat(ordersOf(a.accountId())).isZero();
    }

    @Test
    void shouldRefuseOversizedBodyWith413AndJournalIt() {
        Account a = newAccount();
        String huge = "{\"intent\":{\"symbol\":\"EURUSD\",\"pad\":\"" + "x".repeat(5000) + "\"}}";
        TestClient.Answer answer = client.alert(a.key(), huge);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(loggedOutcome(answer)).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void shouldExposePrometheusMetricsForOutcomesLatencyRingAndProjection() {
        String accepted = "tradeflow_alerts_total{outcome=\"ACCEPTED\",reason=\"none\"}";
        String maxQuantity = "tradeflow_alerts_total{outcome=\"RISK_REJECTED\",reason=\"max_quantity\"}";
        Account a = newAccount();
        server.accounts().setRiskLimits(a.accountId(), limits(1, 0, 10, "", "UTC", List.of(), 100));
        String before = client.getText("/metrics").body();
        // The server is shared with the other tests, which run one at a time: count what these two add.
        assertThat(client.alert(a.key(), buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        assertThat(riskRule(client.alert(a.key(), buy("EURUSD", 2, 1.1)))).isEqualTo("max_quantity");

        TestClient.Raw metrics = client.getText("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(counter(metrics.body(), accepted) - counterOrZero(before, accepted)).isEqualTo(1.0);
        assertThat(counter(metrics.body(), maxQuantity) - counterOrZero(before, maxQuantity)).isEqualTo(1.0);
        assertThat(counter(metrics.body(), "tradeflow_decision_latency_seconds{quantile=\"0.99\"}")).isPositive();
        assertThat(metrics.body()).contains("tradeflow_ring_remaining_capacity", "tradeflow_projection_lag",
                "tradeflow_journal_last_index", "tradeflow_ring_backlog");
    }

    private static double counterOrZero(String exposition, String series) {
        return exposition.lines().anyMatch(l -> l.startsWith(series + " ")) ? counter(exposition, series) : 0;
    }

    private static double counter(String exposition, String series) {
        return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + exposition));
    }

    @Test
    void shouldAnswerHealthReadyAndUnknownPaths() {
        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(client.get("/ready").body().path("status").asText()).isEqualTo("READY");
        TestClient.Answer missing = client.get("/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(client.get("/api/unify/v1/webhook").status()).isEqualTo(405);
    }
}
