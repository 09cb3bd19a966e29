package io.tradeflow.app;

import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MetaTrader through the EA bridge end to end: an alert goes through the ring to the account's
 * bridge; a simulated EA long-polls the router's /api/mtx/v1 endpoints, executes the command once
 * even when it is delivered twice, acknowledges it, and the fill comes back through the ring into
 * the positions table.
 */
class MtxEndToEndTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static TestClient client;
    private static Jdbi jdbi;
    private static final AtomicInteger USERS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of());
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

    @Test
    void shouldRouteAnAlertToTheEaExecuteItOnceAndShowTheFilledPosition() throws Exception {
        Account account = mtxAccount();
        SimulatedEa ea = new SimulatedEa(server.port(), account.token(), 1.0852);
        assertThat(server.brokers().isConnected(account.accountId())).isFalse();
        assertThat(ea.heartbeat().status()).isEqualTo(200);
        assertThat(server.brokers().isConnected(account.accountId())).isTrue();
        CompletableFuture<List<String[]>> longPoll = CompletableFuture.supplyAsync(() -> ea.poll(10_000));

        TestClient.Answer answer = client.alert(account.key(), buy("EURUSD", 0.2, 1.085));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("submitted");
        List<String[]> lost = longPoll.get(15, TimeUnit.SECONDS);
        assertThat(lost).singleElement().satisfies(c -> {
            assertThat(c[1]).isEqualTo("open");
            assertThat(c[2]).isEqualTo("EURUSD.m");
            assertThat(c[3]).isEqualTo("buy");
            assertThat(Double.parseDouble(c[5])).isEqualTo(0.2);
        });
        // The EA's WebRequest timed out and it never saw that answer: it polls again.
        List<String[]> again = ea.poll(0);
        assertThat(again).singleElement().satisfies(c -> assertThat(c[0]).isEqualTo(lost.get(0)[0]));
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
        SimulatedEa.Answer badAck = ea.post("ack", "{\"id\":\"x\",\"ok\":\"yes\"}");
        SimulatedEa.Answer badState = ea.post("state", "{\"positions\":[{\"symbol\":\"EURUSD\",\"side\":\"long\",\"volume\":1}]}");

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(badAck.status()).isEqualTo(400);
        assertThat(badAck.json().path("error").path("field").asText()).isEqualTo("ok");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().path("error").path("field").asText()).isEqualTo("positions[0].side");
    }
}
