package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import io.tradeflow.service.notify.WebhookSignature;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications end to end with real receivers: GreenMail takes the emails, a local HTTP server takes
 * the webhooks and checks their HMAC signature the way a receiver would. A refused alert reaches both;
 * a failing receiver is retried with back-off; a repeat is deduplicated; preferences are obeyed; the
 * delivery log and the settings survive a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMAIL = "notified@test.local";
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    @TempDir
    static Path dataDir;

    private static GreenMail smtp;
    private static HttpServer receiver;
    /** Webhook bodies whose signature verified, by path. */
    private static final List<String[]> VERIFIED = new CopyOnWriteArrayList<>();
    private static final List<String> BAD_SIGNATURES = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FLAKY_CALLS = new AtomicInteger();
    private static final Map<String, String> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();

    private static TradeFlowServer server;
    private static ApiClient api;
    private static TestClient alerts;
    private static String token;
    private static String key;
    private static long userId;
    private static long hook;
    private static long flaky;

    @BeforeAll
    static void start() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String header = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
            if (verify(SECRETS.get(path), header, body)) {
                VERIFIED.add(new String[] {path, body});
            } else {
                BAD_SIGNATURES.add(path + " " + header);
            }
            // The flaky receiver fails its first call: the delivery must be retried.
            int status = path.equals("/down") ? 503 : path.equals("/flaky") && FLAKY_CALLS.getAndIncrement() == 0 ? 500 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        server = startServer();
        api = new ApiClient(server.port());
        alerts = new TestClient(server.port());
    }

    private static TradeFlowServer startServer() throws Exception {
        return TestServers.start(dataDir, Map.of("mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", Integer.toString(smtp.getSmtp().getPort()), "mail.smtp.starttls", "false",
                "notifications.allow-private-urls", "true", "notifications.retry-base", "1s",
                "risk.max-quantity", "5", "brokers.ea-heartbeat-timeout", "6s"));
    }

    /** What a receiver does: recompute HMAC-SHA256 over "t.body" with the secret and compare in constant time. */
    private static boolean verify(String secret, String header, String body) {
        if (secret == null || header == null) {
            return false;
        }
        Matcher m = SIGNATURE.matcher(header);
        if (!m.matches()) {
            return false;
        }
        String expected = WebhookSignature.hmacHex(secret, m.group(1) + "." + body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), m.group(2).getBytes(StandardCharsets.US_ASCII))
                && Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(m.group(1))) < 300;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    @Order(1)
    void aUserAddsAWebhookWhoseTestArrivesSigned() throws Exception {
        token = api.signUp(EMAIL, "correct horse battery").body().path("access_token").asText();
        userId = api.get("/auth/me", token).body().path("id").asLong();
        String verification = mailBody("Confirm your TradeFlow email address").replaceAll("(?s).*token=([A-Za-z0-9_-]+).*", "$1");
        assertThat(api.post("/auth/verify_email", "{\"token\":\"" + verification + "\"}", null).status()).isEqualTo(200);

        JsonNode prefs = api.get("/notifications/preferences", token).body();
        assertThat(prefs.path("events")).hasSize(8);
        assertThat(prefs.path("email_verified").asBoolean()).isTrue();
        JsonNode refusal = prefs.path("events").get(1);
        assertThat(refusal.path("event").asText()).isEqualTo("refusal");
        assertThat(refusal.path("email").asBoolean()).isTrue();
        assertThat(refusal.path("webhook").asBoolean()).isTrue();

        hook = addChannel("discord", "/hook");
        ApiClient.Answer test = api.post("/notifications/channels/" + hook + "/test", null, token);
        assertThat(test.status()).as(test.toString()).isEqualTo(200);
        assertThat(test.body().path("delivery").path("status").asText()).isEqualTo("sent");
        assertThat(VERIFIED).anyMatch(v -> v[0].equals("/hook") && v[1].contains("This is a test from TradeFlow"));
        JsonNode payload = JSON.readTree(VERIFIED.get(0)[1]);
        assertThat(payload.path("content").asText()).as("Discord reads content").contains("Test notification");
        assertThat(payload.path("text").asText()).as("Slack reads text").contains("Test notification");
        assertThat(BAD_SIGNATURES).isEmpty();

        ApiClient.Answer email = api.post("/notifications/email/test", null, token);
        assertThat(email.body().path("delivery").path("status").asText()).as(email.toString()).isEqualTo("sent");
        assertThat(mailBody("TradeFlow: Test notification")).contains("receives your notifications");
    }

    @Test
    @Order(2)
    void aRefusedAlertReachesEmailAndWebhook() throws Exception {
        ApiClient.Answer registered = api.post("/register/paper", null, token);
        key = registered.body().path("api_key").asText();
        assertThat(alerts.alert(key, buy("EURUSD", 10, 1.1)).status()).isEqualTo(403);

        String mail = mailBody("TradeFlow: Refused: RISK_REJECTED on EURUSD");
        assertThat(mail).contains("was refused", "RISK_REJECTED");
        await().atMost(Duration.ofSeconds(20)).until(() -> VERIFIED.stream().anyMatch(v -> v[1].contains("\"event\":\"refusal\"")));
        assertThat(BAD_SIGNATURES).isEmpty();

        JsonNode log = api.get("/notifications/deliveries?limit=10", token).body();
        assertThat(log.path("deliveries").findValuesAsText("event")).contains("refusal");
        assertThat(api.get("/notifications/deliveries?status=sent", token).body().path("total").asLong()).isGreaterThanOrEqualTo(4);
    }

    @Test
    @Order(3)
    void aFailingReceiverIsRetriedAndARepeatIsDeduplicated() {
        flaky = addChannel("flaky", "/flaky");
        api.call("PUT", "/notifications/preferences", "{\"preferences\":{\"payment_failed\":{\"webhook\":true,\"email\":false}}}", token);
        // Billing's entry point, twice for the same invoice: one delivery per channel.
        assertThat(server.notifications().paymentFailed(userId, "in_1", "card declined")).isEqualTo(2);
        assertThat(server.notifications().paymentFailed(userId, "in_1", "card declined")).isZero();

        JsonNode delivered = await().atMost(Duration.ofSeconds(30))
                .until(NotificationsEndToEndTest::flakyPayment, d -> d != null && d.path("status").asText().equals("sent"));
        assertThat(delivered.path("attempts").asInt()).as("failed once, then delivered").isEqualTo(2);
        assertThat(FLAKY_CALLS.get()).isEqualTo(2);

        // A test send is one attempt: a receiver that is down shows as failed, with its answer.
        long down = addChannel("down", "/down");
        JsonNode failed = api.post("/notifications/channels/" + down + "/test", null, token).body().path("delivery");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("last_error").asText()).contains("503");
        assertThat(api.call("DELETE", "/notifications/channels/" + down, null, token).status()).isEqualTo(200);
    }

    private static JsonNode flakyPayment() {
        for (JsonNode d : api.get("/notifications/deliveries?limit=50", token).body().path("deliveries")) {
            if (d.path("event").asText().equals("payment_failed") && d.path("channel_id").asLong() == flaky) {
                return d;
            }
        }
        return null;
    }

    @Test
    @Order(4)
    void preferencesTurnAnEventOff() {
        ApiClient.Answer off = api.call("PUT", "/notifications/preferences",
                "{\"preferences\":{\"refusal\":{\"email\":false,\"webhook\":false}}}", token);
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        long refusals = count("refusal");
        assertThat(alerts.alert(key, buy("EURUSD", 10, 1.1)).status()).isEqualTo(403);
        // A fill after it goes through the same queue: once its delivery exists, the refusal was handled.
        assertThat(alerts.alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("fill") > 0);
        assertThat(count("refusal")).isEqualTo(refusals);
    }

    @Test
    @Order(5)
    void aMetaTraderEaThatStopsSendingHeartbeatsIsReported() {
        String license = io.tradeflow.broker.mtx.MtxCredentials.newLicenseToken();
        long account = server.accounts().createBrokerAccount(userId, io.tradeflow.core.event.BrokerKind.MTX, "mt5 live",
                new io.tradeflow.broker.mtx.MtxCredentials(license, ""));
        SimulatedEa ea = new SimulatedEa(server.port(), license, 1.1);
        assertThat(ea.heartbeat().status()).isEqualTo(200);
        // No more heartbeats: after brokers.ea-heartbeat-timeout the watcher sees the EA gone.
        JsonNode lost = await().atMost(Duration.ofSeconds(40)).until(() -> {
            for (JsonNode d : api.get("/notifications/deliveries?limit=50", token).body().path("deliveries")) {
                if (d.path("event").asText().equals("broker_disconnected") && d.path("channel_id").asLong() == hook) {
                    return d;
                }
            }
            return null;
        }, d -> d != null && d.path("status").asText().equals("sent"));
        assertThat(lost.path("title").asText()).contains("#" + account);
        assertThat(VERIFIED).anyMatch(v -> v[1].contains("\"event\":\"broker_disconnected\"") && v[1].contains("heartbeats"));
    }

    @Test
    @Order(6)
    void settingsAndTheLogSurviveARestart() throws Exception {
        long total = api.get("/notifications/deliveries", token).body().path("total").asLong();
        server.close();
        server = startServer();
        api = new ApiClient(server.port());
        token = api.post("/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"correct horse battery\"}", null)
                .body().path("access_token").asText();
        assertThat(api.get("/notifications/deliveries", token).body().path("total").asLong()).isEqualTo(total);
        assertThat(api.get("/notifications/channels", token).body().path("channels")).hasSize(2);
        JsonNode refusal = api.get("/notifications/preferences", token).body().path("events").get(1);
        assertThat(refusal.path("email").asBoolean()).isFalse();
        assertThat(api.post("/notifications/channels/" + hook + "/test", null, token).body().path("delivery").path("status").asText())
                .as("the secret, stored encrypted, still signs").isEqualTo("sent");
        assertThat(BAD_SIGNATURES).isEmpty();
    }

    private static long count(String event) {
        return api.get("/notifications/deliveries?limit=500", token).body().path("deliveries").findValuesAsText("event").stream()
                .filter(event::equals).count();
    }

    private static long addChannel(String label, String path) {
        ApiClient.Answer created = api.post("/notifications/channels", "{\"label\":\"" + label + "\",\"url\":\"http://127.0.0.1:"
                + receiver.getAddress().getPort() + path + "\"}", token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("secret").asText()).startsWith("whsec_");
        SECRETS.put(path, created.body().path("secret").asText());
        return created.body().path("channel").path("id").asLong();
    }

    private static String mailBody(String subject) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getSubject().startsWith(subject) && m.getAllRecipients()[0].toString().equals(EMAIL)) {
                    return m.getContent().toString();
                }
            }
            return null;
        }, b -> b != null);
    }
}
