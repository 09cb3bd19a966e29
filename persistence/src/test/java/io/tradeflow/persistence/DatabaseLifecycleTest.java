package io.tradeflow.persistence;

import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starting, restarting and recovering the embedded database. The tests share one data directory,
 * so each start after the first reuses the initialized cluster, as the application does.
 */
final class DatabaseLifecycleTest {
    @TempDir
    static Path dataDir;

    @Test
    void shouldApplyMigrationsAndKeepDataAcrossRestarts() {
        String email = "restart@example.com";
        try (Database db = TestDatabases.startEmbedded(dataDir)) {
            assertThat(db.embedded()).isTrue();
            assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://localhost:").contains("/tradeflow");
            assertThat(TestDatabases.projectedIndex(db.jdbi())).isZero();
            assertThat(tables(db)).contains("users", "broker_accounts", "api_keys", "intents", "orders", "positions",
                    "daily_pnl", "projection_state");
            new UserDao(db.jdbi()).create(email, null, Plan.TRIAL, Instant.parse("2026-01-02T03:04:05Z"));
        }
        try (Database db = TestDatabases.startEmbedded(dataDir)) {
            assertThat(new UserDao(db.jdbi()).findByEmail(email)).isPresent();
            assertThat(appliedMigrations(db)).startsWith("1", "2", "3");
        }
    }

    @Test
    void shouldStartOverAStalePidFileOfADeadProcess() throws Exception {
        startAndStop();
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        writePidFile(exited.pid());

        try (Database db = TestDatabases.startEmbedded(dataDir)) {
            assertThat(selectOne(db)).isEqualTo(1);
            assertThat(pidInFile()).isNotEqualTo(exited.pid());
        }
    }

    @Test
    void shouldLeaveAnUnrelatedProcessAloneWhenItReusedThePidInTheFile() throws Exception {
        startAndStop();
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            // PostgreSQL itself refuses to start while the pid in its lock file is alive.
            writePidFile(unrelated.pid());

            try (Database db = TestDatabases.startEmbedded(dataDir)) {
                assertThat(selectOne(db)).isEqualTo(1);
                assertThat(unrelated.isAlive()).isTrue();
            }
        } finally {
            unrelated.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldStopAServerLeftRunningByARunThatDidNotShutDown() throws Exception {
        String email = "leftover@example.com";
        try (Database db = TestDatabases.startEmbedded(dataDir)) {
            new UserDao(db.jdbi()).create(email, null, Plan.PRO, Instant.now());
        }
        // What a kill -9 leaves behind: a live server on the directory that nobody will stop
        // (a killed JVM runs no shutdown hooks).
        EmbeddedPostgres leftover = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("pg"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
        long leftoverPid = pidInFile();
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).contains(true);

        try (Database db = TestDatabases.startEmbedded(dataDir)) {
            assertThat(ProcessHandle.of(leftoverPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(pidInFile()).isNotEqualTo(leftoverPid);
            assertThat(new UserDao(db.jdbi()).findByEmail(email)).isPresent();
        }
        assertThat(leftover).isNotNull();
    }

    @Test
    void shouldConnectToAConfiguredUrlWithoutStartingAServer(@TempDir Path unusedDataDir) {
        try (Database embedded = TestDatabases.startEmbedded(dataDir);
             Database external = Database.start(new DatabaseConfig(embedded.jdbcUrl(), "postgres", "", 2),
                     unusedDataDir)) {
            assertThat(external.embedded()).isFalse();
            assertThat(selectOne(external)).isEqualTo(1);
            assertThat(appliedMigrations(external)).startsWith("1", "2", "3");
            assertThat(unusedDataDir.resolve("pg")).doesNotExist();
        }
    }

    @Test
    void shouldRedactAPasswordGivenInTheUrl() {
        assertThat(Database.redactPassword("jdbc:postgresql://db/tf?user=tf&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/tf?user=tf&password=***&ssl=true");
    }

    private static void startAndStop() {
        TestDatabases.startEmbedded(dataDir).close();
    }

    private static void writePidFile(long pid) throws IOException {
        Path pgDir = dataDir.resolve("pg");
        Files.writeString(pgDir.resolve(StalePostmaster.PID_FILE), pid + "\n" + pgDir + "\n",
                StandardCharsets.US_ASCII);
    }

    private static long pidInFile() throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("pg").resolve(StalePostmaster.PID_FILE));
        return Long.parseLong(lines.get(0).trim());
    }

    private static int selectOne(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one());
    }

    private static List<String> tables(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "select table_name from information_schema.tables where table_schema = 'public'")
                .mapTo(String.class)
                .list());
    }

    private static List<String> appliedMigrations(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "select version from flyway_schema_history where success and version is not null")
                .mapTo(String.class)
                .list());
    }
}
