package io.tradeflow.app;

import io.tradeflow.broker.stub.StubHttpServer.RecordedRequest;
import io.tradeflow.broker.stub.TradeLockerStub;
import io.tradeflow.broker.tradelocker.TradeLockerCredentials;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.dao.PositionDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker fill survives a restart (journal and projection), and once the account's credentials
 * are connected again, a close alert closes the broker position the router remembered.
 */
class BrokerRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTheBrokerPositionAcrossARestartAndCloseItAfterReconnecting() throws Exception {
        try (TradeLockerStub broker = new TradeLockerStub()) {
            TradeLockerCredentials login = new TradeLockerCredentials(URI.create(broker.baseUri() + "/backend-api"),
                    TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD, TradeLockerStub.SERVER, null);
            long accountId;
            String key;
            try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
                long userId = server.accounts().createUser("restart@test.local", false, Instant.now());
                accountId = server.accounts().createBrokerAccount(userId, BrokerKind.TRADELOCKER, "tl", login);
                key = server.accounts().issueKey(accountId);
                assertThat(new TestClient(server.port()).alert(key, buy("EURUSD", 2, 1.085)).status()).isEqualTo(200);
                long id = accountId;
                await().atMost(Duration.ofSeconds(10)).until(() -> !new PositionDao(server.database().jdbi())
                        .listOpenByAccount(id).isEmpty());
            }

            try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
                TestClient client = new TestClient(server.port());
                TestClient.Answer before = client.alert(key, TestClient.order("close", "buy", "EURUSD", 0, 1.09));
                assertThat(before.status()).isEqualTo(502);
                assertThat(before.body().path("error").path("message").asText()).contains("no broker credentials");

                server.accounts().connectBrokerAccount(accountId, login);
                TestClient.Answer close = client.alert(key, TestClient.order("close", "buy", "EURUSD", 0, 1.09));

                assertThat(close.body().path("status").asText()).isEqualTo("submitted");
                await().atMost(Duration.ofSeconds(10)).until(() -> broker.positionQuantity("EURUSD") == 0);
                List<RecordedRequest> closes = broker.requests().stream()
                        .filter(r -> r.method().equals("DELETE") && r.path().startsWith("/backend-api/trade/positions/")).toList();
                assertThat(closes).singleElement().satisfies(r -> assertThat(r.body().get("qty").asDouble()).isZero());
                long id = accountId;
                await().atMost(Duration.ofSeconds(10)).until(() -> new PositionDao(server.database().jdbi())
                        .listOpenByAccount(id).isEmpty());
            }
        }
    }
}
