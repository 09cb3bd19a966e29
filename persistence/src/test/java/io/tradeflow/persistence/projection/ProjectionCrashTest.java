package io.tradeflow.persistence.projection;

import io.tradeflow.config.ProjectionConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.Side;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.JournaledRouter;
import io.tradeflow.persistence.TestDatabases;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static io.tradeflow.persistence.TestDatabases.count;
import static io.tradeflow.persistence.TestDatabases.projectedIndex;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection commits without waiting for the WAL flush ({@code synchronous_commit = off}): a
 * PostgreSQL crash may lose its last commits, and it cuts off the batch being written. Each lost
 * commit takes its {@code projection_state.last_index} with it, so after the restart the writer
 * projects those events again from the journal and the tables end up exactly as a projection that
 * never crashed (a second database that projects the same journal undisturbed): nothing lost,
 * nothing doubled.
 */
final class ProjectionCrashTest {
    private static final Instant SIGNUP = Instant.parse("2026-11-23T08:00:00Z");
    private static final long T0 = SIGNUP.plus(Duration.ofHours(1)).toEpochMilli();
    private static final Duration AWAIT = Duration.ofSeconds(60);
    /** Many small commits back to back, so the kill lands inside one and others are not on disk yet. */
    private static final ProjectionConfig SMALL_BATCHES = new ProjectionConfig(8, Duration.ofMillis(5));
    private static final int ALERTS = 3_000;
    /** The kill comes once this many alerts are projected: most of the journal is still to apply. */
    private static final int KILL_AFTER = 150;

    @TempDir
    Path dataDir;
    @TempDir
    Path referenceDir;
    @TempDir
    Path journalDir;

    @Test
    void shouldProjectEveryEventExactlyOnceAfterPostgresIsKilledWithABatchInFlight() throws Exception {
        try (JournaledRouter router = new JournaledRouter(journalDir)) {
            byte[] keyHash = KeyHasher.sha256("tf_crash_key");
            router.accountAdded(ACCOUNT, USER, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), true, 0, T0);
            router.keyAdded(ACCOUNT, USER, keyHash, T0);
            long[] alertIndex = new long[ALERTS];
            for (int i = 0; i < ALERTS; i++) {
                String symbol = i % 3 == 0 ? "EURUSD" : i % 3 == 1 ? "GBPUSD" : "USDJPY";
                alertIndex[i] = (i % 50 == 49
                        ? router.alert(keyHash, Action.CLOSE_ALL, null, "", 0, 0, null, T0 + i)
                        : router.alert(keyHash, Action.OPEN, i % 2 == 0 ? Side.BUY : Side.SELL, symbol, 1,
                        1.10 + (i % 1000) / 1000.0, null, T0 + i)).journalIndex;
            }
            long last = router.journal().lastIndex();
            assertThat(last).isEqualTo(alertIndex[ALERTS - 1]);

            // What the tables must hold: the same journal projected by a database that never crashed.
            String expected;
            try (Database reference = TestDatabases.startEmbedded(referenceDir)) {
                Jdbi jdbi = reference.jdbi();
                createUserAndAccount(jdbi);
                try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
                    writer.start();
                    assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
                }
                expected = snapshot(jdbi);
                assertThat(count(jdbi, "intents")).isEqualTo(ALERTS);
            }

            long appliedBeforeCrash;
            Database db = TestDatabases.startEmbedded(dataDir);
            try {
                Jdbi jdbi = db.jdbi();
                createUserAndAccount(jdbi);
                try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
                    writer.start();
                    assertThat(writer.awaitApplied(alertIndex[KILL_AFTER], AWAIT)).isTrue();
                    killServer(dataDir.resolve("pg"));

                    // The writer was mid-stream: its next batch failed against the dead server, and
                    // nothing it committed reached the end of the journal.
                    await().atMost(AWAIT).until(() -> !writer.databaseAvailable());
                    appliedBeforeCrash = writer.lastAppliedIndex();
                    assertThat(appliedBeforeCrash).as("applied when PostgreSQL died").isLessThan(last);
                }
            } finally {
                db.close();
            }

            try (Database restarted = TestDatabases.startEmbedded(dataDir)) {
                Jdbi jdbi = restarted.jdbi();
                long survived = projectedIndex(jdbi);
                System.out.printf("ProjectionCrashTest: %d of %d journal entries applied when PostgreSQL died, %d survived"
                        + " its restart%n", ordinal(appliedBeforeCrash, last), ordinal(last, last), ordinal(survived, last));
                // What survived is whole commits only, at most what the writer had committed.
                assertThat(survived).isLessThanOrEqualTo(appliedBeforeCrash).isLessThan(last);
                assertThat(count(jdbi, "intents where journal_index > " + survived)).isZero();
                assertThat(count(jdbi, "intents")).isEqualTo(count(jdbi, "intents where journal_index <= " + survived));

                try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
                    writer.start();
                    assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
                }
                assertThat(projectedIndex(jdbi)).isEqualTo(last);
                assertThat(count(jdbi, "intents")).as("one row per journaled alert").isEqualTo(ALERTS);
                assertThat(snapshot(jdbi)).isEqualTo(expected);
            }
        }
    }

    private static final long USER = 1;
    private static final long ACCOUNT = 1;

    /** The position of a journal index among this test's records (indexes of one cycle are consecutive). */
    private static long ordinal(long index, long last) {
        return ALERTS + 2 - (last - index);
    }

    /** The rows the dashboard writes itself (not projected); fresh databases give both the same ids. */
    private static void createUserAndAccount(Jdbi jdbi) {
        long userId = new UserDao(jdbi).create("crash@example.com", null, Plan.TRIAL, SIGNUP).orElseThrow();
        long accountId = new AccountDao(jdbi).create(userId, BrokerKind.PAPER, "paper", true);
        assertThat(userId).isEqualTo(USER);
        assertThat(accountId).isEqualTo(ACCOUNT);
    }

    /** SIGKILL to the postmaster and every server process, as a crash of PostgreSQL (or of the machine) does. */
    private static void killServer(Path pgDir) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> children = postmaster.descendants().collect(Collectors.toList());
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().join();
    }

    /** Every projected row as text. */
    private static String snapshot(Jdbi jdbi) {
        return jdbi.withHandle(h -> String.join("\n",
                h.createQuery("select i::text from intents i order by journal_index").mapTo(String.class).list())
                + h.createQuery("select o::text from orders o order by id").mapTo(String.class).list()
                + h.createQuery("select p::text from positions p order by account_id, symbol").mapTo(String.class)
                .list()
                + h.createQuery("select d::text from daily_pnl d order by account_id, trading_day").mapTo(String.class)
                .list()
                + h.createQuery("select l::text from last_prices l order by 1").mapTo(String.class).list()
                + h.createQuery("select trades_count::text from users order by id").mapTo(String.class).list());
    }
}
