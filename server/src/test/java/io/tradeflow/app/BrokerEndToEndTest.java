package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.http.BrokerHttpClients;
import io.tradeflow.broker.http.JsonHttp;
import io.tradeflow.broker.projectx.ProjectXCredentials;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.stub.StubHttpServer.RecordedRequest;
import io.tradeflow.broker.stub.TradeLockerStub;
import io.tradeflow.broker.tradelocker.TradeLockerConnector;
import io.tradeflow.broker.tradelocker.TradeLockerCredentials;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Alerts to real-broker accounts end to end: webhook → ring → gateway → connector → the broker's
 * stub (checked for the documented request) → fill report back through the ring → position in the
 * router's projection (the positions table; the dashboard API is not built yet).
 */
class BrokerEndToEndTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static TestClient client;
    private static Jdbi jdbi;
    private static TradeLockerStub tradeLocker;
    private static ProjectXStub projectX;
    private static final AtomicInteger USERS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        tradeLocker = new TradeLockerStub();
        projectX = new ProjectXStub();
        server = TestServers.start(dataDir, Map.of("brokers.outcome-recheck-window", "1s"));
        client = new TestClient(server.port());
        jdbi = server.database().jdbi();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        tradeLocker.close();
        projectX.close();
    }

    private record Account(long accountId, String key) {
    }

    private static Account account(BrokerKind broker, io.tradeflow.broker.api.BrokerCredentials credentials) {
        AccountService accounts = server.accounts();
        long userId = accounts.createUser("broker" + USERS.incrementAndGet() + "@test.local", false, Instant.now());
        long accountId = accounts.createBrokerAccount(userId, broker, broker.wireName(), credentials);
        return new Account(accountId, accounts.issueKey(accountId));
    }

    private static TradeLockerCredentials tradeLockerLogin(String password) {
        return new TradeLockerCredentials(URI.create(tradeLocker.baseUri() + "/backend-api"), TradeLockerStub.EMAIL,
                password, TradeLockerStub.SERVER, null);
    }

    private static List<PositionRow> positionsOf(long accountId) {
        return new PositionDao(jdbi).listOpenByAccount(accountId);
    }

    private static long orderId(TestClient.Answer answer) {
        return Long.parseLong(answer.body().path("order_id").asText().substring(4));
    }

    @Test
    void shouldPlaceATradeLockerOrderFromAnAlertAndShowTheFilledPosition() {
        Account account = account(BrokerKind.TRADELOCKER, tradeLockerLogin(TradeLockerStub.PASSWORD));

        // Tagged with a strategy: the broker's fill report does not repeat it, the order row still gets it.
        String tagged = buy("EURUSD", 0.5, 1.0849).replaceFirst("\\{", "{\"strategy\":\"london-open\",");
        TestClient.Answer answer = client.alert(account.key(), tagged);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
        String tag = "tf-" + account.accountId() + "-" + orderId(answer);
        await().atMost(Duration.ofSeconds(10)).until(() -> tradeLocker.orders().stream().anyMatch(o -> tag.equals(o.get("strategyId"))));
        RecordedRequest placed = tradeLocker.requests("POST", "/backend-api/trade/accounts/7080/orders").stream()
                .filter(r -> tag.equals(r.body().path("strategyId").asText())).findFirst().orElseThrow();
        assertThat(placed.header("Authorization")).startsWith("Bearer at-");
        assertThat(placed.header("accNum")).isEqualTo(TradeLockerStub.ACC_NUM);
        JsonNode body = placed.body();
        assertThat(body.get("qty").asDouble()).isEqualTo(0.5);
        assertThat(body.get("side").asText()).isEqualTo("buy");
        assertThat(body.get("type").asText()).isEqualTo("market");
        assertThat(body.get("validity").asText()).isEqualTo("IOC");
        assertThat(body.get("tradableInstrumentId").asLong()).isEqualTo(278);
        assertThat(body.get("routeId").asText()).isEqualTo("9001");

        await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
        assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("EURUSD");
            assertThat(p.quantity()).isEqualTo(0.5);
            assertThat(p.averagePrice()).isEqualTo(1.0850);
        });
        double fillPrice = jdbi.withHandle(h -> h.createQuery("select fill_price from orders where id = :id")
                .bind("id", orderId(answer)).mapTo(Double.class).one());
        assertThat(fillPrice).isEqualTo(1.0850);
        String strategy = jdbi.withHandle(h -> h.createQuery("select strategy from orders where id = :id")
                .bind("id", orderId(answer)).mapTo(String.class).one());
        assertThat(strategy).isEqualTo("london-open");

        // Someone trades the same account outside the router: the next reconciliation records the drift.
        placeOutsideTheRouter();
        server.brokers().reconciler().reconcileAll();
        // Other tests' accounts share the stub's broker account, so look at this account's drift only.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.brokers().reconciler().drifts().stream()
                .anyMatch(d -> d.accountId() == account.accountId()));
        assertThat(server.brokers().reconciler().drifts().stream().filter(d -> d.accountId() == account.accountId()).findFirst())
                .get().satisfies(d -> {
            assertThat(d.symbol()).isEqualTo("EURUSD");
            assertThat(d.brokerQuantity()).isEqualTo(1.5);
            assertThat(d.routerQuantity()).isEqualTo(0.5);
        });
        assertThat(positionsOf(account.accountId()).get(0).quantity()).isEqualTo(0.5);
    }

    private static void placeOutsideTheRouter() {
        try (BrokerHttpClients http = new BrokerHttpClients(1, Duration.ofSeconds(2))) {
            TradeLockerConnector manual = new TradeLockerConnector(tradeLockerLogin(TradeLockerStub.PASSWORD),
                    new JsonHttp(http.client(), new ObjectMapper(), "tradelocker"), ConnectorSettings.DEFAULTS,
                    System::currentTimeMillis, http.executor());
            manual.placeOrder(OrderCommand.market(1, "manual-1", "EURUSD", Side.BUY, 1)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldPlaceAProjectXOrderOnTheActiveContractAndShowTheFilledPosition() {
        Account account = account(BrokerKind.PROJECTX,
                new ProjectXCredentials(projectX.baseUri(), ProjectXStub.USER, ProjectXStub.API_KEY, null));

        TestClient.Answer answer = client.alert(account.key(), buy("NQ1!", 2, 21000));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
        String tag = "tf-" + account.accountId() + "-" + orderId(answer);
        await().atMost(Duration.ofSeconds(10)).until(() -> projectX.orders().stream().anyMatch(o -> tag.equals(o.get("customTag"))));
        RecordedRequest placed = projectX.requests("POST", "/api/Order/place").stream()
                .filter(r -> tag.equals(r.body().path("customTag").asText())).findFirst().orElseThrow();
        assertThat(placed.header("Authorization")).startsWith("Bearer px-token-");
        assertThat(placed.body().get("accountId").asLong()).isEqualTo(ProjectXStub.ACCOUNT_ID);
        assertThat(placed.body().get("contractId").asText()).isEqualTo(ProjectXStub.NQ_CONTRACT);
        assertThat(placed.body().get("type").asInt()).isEqualTo(2);
        assertThat(placed.body().get("side").asInt()).isEqualTo(0);
        assertThat(placed.body().get("size").asInt()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
        assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("NQ");   // the symbol map takes the continuous future to its root
            assertThat(p.quantity()).isEqualTo(2);
            assertThat(p.averagePrice()).isEqualTo(21000.25);
        });
    }

    @Test
    void shouldRecordTheBrokersRefusalInTheWebhookLog() {
        Account account = account(BrokerKind.PROJECTX,
                new ProjectXCredentials(projectX.baseUri(), ProjectXStub.USER, ProjectXStub.API_KEY, null));
        projectX.rejectNextOrder(5);

        TestClient.Answer answer = client.alert(account.key(), buy("NQ1!", 1, 21000));

        assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
        long index = answer.journalIndex();
        await().atMost(Duration.ofSeconds(10)).until(() -> "BROKER_ERROR".equals(jdbi.withHandle(h -> h.createQuery(
                "select outcome from intents where journal_index = :i").bind("i", index).mapTo(String.class).findOne().orElse(""))));
        String reason = jdbi.withHandle(h -> h.createQuery("select reason from intents where journal_index = :i")
                .bind("i", index).mapTo(String.class).one());
        assertThat(reason).contains("OutsideTradingHours");
        assertThat(positionsOf(account.accountId())).isEmpty();
    }

    @Test
    void shouldRecordAnOrderWhoseOutcomeStaysUnknownInTheWebhookLogAndNeverSendItTwice() {
        try (ProjectXStub ownBroker = new ProjectXStub()) {
            Account account = account(BrokerKind.PROJECTX,
                    new ProjectXCredentials(ownBroker.baseUri(), ProjectXStub.USER, ProjectXStub.API_KEY, null));
            ownBroker.historyLag(60_000);
            ownBroker.failNextPlaceOrderAfterAccepting(504);

            TestClient.Answer answer = client.alert(account.key(), buy("NQ1!", 1, 21000));

            assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
            long index = answer.journalIndex();
            await().atMost(Duration.ofSeconds(20)).until(() -> "BROKER_OUTCOME_UNKNOWN".equals(jdbi.withHandle(h -> h.createQuery(
                    "select outcome from intents where journal_index = :i").bind("i", index).mapTo(String.class).findOne().orElse(""))));
            Map<String, Object> row = jdbi.withHandle(h -> h.createQuery(
                    "select reason, http_status, field from intents where journal_index = :i").bind("i", index).mapToMap().one());
            assertThat((String) row.get("reason")).contains("outcome unknown").contains("504").contains("not sent again");
            assertThat(row.get("http_status")).isEqualTo(502);
            assertThat(row.get("field")).isEqualTo("broker");
            String tag = "tf-" + account.accountId() + "-" + orderId(answer);
            assertThat(ownBroker.ordersTagged(tag)).isEqualTo(1);
            assertThat(ownBroker.requests("POST", "/api/Order/place")).hasSize(1);
            assertThat(positionsOf(account.accountId())).isEmpty();

            // The broker lists it at last: reconciliation books the fill, still without sending anything.
            ownBroker.historyLag(0);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                server.brokers().reconciler().reconcileAll();
                return !positionsOf(account.accountId()).isEmpty();
            });
            assertThat(positionsOf(account.accountId())).singleElement()
                    .satisfies(p -> assertThat(p.quantity()).isEqualTo(1));
            assertThat(ownBroker.requests("POST", "/api/Order/place")).hasSize(1);
        }
    }

    @Test
    void shouldModifyAndCloseAllATradeLockerAccountThroughTheDocumentedEndpoints() {
        try (TradeLockerStub ownBroker = new TradeLockerStub()) {
            Account account = account(BrokerKind.TRADELOCKER, new TradeLockerCredentials(
                    URI.create(ownBroker.baseUri() + "/backend-api"), TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD,
                    TradeLockerStub.SERVER, null));
            assertThat(client.alert(account.key(), buy("EURUSD", 1, 1.085)).status()).isEqualTo(200);
            assertThat(client.alert(account.key(), TestClient.order("open", "sell", "XAUUSD", 2, 2650)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> positionsOf(account.accountId()).size() == 2);

            TestClient.Answer modify = client.alert(account.key(),
                    "{\"intent\":{\"action\":\"modify\",\"symbol\":\"EURUSD\",\"sl\":1.07,\"tp\":1.1}}");
            assertThat(modify.status()).as("%s", modify).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> "1.07".equals(ownBroker.positionField("EURUSD", "stopLoss")));
            assertThat(ownBroker.positionField("EURUSD", "takeProfit")).isEqualTo("1.1");

            TestClient.Answer closeAll = client.alert(account.key(), "{\"intent\":{\"action\":\"close_all\"}}");

            assertThat(closeAll.status()).as("%s", closeAll).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> positionsOf(account.accountId()).isEmpty());
            assertThat(ownBroker.positionQuantity("EURUSD")).isZero();
            assertThat(ownBroker.positionQuantity("XAUUSD")).isZero();
            assertThat(ownBroker.requests().stream().filter(r -> r.method().equals("DELETE")
                    && r.path().startsWith("/backend-api/trade/positions/")).count()).isEqualTo(2);
            // Closed through the close endpoint, not by new orders.
            assertThat(ownBroker.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(2);
        }
    }

    @Test
    void shouldSizeByRiskOnTradeLockerFromTheBrokersBalanceAndInstrumentDetails() throws Exception {
        try (TradeLockerStub ownBroker = new TradeLockerStub()) {
            Account account = account(BrokerKind.TRADELOCKER, new TradeLockerCredentials(
                    URI.create(ownBroker.baseUri() + "/backend-api"), TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD,
                    TradeLockerStub.SERVER, null));
            server.brokers().preloadSizing(account.accountId(), "EURUSD").get(10, TimeUnit.SECONDS);

            // Balance 2024.75, 1 % = 20.2475 at risk; stop 0.0020 away; a lot moves 100 000 per 1.0
            // (tick 0.00001 costs 1): 20.2475 / (0.0020 × 100 000) = 0.101 lots, rounded down to the 0.01 step.
            TestClient.Answer answer = client.alert(account.key(), "{\"intent\":{\"action\":\"open\",\"side\":\"buy\","
                    + "\"symbol\":\"EURUSD\",\"price\":1.085,\"size\":{\"mode\":\"risk_percent\",\"value\":1},"
                    + "\"sl\":{\"mode\":\"price\",\"value\":1.083}}}");

            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
            await().atMost(Duration.ofSeconds(10)).until(() -> !ownBroker.requests("POST",
                    "/backend-api/trade/accounts/7080/orders").isEmpty());
            assertThat(ownBroker.requests("POST", "/backend-api/trade/accounts/7080/orders")).singleElement()
                    .satisfies(r -> assertThat(r.body().get("qty").asDouble()).isEqualTo(0.1));
        }
    }

    @Test
    void shouldSizeByRiskOnProjectXFromTheBrokersBalanceAndContract() throws Exception {
        try (ProjectXStub ownBroker = new ProjectXStub()) {
            Account account = account(BrokerKind.PROJECTX,
                    new ProjectXCredentials(ownBroker.baseUri(), ProjectXStub.USER, ProjectXStub.API_KEY, null));
            server.brokers().preloadSizing(account.accountId(), "NQ").get(10, TimeUnit.SECONDS);

            // Balance 50 000, 1 % = 500 at risk; stop 10 points away; a contract moves 20 per point
            // (tick 0.25 worth 5): 500 / (10 × 20) = 2.5, rounded down to whole contracts: 2.
            TestClient.Answer answer = client.alert(account.key(), "{\"intent\":{\"action\":\"open\",\"side\":\"buy\","
                    + "\"symbol\":\"NQ1!\",\"price\":21000,\"size\":{\"mode\":\"risk_percent\",\"value\":1},"
                    + "\"sl\":{\"mode\":\"price\",\"value\":20990}}}");

            assertThat(answer.status()).as("%s", answer).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> !ownBroker.requests("POST", "/api/Order/place").isEmpty());
            assertThat(ownBroker.requests("POST", "/api/Order/place")).singleElement()
                    .satisfies(r -> assertThat(r.body().get("size").asInt()).isEqualTo(2));
        }
    }

    @Test
    void shouldBookAProjectXLimitFillAsItHappensWithoutWaitingForReconciliation() {
        try (ProjectXStub ownBroker = new ProjectXStub()) {
            Account account = account(BrokerKind.PROJECTX,
                    new ProjectXCredentials(ownBroker.baseUri(), ProjectXStub.USER, ProjectXStub.API_KEY, null));
            String limit = "{\"intent\":{\"action\":\"open\",\"side\":\"buy\",\"type\":\"limit\",\"symbol\":\"NQ1!\","
                    + "\"qty\":1,\"price\":20950}}";

            TestClient.Answer answer = client.alert(account.key(), limit);

            assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
            await().atMost(Duration.ofSeconds(10)).until(() -> !ownBroker.openOrdersOn(ProjectXStub.NQ_CONTRACT).isEmpty());
            ownBroker.fillWorkingOrders();

            // The reconciliation runs once a minute; the working-order poll books the fill on its own.
            await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
            assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
                assertThat(p.quantity()).isEqualTo(1);
                assertThat(p.averagePrice()).isEqualTo(20950);
            });
        }
    }

    @Test
    void shouldFollowAWorkingLimitOrderToItsFillAndBookIt() {
        try (TradeLockerStub ownBroker = new TradeLockerStub()) {
            Account account = account(BrokerKind.TRADELOCKER, new TradeLockerCredentials(
                    URI.create(ownBroker.baseUri() + "/backend-api"), TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD,
                    TradeLockerStub.SERVER, null));
            String limit = "{\"intent\":{\"action\":\"open\",\"side\":\"sell\",\"type\":\"limit\",\"symbol\":\"XAUUSD\","
                    + "\"qty\":2,\"price\":2700}}";

            TestClient.Answer answer = client.alert(account.key(), limit);

            assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
            await().atMost(Duration.ofSeconds(10)).until(() -> !ownBroker.orders().isEmpty());
            assertThat(ownBroker.orders().get(0)).containsEntry("type", "limit").containsEntry("price", "2700.0")
                    .containsEntry("validity", "GTC");
            ownBroker.fillWorkingOrders();

            // The connector learns that the order is working a moment after the broker stored it:
            // reconcile until the fill has been followed and booked.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                server.brokers().reconciler().reconcileAll();
                return !positionsOf(account.accountId()).isEmpty();
            });
            assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
                assertThat(p.symbol()).isEqualTo("XAUUSD");
                assertThat(p.quantity()).isEqualTo(-2);
                assertThat(p.averagePrice()).isEqualTo(2700);
            });
        }
    }

    @Test
    void shouldRefuseAnAccountWhoseCredentialsTheBrokerRejects() {
        long userId = server.accounts().createUser("refused@test.local", false, Instant.now());

        assertThatThrownBy(() -> server.accounts().createBrokerAccount(userId, BrokerKind.TRADELOCKER, "tl",
                tradeLockerLogin("wrong-password")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("login refused")
                .hasMessageNotContaining("wrong-password");
        int accounts = jdbi.withHandle(h -> h.createQuery("select count(*) from broker_accounts where user_id = :u")
                .bind("u", userId).mapTo(Integer.class).one());
        assertThat(accounts).isZero();
    }
}
