package io.tradeflow.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.tradeflow.core.event.BrokerKind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No secret in any log line or in clear in the database: a full server life (start with a
 * database password and configured secrets, keys issued, alerts sent with the key in the header,
 * the URL and the body, wrong keys, an oversized body, a poison event, shutdown) is logged at
 * DEBUG into memory, and every captured line (with stack traces) and every text, byte and array
 * column of every table is searched for each secret.
 */
class SecretsTest {
    private static final String DB_PASSWORD = "db-pass-Zq8wX3";
    private static final String URL_PASSWORD = "url-pass-Kv7Lm2";
    private static final String CREDENTIAL_KEY = "credential-key-Hn4Rt9Pp1Ww6Yy0Uu3";
    private static final String JWT_SECRET = "jwt-secret-Bb2Nn5Mm8Cc1Xx4Zz7";
    private static final String WRONG_KEY = "tf_WrongKeyGuessedByAnAttacker0123456789";

    @TempDir
    Path dir;

    @Test
    void shouldKeepKeysAndPasswordsOutOfLogsAndOutOfTheDatabase() throws Exception {
        Logger root = (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // Every logger with a level of its own (Netty, Hikari, Flyway, …) is opened to DEBUG too.
        Map<Logger, Level> levels = new HashMap<>();
        for (Logger logger : root.getLoggerContext().getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(logger, logger.getLevel());
                logger.setLevel(Level.DEBUG);
            }
        }
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> secrets = new ArrayList<>(List.of(DB_PASSWORD, URL_PASSWORD, CREDENTIAL_KEY, JWT_SECRET, WRONG_KEY));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
            Jdbi jdbi;
            try (TradeFlowServer server = TestServers.start(dir.resolve("data"), Map.of(
                    "database.url", postgres.getJdbcUrl("postgres", "postgres") + "&password=" + URL_PASSWORD,
                    "database.user", "postgres",
                    "database.password", DB_PASSWORD,
                    "security.credential-key", CREDENTIAL_KEY,
                    "security.jwt-secret", JWT_SECRET,
                    "http.max-body-size", "1KiB"), new FaultyVenue())) {
                long userId = server.accounts().createUser("secrets@test.local", true, Instant.now());
                long accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
                String key = server.accounts().issueKey(accountId);
                String revoked = server.accounts().issueKey(accountId);
                secrets.add(key);
                server.accounts().revokeKey(accountId, revoked);
                secrets.add(revoked);
                TestClient client = new TestClient(server.port());
                assertThat(client.alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
                assertThat(client.postAlert("/api/unify/v1/webhook?key=" + key, buy("EURUSD", 1, 1.1), null, "text/plain")
                        .status()).isEqualTo(200);
                assertThat(client.postAlert("/api/unify/v1/webhook", "{\"api_key\":\"" + key + "\",\"intent\":{\"side\":\"buy\","
                        + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.1}}", null, "application/json").status()).isEqualTo(200);
                assertThat(client.alert(WRONG_KEY, buy("EURUSD", 1, 1.1)).status()).isEqualTo(401);
                assertThat(client.alert(key, "{\"api_key\":\"" + key + "\",\"intent\":{\"qty\":\"" + key + "\"}}").status())
                        .isEqualTo(400);
                assertThat(client.alert(key, "{\"pad\":\"" + "x".repeat(2000) + "\"}").status()).isEqualTo(413);
                assertThat(client.alert(key, buy(FaultyVenue.POISON, 1, 1)).status()).isEqualTo(500);
                TestClient.Answer last = client.alert(key, buy("EURUSD", 1, 1.1));
                assertThat(last.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> server.projection().lastAppliedIndex() >= last.journalIndex());
                jdbi = server.database().jdbi();
                assertNoSecretInTheDatabase(jdbi, secrets);
            }
        } finally {
            root.detachAppender(captured);
            levels.forEach(Logger::setLevel);
        }
        List<String> lines = captured.list.stream().map(SecretsTest::render).toList();
        assertThat(lines).as("captured log lines").hasSizeGreaterThan(10);
        for (String secret : secrets) {
            assertThat(lines).as("log lines containing a secret").noneMatch(line -> line.contains(secret));
            // A key with its prefix cut off is still the key.
            String body = secret.startsWith("tf_") ? secret.substring(3) : secret;
            assertThat(lines).as("log lines containing a secret").noneMatch(line -> line.contains(body));
        }
    }

    private static void assertNoSecretInTheDatabase(Jdbi jdbi, List<String> secrets) {
        List<Map<String, Object>> columns = jdbi.withHandle(h -> h.createQuery(
                        "select table_name, column_name, data_type from information_schema.columns"
                                + " where table_schema = 'public'"
                                + " and data_type in ('text', 'character varying', 'bytea', 'ARRAY', 'json', 'jsonb')")
                .mapToMap().list());
        assertThat(columns).extracting(c -> c.get("column_name")).contains("key_hash", "key_prefix", "reason", "credentials");
        for (Map<String, Object> column : columns) {
            String table = (String) column.get("table_name");
            String name = (String) column.get("column_name");
            for (String secret : secrets) {
                String hex = HexFormat.of().formatHex(secret.getBytes(StandardCharsets.UTF_8));
                long hits = jdbi.withHandle(h -> h.createQuery("select count(*) from \"" + table + "\" where position(:s in \""
                                + name + "\"::text) > 0 or position(:hex in \"" + name + "\"::text) > 0")
                        .bind("s", secret.substring(Math.min(3, secret.length() / 4)))
                        .bind("hex", hex)
                        .mapTo(Long.class).one());
                assertThat(hits).as("%s.%s holding a secret in clear", table, name).isZero();
            }
        }
    }

    private static String render(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                line.append(' ').append(frame.getSTEAsString());
            }
        }
        return line.toString();
    }
}
