package io.tradeflow.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.sell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL is stopped while alerts keep coming and started again on the same port and data
 * directory: every alert is still answered 200 during the outage, the dashboard answers 503, {@code /ready} reports the
 * database down (the router stays ready: it does not need the database to route), and when the
 * database is back the projection catches up with every answered alert exactly once.
 */
class DatabaseOutageTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldKeepRoutingThroughADatabaseOutageAndProjectEverythingOnceWhenItReturns() throws Exception {
        Path pgDir = dir.resolve("pg");
        EmbeddedPostgres postgres = startPostgres(pgDir, 0);
        int pgPort = postgres.getPort();
        List<TestClient.Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        try (TradeFlowServer server = TestServers.start(dir.resolve("data"), Map.of(
                "database.url", postgres.getJdbcUrl("postgres", "postgres"),
                "database.user", "postgres",
                "risk.rate-limit.per-window", "1000000",
                // The load loop sends as fast as it can: on a fast run it passed the default 6,000 a minute.
                "http.per-ip-limit.per-window", "100000000",
                "trial.max-trades", "1000000"))) {
            long userId = server.accounts().createUser("outage@test.local", true, Instant.now());
            long accountId = server.accounts().createAccount(userId, io.tradeflow.core.event.BrokerKind.PAPER, "paper");
            String key = server.accounts().issueKey(accountId);
            TestClient client = new TestClient(server.port());
            Thread load = new Thread(() -> {
                for (int i = 0; sending.get(); i++) {
                    answers.add(client.alert(key, i % 2 == 0 ? buy("EURUSD", 1, 1.1) : sell("EURUSD", 1, 1.1)));
                }
            }, "outage-load");
            load.start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> answers.size() >= 20);
                assertThat(client.get("/ready").body().path("database").asText()).isEqualTo("UP");

                postgres.close();
                int atOutage = answers.size();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        client.get("/ready").body().path("database").asText().equals("DOWN"));
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= atOutage + 50);
                TestClient.Answer ready = client.get("/ready");
                assertThat(ready.status()).isEqualTo(200);
                assertThat(ready.body().path("status").asText()).isEqualTo("READY");
                // The dashboard needs the database: it says so with a 503, not a 500.
                ApiClient.Answer login = new ApiClient(server.port()).post("/auth/login",
                        "{\"email\":\"outage@test.local\",\"password\":\"not the password\"}", null);
                assertThat(login.status()).isEqualTo(503);
                assertThat(login.body().path("error").path("code").asText()).isEqualTo("DATABASE_UNAVAILABLE");

                postgres = startPostgres(pgDir, pgPort);
                int atReturn = answers.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() >= atReturn + 20);
            } finally {
                sending.set(false);
                load.join(TimeUnit.SECONDS.toMillis(30));
            }

            List<TestClient.Answer> all = List.copyOf(answers);
            assertThat(all).allSatisfy(a -> assertThat(a.status()).as(a.body().toString()).isEqualTo(200));
            long lastIndex = all.get(all.size() - 1).journalIndex();
            Jdbi jdbi = server.database().jdbi();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.projection().lastAppliedIndex() >= lastIndex);
            assertThat(client.get("/ready").body().path("database").asText()).isEqualTo("UP");
            List<Long> projected = jdbi.withHandle(h -> h.createQuery(
                    "select journal_index from intents where account_id = :a order by journal_index")
                    .bind("a", accountId).mapTo(Long.class).list());
            assertThat(projected).containsExactlyElementsOf(all.stream().map(TestClient.Answer::journalIndex).sorted().toList());
            List<Long> orderIds = jdbi.withHandle(h -> h.createQuery(
                    "select id from orders where account_id = :a order by id").bind("a", accountId).mapTo(Long.class).list());
            assertThat(orderIds).containsExactlyElementsOf(
                    all.stream().map(a -> Long.parseLong(a.body().path("order_id").asText().substring(4))).sorted().toList());
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws Exception {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false);
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }
}
