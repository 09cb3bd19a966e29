package io.tradeflow.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.stub.TradeLockerStub;
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
 * database password and configured secrets; a dashboard user signs up and logs in, so the JWT
 * secret signs and checks its tokens; a TradeLocker and a ProjectX account are registered with
 * their password and API key against the brokers' stubs, so the credential key encrypts them, and
 * an alert is routed through TradeLocker with the decrypted credentials; a plan is bought through
 * the Stripe stub with the Stripe secret key and a webhook signed with the webhook secret arrives; keys issued, alerts sent
 * with the key in the header, the URL and the body, wrong keys, an oversized body, a poison
 * event, shutdown) is logged at DEBUG into memory, and every captured line (with stack traces)
 * and every text, byte and array column of every table is searched for every
 * {@value #WINDOW}-character piece of each secret (as text, and as hex in byte columns): a
 * secret cut short, or with its {@code tf_} prefix dropped, is still found.
 */
class SecretsTest {
    private static final String DB_PASSWORD = "Zq8wX3dbPassRr5T";
    private static final String URL_PASSWORD = "Kv7Lm2urlPassJj9Q";
    private static final String CREDENTIAL_KEY = "Hn4Rt9Pp1Ww6Yy0Uu3credKey";
    private static final String JWT_SECRET = "Bb2Nn5Mm8Cc1Xx4Zz7jwtSecret";
    private static final String WRONG_KEY = "tf_WrongKeyGuessedByAnAttacker0123456789";
    private static final String DASHBOARD_PASSWORD = "Gq7horse-Battery-9zW";
    private static final String STRIPE_KEY = "sk_test_Tr4Ww8Qq2stripeKey";
    private static final String STRIPE_WEBHOOK_SECRET = "whsec_Lp6Dd0Ff3hookSecret";
    /** The length of the pieces searched for: long enough not to match ordinary text by chance. */
    private static final int WINDOW = 8;

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
        List<String> secrets = new ArrayList<>(List.of(DB_PASSWORD, URL_PASSWORD, CREDENTIAL_KEY, JWT_SECRET, WRONG_KEY,
                STRIPE_KEY, STRIPE_WEBHOOK_SECRET));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
             TradeLockerStub tradeLocker = new TradeLockerStub();
             ProjectXStub projectX = new ProjectXStub();
             StripeStub stripe = new StripeStub()) {
            secrets.add(TradeLockerStub.PASSWORD);
            secrets.add(ProjectXStub.API_KEY);
            secrets.add(DASHBOARD_PASSWORD);
            Jdbi jdbi;
            Map<String, String> config = new HashMap<>(Map.of(
                    "database.url", postgres.getJdbcUrl("postgres", "postgres") + "&password=" + URL_PASSWORD,
                    "database.user", "postgres",
                    "database.password", DB_PASSWORD,
                    "security.credential-key", CREDENTIAL_KEY,
                    "security.jwt-secret", JWT_SECRET,
                    "http.max-body-size", "1KiB",
                    "brokers.tradelocker-demo-url", tradeLocker.baseUri() + "/backend-api",
                    "brokers.projectx-url", projectX.baseUri().toString()));
            config.putAll(Map.of(
                    "billing.stripe.secret-key", STRIPE_KEY,
                    "billing.stripe.webhook-secret", STRIPE_WEBHOOK_SECRET,
                    "billing.stripe.api-base", stripe.apiBase(),
                    "billing.plans.pro.price-id", "price_pro"));
            try (TradeFlowServer server = TestServers.start(dir.resolve("data"), config, new FaultyVenue())) {
                ApiClient api = new ApiClient(server.port());
                ApiClient.Answer signedUp = api.signUp("secrets-dashboard@test.local", DASHBOARD_PASSWORD);
                assertThat(signedUp.status()).as("%s", signedUp).isEqualTo(201);
                ApiClient.Answer login = api.post("/auth/login", "{\"email\":\"secrets-dashboard@test.local\",\"password\":\""
                        + DASHBOARD_PASSWORD + "\"}", null);
                assertThat(login.status()).as("%s", login).isEqualTo(200);
                String token = login.body().path("access_token").asText();
                addIfPresent(secrets, signedUp.body().path("access_token").asText());
                addIfPresent(secrets, signedUp.body().path("refresh_token").asText());
                addIfPresent(secrets, token);
                addIfPresent(secrets, login.body().path("refresh_token").asText());
                assertThat(api.post("/auth/login", "{\"email\":\"secrets-dashboard@test.local\",\"password\":\""
                        + DASHBOARD_PASSWORD + "x\"}", null).status()).as("a wrong password").isEqualTo(401);

                ApiClient.Answer tl = api.post("/register/tradelocker", "{\"label\":\"TL\",\"credentials\":{\"email\":\""
                        + TradeLockerStub.EMAIL + "\",\"password\":\"" + TradeLockerStub.PASSWORD + "\",\"server\":\""
                        + TradeLockerStub.SERVER + "\",\"environment\":\"demo\"}}", token);
                assertThat(tl.status()).as("%s", tl).isEqualTo(201);
                ApiClient.Answer px = api.post("/register/projectx", "{\"credentials\":{\"username\":\"" + ProjectXStub.USER
                        + "\",\"api_key\":\"" + ProjectXStub.API_KEY + "\"}}", token);
                assertThat(px.status()).as("%s", px).isEqualTo(201);
                ApiClient.Answer wrongPx = api.post("/register/projectx", "{\"credentials\":{\"username\":\""
                        + ProjectXStub.USER + "\",\"api_key\":\"" + ProjectXStub.API_KEY + "-wrong\"}}", token);
                assertThat(wrongPx.status()).as("%s", wrongPx).isNotEqualTo(201);
                billWithStripe(server.port(), api, token, stripe);
                String tlKey = tl.body().path("api_key").asText();
                secrets.add(tlKey);
                secrets.add(px.body().path("api_key").asText());
                TestClient.Answer routed = new TestClient(server.port()).alert(tlKey, buy("EURUSD", 1, 1.085));
                assertThat(routed.status()).as("%s", routed).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> tradeLocker.positionQuantity("EURUSD") == 1);

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
                long brokerAccounts = jdbi.withHandle(h -> h.createQuery(
                        "select count(*) from broker_accounts where broker in ('tradelocker', 'projectx')").mapTo(Long.class).one());
                assertThat(brokerAccounts)
                        .as("both broker accounts stored").isEqualTo(2);
                assertNoSecretInTheDatabase(jdbi, secrets);
            }
        } finally {
            root.detachAppender(captured);
            levels.forEach(Logger::setLevel);
        }
        List<String> lines = captured.list.stream().map(SecretsTest::render).toList();
        assertThat(lines).as("captured log lines").hasSizeGreaterThan(10);
        for (String secret : secrets) {
            for (String piece : pieces(secret)) {
                assertThat(lines).as("log lines containing %s, a piece of a secret", piece)
                        .noneMatch(line -> line.contains(piece));
            }
        }
    }

    /** A checkout through the Stripe stub (the secret key authenticates it) and a webhook signed with the secret. */
    private static void billWithStripe(int port, ApiClient api, String token, StripeStub stripe) throws Exception {
        ApiClient.Answer checkout = api.post("/billing/create-checkout-session", "{\"plan\":\"pro\"}", token);
        assertThat(checkout.status()).as("%s", checkout).isEqualTo(200);
        StripeStub.Request session = stripe.requests().stream()
                .filter(r -> r.path().equals("/v1/checkout/sessions")).findFirst().orElseThrow();
        assertThat(session.authorization()).isEqualTo("Bearer " + STRIPE_KEY);
        String customer = session.form().get("customer");
        stripe.subscription("sub_s", customer, "active", "price_pro", System.currentTimeMillis() / 1000 + 86_400, false);
        String event = StripeStub.event("evt_s", "customer.subscription.updated", "{\"id\":\"sub_s\","
                + "\"object\":\"subscription\",\"customer\":\"" + customer + "\"}");
        java.net.http.HttpResponse<String> hook = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + ApiClient.BASE + "/billing/webhook"))
                .header("Content-Type", "application/json")
                .header("Stripe-Signature", StripeStub.sign(event, STRIPE_WEBHOOK_SECRET, System.currentTimeMillis() / 1000))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(200);
    }

    private static void addIfPresent(List<String> secrets, String secret) {
        if (!secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    /**
     * Every {@value #WINDOW}-character piece of the secret (the whole secret when shorter). An API
     * key's first {@value #WINDOW} characters are its public prefix ({@code api_keys.key_prefix},
     * shown in the dashboard to tell keys apart), so its pieces start one character later: any
     * piece that reaches past the prefix is still searched.
     */
    static List<String> pieces(String secret) {
        List<String> pieces = new ArrayList<>();
        for (int i = secret.startsWith("tf_") ? 1 : 0; i + WINDOW <= secret.length(); i++) {
            pieces.add(secret.substring(i, i + WINDOW));
        }
        if (pieces.isEmpty()) {
            pieces.add(secret);
        }
        return pieces;
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
            // As text: a bytea column reads as \x followed by hex, searched for the hex of each piece.
            List<String> values = jdbi.withHandle(h -> h.createQuery("select \"" + name + "\"::text from \"" + table
                    + "\" where \"" + name + "\" is not null").mapTo(String.class).list());
            for (String secret : secrets) {
                for (String piece : pieces(secret)) {
                    String hex = HexFormat.of().formatHex(piece.getBytes(StandardCharsets.UTF_8));
                    assertThat(values).as("%s.%s holding %s, a piece of a secret, in clear", table, name, piece)
                            .noneMatch(v -> v.contains(piece) || v.toLowerCase(java.util.Locale.ROOT).contains(hex));
                }
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
