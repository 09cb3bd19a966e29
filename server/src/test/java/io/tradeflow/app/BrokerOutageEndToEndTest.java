package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;

import io.tradeflow.broker.stub.TradeLockerStub;
import io.tradeflow.broker.tradelocker.TradeLockerCredentials;
import io.tradeflow.core.event.BrokerKind;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker that goes down: its account's order fails with the reason in the webhook log, its
 * circuit opens and its next alerts are refused at once, while another account keeps trading.
 */
class BrokerOutageEndToEndTest {
    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static TestClient client;
    private static Jdbi jdbi;
    private static TradeLockerStub deadBroker;
    private static TradeLockerStub liveBroker;

    @BeforeAll
    static void start() throws Exception {
        deadBroker = new TradeLockerStub();
        liveBroker = new TradeLockerStub();
        server = TestServers.start(dataDir, Map.of("brokers.request-timeout", "500ms",
                "brokers.circuit-failure-threshold", "1", "brokers.circuit-open-for", "10m"));
        client = new TestClient(server.port());
        jdbi = server.database().jdbi();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        deadBroker.close();
        liveBroker.close();
    }

    private static String account(String email, TradeLockerStub broker) {
        AccountService accounts = server.accounts();
        long userId = accounts.createUser(email, false, Instant.now());
        long accountId = accounts.createBrokerAccount(userId, BrokerKind.TRADELOCKER, "tl", new TradeLockerCredentials(
                URI.create(broker.baseUri() + "/backend-api"), TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD,
                TradeLockerStub.SERVER, null));
        return accounts.issueKey(accountId);
    }

    private static String logged(long journalIndex, String column) {
        return jdbi.withHandle(h -> h.createQuery("select " + column + " from intents where journal_index = :i")
                .bind("i", journalIndex).mapTo(String.class).findOne().orElse(""));
    }

    @Test
    void shouldRefuseFastOnceTheBrokerIsDownWhileOtherAccountsTrade() {
        String deadKey = account("dead@test.local", deadBroker);
        String liveKey = account("live@test.local", liveBroker);
        deadBroker.down(true);

        TestClient.Answer first = client.alert(deadKey, buy("EURUSD", 1, 1.085));

        assertThat(first.body().path("status").asText()).isEqualTo("submitted");
        await().atMost(Duration.ofSeconds(10)).until(() -> "BROKER_ERROR".equals(logged(first.journalIndex(), "outcome")));
        assertThat(logged(first.journalIndex(), "reason")).contains("tradelocker");

        TestClient.Answer refused = client.alert(deadKey, buy("EURUSD", 1, 1.085));
        TestClient.Answer other = client.alert(liveKey, buy("EURUSD", 1, 1.085));

        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.errorCode()).isEqualTo("BROKER_ERROR");
        assertThat(refused.body().path("error").path("message").asText()).contains("circuit open");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body().path("status").asText()).isEqualTo("submitted");
        await().atMost(Duration.ofSeconds(10)).until(() -> liveBroker.orders().size() == 1);
        assertThat(deadBroker.orders()).isEmpty();
    }
}
