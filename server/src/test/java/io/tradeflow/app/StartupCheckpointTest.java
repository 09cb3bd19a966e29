package io.tradeflow.app;

import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.state.ReplayCheckpoint;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.RouterStateDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.close;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up reads what the projection keeps current (realised totals, last prices) and the replay checkpoint
 * a clean stop leaves (pending orders, idempotency answers, signal times, alert settings) instead of
 * aggregating the whole history: the state after a restart is the state before it — after a clean stop
 * (nothing read from the journal), after a stop with the projection behind the journal (as after a crash
 * between the journal append and the projection: the older checkpoint plus the journal after it), and the
 * same as reading the whole journal without any checkpoint.
 */
class StartupCheckpointTest {
    private static final Map<String, String> CONFIG = Map.of("alerts.pyramiding", "10");

    @TempDir
    Path dataDir;

    private static String unify(String id, String intent) {
        return "{\"version\":\"unify.v1\",\"id\":\"" + id + "\",\"intent\":{" + intent + "}}";
    }

    private static String withId(String id, String body) {
        return body.replace("{\"version\":\"unify.v1\",", "{\"version\":\"unify.v1\",\"id\":\"" + id + "\",");
    }

    /** Everything a replay must rebuild (RouterStateDigest.describeAll) and the realised total sizing reads. */
    private static String describe(RouterState state, long accountId) {
        return RouterStateDigest.describeAll(state) + "realized " + state.account(accountId).realizedTotal() + "\n";
    }

    @Test
    void shouldRestartToTheSameStateFromTheCheckpointAfterACleanStopAndWithTheProjectionBehind() throws Exception {
        long accountId;
        String key;
        String afterFirst;
        String firstOrderId;
        TradeFlowServer firstServer = TestServers.start(dataDir, CONFIG);
        try (firstServer) {
            TradeFlowServer server = firstServer;
            TestClient client = new TestClient(server.port());
            long userId = server.accounts().createUser("restart@test.local", true, Instant.now());
            accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            key = server.accounts().issueKey(accountId);
            TestClient.Answer first = client.alert(key, withId("a-1", buy("EURUSD", 1, 1.08)));
            assertThat(first.status()).isEqualTo(200);
            firstOrderId = first.body().path("order_id").asText();
            assertThat(firstOrderId).startsWith("ord_");
            TestClient.Answer limit = client.alert(key, unify("a-2", "\"action\":\"open\",\"side\":\"buy\",\"type\":\"limit\","
                    + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0700,\"sl\":{\"mode\":\"pips\",\"value\":20}"));
            assertThat(limit.body().path("status").asText()).as("%s", limit.body()).isEqualTo("pending");
            assertThat(client.alert(key, withId("a-3", buy("GBPUSD", 2, 1.26))).status()).isEqualTo(200);
            assertThat(client.alert(key, withId("a-4", close("GBPUSD", 1, 1.27))).status()).isEqualTo(200);
        }
        // Closed: the ring has stopped, so its state can be read here.
        afterFirst = describe(firstServer.state(), accountId);
        assertThat(afterFirst).contains("pending ").contains("idempotent ").contains("last EURUSD");
        ReplayCheckpoint.Loaded checkpoint = ReplayCheckpoint.read(dataDir.resolve("snapshots")).orElseThrow();

        String afterSecond;
        TradeFlowServer secondServer = TestServers.start(dataDir, CONFIG);
        try (secondServer) {
            TradeFlowServer server = secondServer;
            assertThat(server.replayedFrom()).as("read only after the checkpoint").isEqualTo(checkpoint.journalIndex());
            assertThat(server.replayedEvents()).isZero();
            assertThat(describe(server.state(), accountId)).isEqualTo(afterFirst);

            TestClient client = new TestClient(server.port());
            TestClient.Answer repeat = client.alert(key, withId("a-1", buy("EURUSD", 1, 1.08)));
            assertThat(repeat.body().path("order_id").asText()).as("the first answer, remembered").isEqualTo(firstOrderId);
            // From here the journal runs ahead of the database, as when a crash comes between the two.
            server.projection().close();
            assertThat(client.alert(key, unify("b-1", "\"action\":\"open\",\"side\":\"sell\",\"type\":\"limit\","
                    + "\"symbol\":\"GBPUSD\",\"qty\":1,\"price\":1.3000")).body().path("status").asText()).isEqualTo("pending");
            // The close carries 1.0695: it also fills the pending EURUSD buy limit at 1.07.
            assertThat(client.alert(key, withId("b-2", close("EURUSD", 1, 1.0695))).status()).isEqualTo(200);
            assertThat(client.alert(key, withId("b-3", buy("USDJPY", 1, 150.0))).status()).isEqualTo(200);
        }
        afterSecond = describe(secondServer.state(), accountId);
        assertThat(afterSecond).isNotEqualTo(afterFirst);
        assertThat(ReplayCheckpoint.read(dataDir.resolve("snapshots")).orElseThrow().journalIndex())
                .as("no checkpoint while the projection is behind: the older one stays").isEqualTo(checkpoint.journalIndex());

        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            assertThat(server.replayedFrom()).isEqualTo(checkpoint.journalIndex());
            assertThat(server.replayedEvents()).as("what the projection had not applied").isPositive();
            assertThat(describe(server.state(), accountId)).isEqualTo(afterSecond);
        }

        // Without any checkpoint, start-up reads the whole journal, as before: the same state.
        Files.delete(dataDir.resolve("snapshots").resolve("replay-checkpoint.bin"));
        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            assertThat(server.replayedFrom()).isZero();
            assertThat(describe(server.state(), accountId)).isEqualTo(afterSecond);
        }
    }
}
