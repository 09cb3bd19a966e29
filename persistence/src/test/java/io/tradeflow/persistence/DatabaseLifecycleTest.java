package io.tradeflow.persistence;

import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /**
     * A real leftover: a child JVM starts the database through {@link Database#start}, writes a
     * user and is SIGKILLed (no shutdown hook runs), leaving its server running on the directory.
     */
    @Test
    void shouldStopAServerLeftRunningByARunThatDidNotShutDown() throws Exception {
        String email = "leftover@example.com";
        startAndStop();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LeftoverDatabase.class.getName(), dataDir.toString(), email).redirectErrorStream(true).start();
        long leftoverPid;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null && !line.equals("READY"); ) {
                seen.append(line).append('\n');
            }
            assertThat(child.isAlive()).as("the child started its database: %s", seen).isTrue();
            leftoverPid = pidInFile();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(leftoverPid).isNotEqualTo(child.pid());
        assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive))
                .as("the killed run left its server running").contains(true);

        try (Database db = TestDatabases.startEmbedded(dataDir)) {
            assertThat(ProcessHandle.of(leftoverPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(pidInFile()).isNotEqualTo(leftoverPid);
            assertThat(new UserDao(db.jdbi()).findByEmail(email)).isPresent();
        }
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
