package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;

import io.tradeflow.broker.mtx.MtxBridge;
import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import io.tradeflow.persistence.dao.WebhookLogDao;
import io.tradeflow.persistence.dao.WebhookLogRow;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MetaTrader through the EA bridge end to end (protocol 2): an alert goes through the ring to the
 * account's bridge; simulated EAs poll the router's /api/mtx/v1 endpoints over real HTTP, execute
 * each command once even when it is delivered twice or polled by two EAs, acknowledge what they
 * executed, and the fill comes back through the ring into the positions table. Commands live
 * {@value #TTL_SECONDS} s here (the pickup timeout), so expiry can be seen without a long wait.
 */
class MtxEndToEndTest {
    private static final int TTL_SECONDS = 6;

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static TestClient client;
    private static Jdbi jdbi;
    private static final AtomicInteger USERS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of("brokers.ea-pickup-timeout", TTL_SECONDS + "s"));
        client = new TestClient(server.port());
        jdbi = server.database().jdbi();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Account(long accountId, String key, String token) {
    }

    private static Account mtxAccount() {
        AccountService accounts = server.accounts();
        long userId = accounts.createUser("mt" + USERS.incrementAndGet() + "@test.local", false, Instant.now());
        String token = MtxCredentials.newLicenseToken();
        long accountId = accounts.createBrokerAccount(userId, BrokerKind.MTX, "mt5", new MtxCredentials(token, ".m"));
        return new Account(accountId, accounts.issueKey(accountId), token);
    }

    private static List<PositionRow> positionsOf(long accountId) {
        return new PositionDao(jdbi).listOpenByAccount(accountId);
    }

    /** The webhook-log row of the alert that made router order {@code orderId}, once the projection has it. */
    private static WebhookLogRow intentOf(long accountId, TestClient.Answer answer, String outcome) {
        long orderId = Long.parseLong(answer.body().path("order_id").asText().substring(4));
        WebhookLogRow[] row = new WebhookLogRow[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            row[0] = new WebhookLogDao(jdbi).recentForAccount(accountId, 20).stream()
                    .filter(r -> r.orderId() != null && r.orderId() == orderId && outcome.equals(r.outcome()))
                    .findFirst().orElse(null);
            return row[0] != null;
        });
        return row[0];
    }

    /** Polls until the router has handed over a command (the gateway dispatches on its own thread). */
    private static List<SimulatedEa.Command> nextCommands(SimulatedEa ea) {
        List<SimulatedEa.Command> commands = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            commands.addAll(ea.poll(1_000));
            return !commands.isEmpty();
        });
        return commands;
    }

    private static SimulatedEa connectedEa(Account account, double fillPrice) {
        SimulatedEa ea = new SimulatedEa(server.port(), account.token(), fillPrice);
        assertThat(ea.heartbeat().status()).isEqualTo(200);
        return ea;
    }

    private static TestClient.Answer alert(Account account, String body) {
        TestClient.Answer answer = client.alert(account.key(), body);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer;
    }

    @Test
    void shouldRouteAnAlertToTheEaExecuteItOnceAndShowTheFilledPosition() throws Exception {
        Account account = mtxAccount();
        SimulatedEa ea = new SimulatedEa(server.port(), account.token(), 1.0852);
        assertThat(server.brokers().isConnected(account.accountId())).isFalse();
        assertThat(ea.heartbeat().status()).isEqualTo(200);
        assertThat(server.brokers().isConnected(account.accountId())).isTrue();
        CompletableFuture<List<SimulatedEa.Command>> longPoll = CompletableFuture.supplyAsync(() -> ea.poll(10_000));

        TestClient.Answer answer = client.alert(account.key(), buy("EURUSD", 0.2, 1.085));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
        List<SimulatedEa.Command> lost = longPoll.get(15, TimeUnit.SECONDS);
        assertThat(lost).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo("open");
            assertThat(c.symbol()).isEqualTo("EURUSD.m");
            assertThat(c.side()).isEqualTo("buy");
            assertThat(c.volume()).isEqualTo(0.2);
            assertThat(c.reduceOnly()).isFalse();
            assertThat(c.expiresAt() - c.createdAt()).isEqualTo(TTL_SECONDS * 1000L);
        });
        // The EA's WebRequest timed out and it never saw that answer: it polls again.
        List<SimulatedEa.Command> again = ea.poll(0);
        assertThat(again).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo(lost.get(0).id()));
        List<SimulatedEa.Answer> firstAck = ea.execute(again);
        // The EA's ack was lost too: it acknowledges the same execution again.
        List<SimulatedEa.Answer> retriedAck = ea.execute(again);

        // The router's side, not the simulated EA's: the first ack is booked, the repeat is
        // recognised as the same command, and exactly one order is recorded for it.
        assertThat(firstAck).singleElement().satisfies(a -> {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().path("duplicate").asBoolean()).as(a.body()).isFalse();
        });
        assertThat(retriedAck).singleElement().satisfies(a -> {
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().path("duplicate").asBoolean()).as(a.body()).isTrue();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
        long orders = jdbi.withHandle(h -> h.createQuery("select count(*) from orders where account_id = :a")
                .bind("a", account.accountId()).mapTo(Long.class).one());
        assertThat(orders).as("orders recorded for the one alert").isEqualTo(1);
        assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("EURUSD");
            assertThat(p.quantity()).isEqualTo(0.2);
            assertThat(p.averagePrice()).isEqualTo(1.0852);
        });
        assertThat(ea.pushState().status()).isEqualTo(200);
        assertThat(ea.poll(0)).isEmpty();
    }

    @Test
    void shouldRefuseAnEaOfAnOlderProtocolAtConnectWithAClearMessage() {
        Account account = mtxAccount();
        SimulatedEa old = new SimulatedEa(server.port(), account.token(), 1);
        old.protocol = null;

        SimulatedEa.Answer connect = old.heartbeat();
        SimulatedEa.Answer poll = old.post("poll?format=text", "{}");
        TestClient.Answer alert = client.alert(account.key(), buy("EURUSD", 0.1, 1.085));

        assertThat(connect.status()).isEqualTo(426);
        assertThat(connect.json().path("error").path("code").asText()).isEqualTo("EA_OUTDATED");
        assertThat(connect.json().path("error").path("message").asText())
                .contains("protocol 1").contains("needs protocol 2").contains("install TradeFlowBridge 2.00");
        assertThat(poll.status()).isEqualTo(426);
        // Its calls are no heartbeats: the account is not connected and says why.
        assertThat(server.brokers().isConnected(account.accountId())).isFalse();
        assertThat(alert.status()).isEqualTo(502);
        assertThat(alert.body().path("error").path("message").asText()).contains("speaks protocol 1");
    }

    @Test
    void shouldRefuseACommandTheEaGetsAfterItsExpiryAndRecordItAsNotExecuted() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 1.0852);
        TestClient.Answer answer = alert(account, buy("EURUSD", 0.3, 1.085));
        SimulatedEa.Command received = nextCommands(ea).get(0);

        // The terminal crashed before executing it; it comes back after the command's expiry and polls again.
        await().atMost(Duration.ofSeconds(TTL_SECONDS + 10)).pollInterval(Duration.ofMillis(500))
                .until(() -> !ea.poll(0).isEmpty() && ea.serverTime > received.expiresAt());
        List<SimulatedEa.Command> late = ea.poll(0);
        List<SimulatedEa.Answer> acks = ea.execute(late);

        assertThat(late).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo(received.id()));
        assertThat(acks.get(0).json().path("duplicate").asBoolean()).isFalse();
        assertThat(ea.executions).isZero();
        assertThat(ea.book()).isEmpty();
        WebhookLogRow row = intentOf(account.accountId(), answer, "BROKER_ERROR");
        assertThat(row.reason()).contains("after it expired").contains("not executed");
        assertThat(positionsOf(account.accountId())).isEmpty();
        assertThat(ea.poll(0)).isEmpty();
    }

    @Test
    void shouldSendExitsReduceOnlySoAnExitAfterABrokerSideStopOpensNothing() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 2650.5);
        alert(account, buy("XAUUSD", 0.3, 2650));
        ea.execute(nextCommands(ea));
        await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
        // The broker's stop loss closed the position in the terminal; the router still holds it.
        ea.book().clear();

        TestClient.Answer exit = alert(account, close("XAUUSD", 0.3, 2640));
        List<SimulatedEa.Command> commands = nextCommands(ea);
        ea.execute(commands);

        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo("close");
            assertThat(c.reduceOnly()).isTrue();
            assertThat(c.side()).isEqualTo("sell");
            assertThat(c.volume()).isEqualTo(0.3);
        });
        assertThat(ea.book()).isEmpty();
        WebhookLogRow row = intentOf(account.accountId(), exit, "BROKER_ERROR");
        assertThat(row.reason()).contains("nothing to close");
        assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> assertThat(p.quantity()).isEqualTo(0.3));
    }

    @Test
    void shouldSendStopsAsPriceDistancesFromTheInstrumentTableForMetalsIndicesAndCrypto() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 1);
        String[][] cases = {{"XAUUSD", "2650"}, {"NAS100", "21000"}, {"BTCUSD", "97000"}, {"EURUSD", "1.085"}};
        Map<String, SimulatedEa.Command> bySymbol = new java.util.HashMap<>();

        for (String[] c : cases) {
            alert(account, "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"open\",\"side\":\"buy\",\"type\":\"market\","
                    + "\"symbol\":\"" + c[0] + "\",\"qty\":0.1,\"price\":" + c[1] + ",\"sl\":{\"mode\":\"pips\",\"value\":20},"
                    + "\"tp\":{\"mode\":\"rr\",\"value\":2}}}");
            List<SimulatedEa.Command> commands = nextCommands(ea);
            commands.forEach(cmd -> bySymbol.put(cmd.symbol(), cmd));
            ea.execute(commands);
        }
        alert(account, "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"open\",\"side\":\"sell\",\"type\":\"market\","
                + "\"symbol\":\"XAGUSD\",\"qty\":1,\"price\":31.2,\"sl\":{\"mode\":\"price\",\"value\":31.9}}}");
        nextCommands(ea).forEach(cmd -> bySymbol.put(cmd.symbol(), cmd));

        // 20 pips by the router's table (XAUUSD 0.1, NAS100 and BTCUSD 1, EURUSD 0.0001), target twice that.
        assertThat(bySymbol.get("XAUUSD.m")).satisfies(c -> assertStops(c, 2.0, 4.0));
        assertThat(bySymbol.get("NAS100.m")).satisfies(c -> assertStops(c, 20, 40));
        assertThat(bySymbol.get("BTCUSD.m")).satisfies(c -> assertStops(c, 20, 40));
        assertThat(bySymbol.get("EURUSD.m")).satisfies(c -> assertStops(c, 0.002, 0.004));
        assertThat(bySymbol.get("XAGUSD.m")).satisfies(c -> {
            assertThat(c.slMode()).isEqualTo("price");
            assertThat(c.sl()).isEqualTo(31.9);
            assertThat(c.tpMode()).isEqualTo("none");
        });
    }

    @Test
    void shouldRefuseStopsTheRouterCannotTurnIntoPricesBeforeAnythingReachesTheEa() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 1);

        TestClient.Answer unknownInstrument = client.alert(account.key(), "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"open\","
                + "\"side\":\"buy\",\"symbol\":\"GER30\",\"qty\":1,\"price\":18000,\"sl\":{\"mode\":\"pips\",\"value\":20}}}");
        TestClient.Answer trailing = client.alert(account.key(), "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"open\","
                + "\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.08,\"sl\":{\"mode\":\"trail\",\"value\":20}}}");

        assertThat(unknownInstrument.status()).isEqualTo(400);
        assertThat(unknownInstrument.body().path("error").path("field").asText()).isEqualTo("sl");
        assertThat(unknownInstrument.body().path("error").path("message").asText()).contains("instrument table");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.body().path("error").path("message").asText()).contains("no trailing stops");
        assertThat(ea.poll(0)).isEmpty();
    }

    private static void assertStops(SimulatedEa.Command c, double sl, double tp) {
        assertThat(c.slMode()).isEqualTo("distance");
        assertThat(c.sl()).isEqualTo(sl);
        assertThat(c.tpMode()).isEqualTo("distance");
        assertThat(c.tp()).isEqualTo(tp);
    }

    @Test
    void shouldDeliverAnIdToOnlyOneOfTwoConcurrentPollersAndExecuteItOnce() throws Exception {
        Account account = mtxAccount();
        SimulatedEa first = new SimulatedEa(server.port(), account.token(), 1.0852, "terminal-a");
        SimulatedEa second = new SimulatedEa(server.port(), account.token(), 1.0852, "terminal-b");
        assertThat(first.heartbeat().status()).isEqualTo(200);
        CompletableFuture<List<SimulatedEa.Command>> pollA = CompletableFuture.supplyAsync(() -> first.poll(1_500));
        CompletableFuture<List<SimulatedEa.Command>> pollB = CompletableFuture.supplyAsync(() -> second.poll(1_500));

        alert(account, buy("EURUSD", 0.4, 1.085));
        List<SimulatedEa.Command> gotA = new ArrayList<>(pollA.get(15, TimeUnit.SECONDS));
        List<SimulatedEa.Command> gotB = new ArrayList<>(pollB.get(15, TimeUnit.SECONDS));
        // Each polls once more, as the EA's timer would: the claimer gets its command again, the other nothing.
        gotA.addAll(first.poll(0));
        gotB.addAll(second.poll(0));

        assertThat(gotA.isEmpty()).isNotEqualTo(gotB.isEmpty());
        List<SimulatedEa.Command> got = gotA.isEmpty() ? gotB : gotA;
        assertThat(got.stream().map(SimulatedEa.Command::id).distinct()).hasSize(1);
        SimulatedEa owner = gotA.isEmpty() ? second : first;
        SimulatedEa other = gotA.isEmpty() ? first : second;
        String id = got.get(0).id();
        SimulatedEa.Answer intruder = other.post("ack", SimulatedEa.ack(id, "filled", 1, 1.09, 0.4, 0, ""));
        owner.execute(owner.poll(0));
        other.execute(other.poll(0));

        assertThat(intruder.status()).isEqualTo(409);
        assertThat(intruder.json().path("error").path("code").asText()).isEqualTo("NOT_CLAIMED");
        assertThat(owner.executions + other.executions).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
        assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
            assertThat(p.quantity()).isEqualTo(0.4);
            assertThat(p.averagePrice()).isEqualTo(1.0852);
        });
    }

    @Test
    void shouldBookThePartialFillAnAckReports() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 1.2701);
        ea.fillLimit = 0.3;

        alert(account, buy("GBPUSD", 0.5, 1.27));
        List<SimulatedEa.Answer> acks = ea.execute(nextCommands(ea));

        assertThat(acks).singleElement().satisfies(a -> assertThat(a.json().path("duplicate").asBoolean()).isFalse());
        await().atMost(Duration.ofSeconds(10)).until(() -> !positionsOf(account.accountId()).isEmpty());
        assertThat(positionsOf(account.accountId())).singleElement().satisfies(p -> {
            assertThat(p.quantity()).isEqualTo(0.3);
            assertThat(p.averagePrice()).isEqualTo(1.2701);
        });
        assertThat(ea.poll(0)).isEmpty();
    }

    @Test
    void shouldRecordAnOutcomeUnknownAckAndNeverSendTheCommandAgain() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 1.0852);
        TestClient.Answer answer = alert(account, buy("EURUSD", 0.2, 1.085));
        String id = nextCommands(ea).get(0).id();

        SimulatedEa.Answer ack = ea.post("ack", SimulatedEa.ack(id, "unknown", 0, 0, 0, 10012, "request timed out"));

        assertThat(ack.status()).isEqualTo(200);
        assertThat(ea.poll(0)).isEmpty();
        assertThat(((MtxBridge) server.brokers().connector(account.accountId())).outcomeUnknown()).containsExactly(id);
        WebhookLogRow row = intentOf(account.accountId(), answer, "BROKER_ERROR");
        assertThat(row.reason()).contains("outcome unknown").contains("10012 request timed out").contains("not sent again");
    }

    @Test
    void shouldShowTheEaUnableToTradeWhileTheTerminalCannotTrade() {
        Account account = mtxAccount();
        SimulatedEa ea = connectedEa(account, 1);
        assertThat(server.brokers().isConnected(account.accountId())).isTrue();

        assertThat(ea.pushState(false, "algo trading is off in the terminal").status()).isEqualTo(200);
        TestClient.Answer refused = client.alert(account.key(), buy("EURUSD", 0.1, 1.085));

        assertThat(server.brokers().isConnected(account.accountId())).isFalse();
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.body().path("error").path("message").asText()).contains("cannot trade: algo trading is off");
        assertThat(ea.heartbeat().status()).isEqualTo(200);
        assertThat(server.brokers().isConnected(account.accountId())).isTrue();
    }

    @Test
    void shouldRefuseAlertsAtOnceWhileTheEaIsNotConnected() {
        Account account = mtxAccount();

        TestClient.Answer answer = client.alert(account.key(), buy("EURUSD", 0.1, 1.085));

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.errorCode()).isEqualTo("BROKER_ERROR");
        assertThat(answer.body().path("error").path("message").asText()).contains("EA has not connected");
    }

    @Test
    void shouldRefuseAnUnknownTokenAndNameTheBadField() {
        Account account = mtxAccount();
        SimulatedEa stranger = new SimulatedEa(server.port(), "mtx_not_a_registered_token_0000", 1);
        SimulatedEa ea = new SimulatedEa(server.port(), account.token(), 1);

        SimulatedEa.Answer unauthorized = stranger.heartbeat();
        SimulatedEa.Answer badAck = ea.post("ack", "{\"id\":\"x\",\"result\":\"yes\"}");
        SimulatedEa.Answer noVolume = ea.post("ack", "{\"id\":\"x\",\"result\":\"filled\",\"price\":1.1,\"volume\":0}");
        SimulatedEa.Answer badState = ea.post("state", "{\"positions\":[{\"symbol\":\"EURUSD\",\"side\":\"long\",\"volume\":1}]}");

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(badAck.status()).isEqualTo(400);
        assertThat(badAck.json().path("error").path("field").asText()).isEqualTo("result");
        assertThat(noVolume.status()).isEqualTo(400);
        assertThat(noVolume.json().path("error").path("field").asText()).isEqualTo("volume");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().path("error").path("field").asText()).isEqualTo("positions[0].side");
    }
}
