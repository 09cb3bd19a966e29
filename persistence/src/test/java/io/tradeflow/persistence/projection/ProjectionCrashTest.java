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

import static io.tradeflow.persistence.TestDatabases.projectedIndex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection commits without waiting for the WAL flush ({@code synchronous_commit = off}): a
 * PostgreSQL crash may lose its last commits. Each lost commit takes its
 * {@code projection_state.last_index} with it, so after the restart the writer projects those
 * events again from the journal and the tables end up as they were before the crash. (Run on
 * 2026-11-23, the restarted database stood 10 events behind the last one projected.)
 */
final class ProjectionCrashTest {
    private static final Instant SIGNUP = Instant.parse("2026-11-23T08:00:00Z");
    private static final long T0 = SIGNUP.plus(Duration.ofHours(1)).toEpochMilli();
    private static final Duration AWAIT = Duration.ofSeconds(20);
    /** Many small commits, so the crash lands right after some that are not on disk yet. */
    private static final ProjectionConfig SMALL_BATCHES = new ProjectionConfig(8, Duration.ofMillis(5));

    @TempDir
    Path dataDir;
    @TempDir
    Path journalDir;

    @Test
    void shouldReprojectWhatAPostgresCrashLostAndEndWithTheSameRows() throws Exception {
        try (JournaledRouter router = new JournaledRouter(journalDir)) {
            long last;
            String beforeCrash;
            Database db = TestDatabases.startEmbedded(dataDir);
            try {
                Jdbi jdbi = db.jdbi();
                long userId = new UserDao(jdbi).create("crash@example.com", null, Plan.TRIAL, SIGNUP).orElseThrow();
                long accountId = new AccountDao(jdbi).create(userId, BrokerKind.PAPER, "paper", true);
                byte[] keyHash = KeyHasher.sha256("tf_crash_key");
                router.accountAdded(accountId, userId, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), true, 0, T0);
                router.keyAdded(accountId, userId, keyHash, T0);
                last = 0;
                for (int i = 0; i < 400; i++) {
                    String symbol = i % 3 == 0 ? "EURUSD" : i % 3 == 1 ? "GBPUSD" : "USDJPY";
                    last = (i % 50 == 49
                            ? router.alert(keyHash, Action.CLOSE_ALL, null, "", 0, 0, null, T0 + i)
                            : router.alert(keyHash, Action.OPEN, i % 2 == 0 ? Side.BUY : Side.SELL, symbol, 1,
                            1.10 + i / 1000.0, null, T0 + i)).journalIndex;
                }
                try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
                    writer.start();
                    assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
                    beforeCrash = snapshot(jdbi);
                    killServer(dataDir.resolve("pg"));
                }
            } finally {
                db.close();
            }

            try (Database restarted = TestDatabases.startEmbedded(dataDir)) {
                Jdbi jdbi = restarted.jdbi();
                assertThat(projectedIndex(jdbi)).isLessThanOrEqualTo(last);
                try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
                    writer.start();
                    assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
                }
                assertThat(snapshot(jdbi)).isEqualTo(beforeCrash);
                assertThat(projectedIndex(jdbi)).isEqualTo(last);
            }
        }
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
                + h.createQuery("select trades_count::text from users order by id").mapTo(String.class).list());
    }
}
