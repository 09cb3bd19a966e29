package io.tradeflow.app;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TradeFlowConfig;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.persistence.Database;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stop and start again on the same data directory: trial counts, daily P&amp;L and positions are
 * unchanged, and no alert is lost or applied twice — both when the projection had caught up and
 * when it had not (state then comes from replaying the journal).
 */
class RestartTest {
    @TempDir
    Path dataDir;

    // Symbols outside the instrument table trade at one unit per point, which keeps the P&L arithmetic readable.
    private static final Map<String, String> PYRAMIDING = Map.of("alerts.pyramiding", "10");
    private static final Map<String, String> CONFIG = Map.of("trial.max-trades", "5", "alerts.pyramiding", "10");

    private record Counts(int intents, int orders, List<Long> orderIds, int tradesUsed, double position) {
    }

    private static Counts counts(Jdbi jdbi, long userId, long accountId) {
        return jdbi.withHandle(h -> new Counts(
                h.createQuery("select count(*) from intents where account_id = :a").bind("a", accountId).mapTo(Integer.class).one(),
                h.createQuery("select count(*) from orders where account_id = :a").bind("a", accountId).mapTo(Integer.class).one(),
                h.createQuery("select id from orders where account_id = :a order by id").bind("a", accountId).mapTo(Long.class).list(),
                h.createQuery("select trades_count from users where id = :u").bind("u", userId).mapTo(Integer.class).one(),
                h.createQuery("select coalesce(sum(quantity), 0) from positions where account_id = :a").bind("a", accountId)
                        .mapTo(Double.class).one()));
    }

    /** A journal whose next append fails once when armed (a full disk for a moment), then works again. */
    private static final class FlakyJournal implements io.tradeflow.core.journal.Journal {
        private final io.tradeflow.core.journal.Journal delegate;
        volatile boolean failNext;

        FlakyJournal(io.tradeflow.core.journal.Journal delegate) {
            this.delegate = delegate;
        }

        @Override
        public long append(io.tradeflow.core.event.RingEvent event) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("No space left on device");
            }
            return delegate.append(event);
        }

        @Override
        public io.tradeflow.core.journal.JournalReader readerAfter(long index) {
            return delegate.readerAfter(index);
        }

        @Override
        public long lastIndex() {
            return delegate.lastIndex();
        }

        @Override
        public boolean isDurable() {
            return delegate.isDurable();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void shouldStopEverythingWith503OnAJournalFailureAndRestartFromAConsistentJournal() throws Exception {
        FlakyJournal[] journal = new FlakyJournal[1];
        long userId;
        long accountId;
        String key;
        try (TradeFlowServer server = TradeFlowServer.start(TestServers.config(dataDir, CONFIG), j -> journal[0] = new FlakyJournal(j))) {
            TestClient client = new TestClient(server.port());
            userId = server.accounts().createUser("journal@test.local", true, Instant.now());
            accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            key = server.accounts().issueKey(accountId);
            assertThat(client.alert(key, buy("ACME", 1, 100)).status()).isEqualTo(200);

            journal[0].failNext = true;
            TestClient.Answer failed = client.alert(key, buy("ACME", 1, 100));
            TestClient.Answer after = client.alert(key, buy("ACME", 1, 100));

            assertThat(failed.status()).isEqualTo(503);
            assertThat(after.status()).isEqualTo(503);
            assertThat(after.body().path("error").path("message").asText()).contains("router stopped")
                    .contains("No space left on device");
            TestClient.Answer ready = client.get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body().path("status").asText()).isEqualTo("FAILED");
            assertThat(ready.body().path("reason").asText()).contains("journal append failed");
        }

        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            // The restart replays what was journaled: one entry, not the one whose append failed.
            TestClient client = new TestClient(server.port());
            assertThat(client.get("/ready").body().path("status").asText()).isEqualTo("READY");
            TestClient.Answer next = client.alert(key, buy("ACME", 1, 100));
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body().path("position").asDouble()).isEqualTo(2.0);
            long user = userId;
            long account = accountId;
            await().atMost(Duration.ofSeconds(20)).until(() -> counts(server.database().jdbi(), user, account).orders() == 2);
            assertThat(counts(server.database().jdbi(), user, account).tradesUsed()).isEqualTo(2);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void shouldExitASecondLauncherOnTheSameDataDirectoryAtOnceAndKeepTheFirstRouting() throws Exception {
        // The embedded database lives in the data directory: the second start must not take it for a crash's leftover.
        Path config = dataDir.resolveSibling(dataDir.getFileName() + "-tradeflow.conf");
        java.nio.file.Files.writeString(config, "http.host = \"127.0.0.1\"\n");
        Path data = dataDir.resolve("data");
        try (ChildTradeFlow first = ChildTradeFlow.start(data, config)) {
            TestClient client = new TestClient(first.awaitPort(120));
            String key = first.awaitDemoKey(10);
            assertThat(client.alert(key, buy("ACME", 1, 100)).status()).as(first.output()).isEqualTo(200);

            try (ChildTradeFlow second = ChildTradeFlow.start(data, config)) {
                assertThat(second.awaitExit(120)).as(second.output()).isEqualTo(3);
                assertThat(second.output()).contains("is in use by process " + first.pid())
                        .contains(data.getFileName().toString());
            }

            // Its database and journal untouched, the first instance still routes (a close of the position it opened).
            TestClient.Answer closed = client.alert(key, close("ACME", 1, 101));
            assertThat(closed.status()).as(first.output()).isEqualTo(200);
            assertThat(closed.body().path("position").asDouble()).isZero();
            first.stop();
        }
    }

    @Test
    void shouldRefuseASecondStartOnADataDirectoryInUseAndKeepTheFirstRouting() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            TestClient client = new TestClient(server.port());
            long userId = server.accounts().createUser("lock@test.local", true, Instant.now());
            long accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            String key = server.accounts().issueKey(accountId);
            assertThat(client.alert(key, buy("ACME", 1, 100)).status()).isEqualTo(200);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServers.start(dataDir, CONFIG).close())
                    .isInstanceOf(io.tradeflow.persistence.DataDirectoryLock.InUseException.class)
                    .hasMessageContaining("data directory " + dataDir + " is in use by process " + ProcessHandle.current().pid());

            // The first instance's database and journal were not touched: it keeps routing and projecting.
            assertThat(client.alert(key, buy("ACME", 1, 101)).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> counts(server.database().jdbi(), userId, accountId).orders() == 2);
        }
    }

    @Test
    void shouldKeepTrialCountsPnlAndPositionsAcrossRestart() throws Exception {
        long userId;
        long accountId;
        String key;
        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            TestClient client = new TestClient(server.port());
            userId = server.accounts().createUser("restart@test.local", true, Instant.now());
            accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            key = server.accounts().issueKey(accountId);
            server.accounts().setRiskLimits(accountId, new RiskLimits(100, 15, 10, "", ZoneOffset.UTC, List.of(), 100,
                    Duration.ofDays(1)));
            assertThat(client.alert(key, buy("ACME", 3, 100)).status()).isEqualTo(200);
            assertThat(client.alert(key, close("ACME", 1, 90)).status()).isEqualTo(200);   // realised -10
            assertThat(client.alert(key + "bad", buy("ACME", 1, 90)).status()).isEqualTo(401);
            assertThat(client.alert(key, "{\"intent\":{}}").status()).isEqualTo(400);
            assertThat(client.alert(key, buy("WIDGET", 1, 1.25)).status()).isEqualTo(200);
        }

        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            TestClient client = new TestClient(server.port());
            Jdbi jdbi = server.database().jdbi();
            Counts before = counts(jdbi, userId, accountId);
            assertThat(before.orders()).isEqualTo(3);
            assertThat(before.tradesUsed()).isEqualTo(3);
            assertThat(before.position()).isEqualTo(3.0);

            // Losing another 10 crosses the 15 max daily loss only if the first -10 survived the restart.
            TestClient.Answer close = client.alert(key, close("ACME", 2, 95));
            assertThat(close.status()).isEqualTo(200);
            assertThat(close.body().path("position").asDouble()).isZero();   // the 2 left before the restart
            TestClient.Answer refused = client.alert(key, buy("ACME", 1, 95));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body().path("error").path("rule").asText()).isEqualTo("max_daily_loss");

            // 4 trades used; the 5th is allowed, the 6th hits the trial limit of 5.
            server.accounts().setRiskLimits(accountId, new RiskLimits(100, 0, 10, "", ZoneOffset.UTC, List.of(), 100,
                    Duration.ofDays(1)));
            assertThat(client.alert(key, buy("ACME", 1, 95)).status()).isEqualTo(200);
            assertThat(client.alert(key, buy("ACME", 1, 95)).body().path("error").path("code").asText())
                    .isEqualTo("TRIAL_LIMIT");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Counts after = counts(jdbi, userId, accountId);
                assertThat(after.intents()).isEqualTo(4 + 4);   // the 401 is not attributed to the account
                assertThat(after.orders()).isEqualTo(5);
                assertThat(after.orderIds()).doesNotHaveDuplicates().startsWith(before.orderIds().toArray(Long[]::new));
                assertThat(after.tradesUsed()).isEqualTo(5);
            });
        }
    }

    @Test
    void shouldRebuildStateFromTheJournalWhenTheProjectionIsBehind() throws Exception {
        long userId;
        long accountId;
        String key;
        try (TradeFlowServer server = TestServers.start(dataDir, PYRAMIDING)) {
            TestClient client = new TestClient(server.port());
            userId = server.accounts().createUser("replay@test.local", true, Instant.now());
            accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            key = server.accounts().issueKey(accountId);
            for (int i = 0; i < 4; i++) {
                assertThat(client.alert(key, buy("ACME", 1, 100 + i)).status()).isEqualTo(200);
            }
        }
        // Pretend the projection never applied the alerts: wipe what it wrote and rewind its index
        // to just after the account and key were created.
        TradeFlowConfig config = TestServers.config(dataDir, PYRAMIDING);
        try (Database db = Database.start(config.database(), config.dataDir())) {
            db.jdbi().useTransaction(h -> {
                long firstAlert = h.createQuery("select min(journal_index) from intents").mapTo(Long.class).one();
                h.execute("delete from intents");
                h.execute("delete from orders");
                h.execute("delete from positions");
                h.execute("delete from daily_pnl");
                h.execute("update users set trades_count = 0");
                h.createUpdate("update projection_state set last_index = :i").bind("i", firstAlert - 1).execute();
            });
        }

        try (TradeFlowServer server = TestServers.start(dataDir, PYRAMIDING)) {
            assertThat(server.replayedEvents()).isEqualTo(4);
            TestClient client = new TestClient(server.port());
            TestClient.Answer answer = client.alert(key, close("ACME", 1, 110));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("position").asDouble()).isEqualTo(3.0);
            Jdbi jdbi = server.database().jdbi();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Counts after = counts(jdbi, userId, accountId);
                assertThat(after.intents()).isEqualTo(5);
                assertThat(after.orders()).isEqualTo(5);
                assertThat(after.orderIds()).doesNotHaveDuplicates();
                assertThat(after.tradesUsed()).isEqualTo(5);
                assertThat(after.position()).isEqualTo(3.0);
            });
        }
    }
}
