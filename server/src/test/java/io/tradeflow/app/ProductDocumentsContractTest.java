package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.stub.TradeLockerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The product documents' frontend, walked with their own example bodies as printed there: signup
 * (001's fields, 004's register), broker registration in both flat shapes (000's
 * {email,password,server,mode}, 001's {username,password,server}; topstep for ProjectX) against
 * the broker stubs, 000's webhook example, positions, metrics, the P&amp;L report, trial usage and
 * the webhook templates (each sent back to the webhook as TradingView would), asserting the
 * fields the documents show.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProductDocumentsContractTest {
    /** 000, "Test 1: Registration → API Key". */
    private static final String REGISTER_000 = """
            {
                "email": "test@example.com",
                "password": "demo123",
                "server": "demo.tradelocker.com",
                "mode": "demo"
              }""";
    /** 001, "Test Broker Registration". */
    private static final String REGISTER_001 = """
            {
                "username": "test_user",
                "password": "test_password",
                "server": "demo.tradelocker.com"
              }""";
    /** 001, "Payload format" of /register/{broker}. */
    private static final String REGISTER_001_FORMAT = """
            {
              "username": "user123",
              "password": "secure_password",
              "server": "live.tradelocker.com"
            }""";
    /** 000, "Test 2: Webhook Execution". */
    private static final String WEBHOOK_000 = """
            {
                "version": "unify.v1",
                "intent": {
                  "broker": "tradelocker",
                  "side": "buy",
                  "type": "market",
                  "symbol": "EURUSD",
                  "qty": 1,
                  "sl": { "mode": "price", "value": 1.0850 },
                  "tp": { "mode": "rr", "value": 2.0 }
                }
              }""";
    /** 004, "Register User". */
    private static final String REGISTER_USER_004 = """
            {
                "email": "user@example.com",
                "password": "securepass123",
                "full_name": "John Doe"
              }""";

    @TempDir
    static Path dataDir;

    private static TradeLockerStub tradeLocker;
    private static ProjectXStub projectX;
    private static TradeFlowServer server;
    private static ApiClient api;
    private static TestClient alerts;
    private static String token;
    private static String refreshToken;
    private static long tradeLockerId;
    private static String tradeLockerKey;
    private static long paperId;
    private static String paperKey;

    @BeforeAll
    static void start() throws Exception {
        tradeLocker = new TradeLockerStub();
        projectX = new ProjectXStub();
        tradeLocker.acceptLogin("test@example.com", "demo123", TradeLockerStub.SERVER);
        tradeLocker.acceptLogin("test_user", "test_password", TradeLockerStub.SERVER);
        projectX.acceptLogin("user123", "secure_password");
        server = TestServers.start(dataDir, Map.of(
                "brokers.tradelocker-demo-url", tradeLocker.baseUri() + "/backend-api",
                "brokers.tradelocker-live-url", tradeLocker.baseUri() + "/backend-api",
                "brokers.projectx-url", projectX.baseUri().toString(),
                // The documents send the host name; the operator names the TradeLocker server it stands for.
                "brokers.tradelocker-server", TradeLockerStub.SERVER));
        api = new ApiClient(server.port());
        alerts = new TestClient(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (tradeLocker != null) {
            tradeLocker.close();
        }
        if (projectX != null) {
            projectX.close();
        }
    }

    @Test
    @Order(1)
    void shouldSignUpWithTheIntegrationGuidesFieldsAndKeepTheName() {
        ApiClient.Answer signup = api.post("/auth/signup",
                "{\"email\":\"test@example.com\",\"password\":\"securepass123\",\"name\":\"Test Trader\",\"plan\":\"pro\"}", null);

        assertThat(signup.status()).as("%s", signup).isEqualTo(201);
        assertThat(signup.body().path("success").asBoolean()).isTrue();
        assertThat(signup.body().path("user").path("name").asText()).isEqualTo("Test Trader");
        assertThat(signup.body().path("user").path("plan").asText()).as("everyone starts on the trial").isEqualTo("trial");
        assertThat(signup.body().path("user").path("role").asText()).isEqualTo("user");
        assertThat(signup.body().path("user").path("created_at").asText()).isNotBlank();
        assertThat(signup.body().path("chosen_plan").asText()).isEqualTo("pro");
        assertThat(signup.body().path("checkout_required").asBoolean()).isTrue();
        token = signup.body().path("access_token").asText();
        refreshToken = signup.body().path("refresh_token").asText();
        conforms(signup.body(), "Session");

        JsonNode profile = api.get("/user/profile", token).body();
        conforms(profile, "Profile");
        assertThat(profile.path("name").asText()).isEqualTo("Test Trader");
        assertThat(profile.path("email").asText()).isEqualTo("test@example.com");
        assertThat(profile.path("plan").asText()).isEqualTo("trial");
        assertThat(profile.path("entries_blocked").asBoolean()).isFalse();
        assertThat(profile.path("emergency_stop_since").isNull()).isTrue();
        assertThat(api.get("/auth/me", token).body()).isEqualTo(profile);

        ApiClient.Answer renamed = api.call("PATCH", "/user/profile", "{\"name\":\"Renamed Trader\"}", token);
        assertThat(renamed.status()).as("%s", renamed).isEqualTo(200);
        assertThat(api.get("/user/profile", token).body().path("name").asText()).isEqualTo("Renamed Trader");

        ApiClient.Answer register004 = api.post("/auth/register", REGISTER_USER_004, null);
        assertThat(register004.status()).as("%s", register004).isEqualTo(201);
        assertThat(register004.body().path("user").path("name").asText()).isEqualTo("John Doe");
        assertThat(register004.body().path("checkout_required").asBoolean()).isFalse();
        String other = register004.body().path("access_token").asText();
        assertThat(api.get("/auth/me", other).body().path("full_name").asText()).isEqualTo("John Doe");
    }

    @Test
    @Order(2)
    void shouldStillRefuseFieldsNoDocumentSends() {
        ApiClient.Answer signup = api.post("/auth/signup",
                "{\"email\":\"nick@example.com\",\"password\":\"securepass123\",\"nickname\":\"x\"}", null);
        ApiClient.Answer plan = api.post("/auth/signup",
                "{\"email\":\"plan@example.com\",\"password\":\"securepass123\",\"plan\":\"platinum\"}", null);
        ApiClient.Answer register = api.post("/register/tradelocker",
                "{\"email\":\"a@b.c\",\"password\":\"x\",\"server\":\"demo.tradelocker.com\",\"leverage\":100}", token);
        ApiClient.Answer both = api.post("/register/tradelocker",
                "{\"email\":\"a@b.c\",\"credentials\":{\"email\":\"a@b.c\"}}", token);
        ApiClient.Answer liveLabel = api.post("/register/paper", "{\"label\":\"p\",\"mode\":\"live\"}", token);

        assertThat(signup.status()).isEqualTo(400);
        assertThat(signup.errorField()).isEqualTo("nickname");
        assertThat(plan.status()).isEqualTo(400);
        assertThat(plan.errorField()).isEqualTo("plan");
        assertThat(register.status()).isEqualTo(400);
        assertThat(register.errorField()).isEqualTo("leverage");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.errorField()).isEqualTo("email");
        assertThat(liveLabel.status()).isEqualTo(400);
        assertThat(liveLabel.errorField()).isEqualTo("mode");
        assertThat(signup.body().path("detail").asText()).isEqualTo(signup.body().path("error").path("message").asText());
    }

    @Test
    @Order(3)
    void shouldRegisterEachBrokerFromTheDocumentsFlatBodies() {
        ApiClient.Answer tl000 = api.post("/register/tradelocker", REGISTER_000, token);

        assertThat(tl000.status()).as("%s", tl000).isEqualTo(201);
        JsonNode a = tl000.body();
        assertThat(a.path("success").asBoolean()).isTrue();
        assertThat(a.path("id").asLong()).isPositive().isEqualTo(a.path("accountId").asLong())
                .isEqualTo(a.path("account").path("id").asLong());
        assertThat(a.path("broker").asText()).isEqualTo("tradelocker");
        assertThat(a.path("email").asText()).isEqualTo("test@example.com");
        assertThat(a.path("server").asText()).isEqualTo("demo.tradelocker.com");
        assertThat(a.path("mode").asText()).isEqualTo("demo");
        assertThat(a.path("status").asText()).isEqualTo("active");
        assertThat(a.path("balance").asDouble()).isEqualTo(2024.75);
        assertThat(a.path("equity").isNumber()).isTrue();
        assertThat(a.path("api_key").asText()).startsWith("tf_").isEqualTo(a.path("apiKey").asText());
        assertThat(a.path("message").asText()).isNotBlank();
        assertThat(a.path("credentials_verified").asBoolean()).isTrue();
        conforms(a, "Registration");
        tradeLockerId = a.path("id").asLong();
        tradeLockerKey = a.path("api_key").asText();

        ApiClient.Answer tl001 = api.post("/register/tradelocker", REGISTER_001, token);
        assertThat(tl001.status()).as("%s", tl001).isEqualTo(201);
        assertThat(tl001.body().path("success").asBoolean()).isTrue();
        assertThat(tl001.body().path("apiKey").asText()).startsWith("tf_");
        assertThat(tl001.body().path("accountId").asLong()).isPositive();
        assertThat(tl001.body().path("message").asText()).isEqualTo("broker connected successfully");
        assertThat(tl001.body().path("email").asText()).isEqualTo("test_user");

        ApiClient.Answer topstep = api.post("/register/topstep", REGISTER_001_FORMAT, token);
        assertThat(topstep.status()).as("%s", topstep).isEqualTo(201);
        assertThat(topstep.body().path("broker").asText()).isEqualTo("projectx");
        assertThat(topstep.body().path("status").asText()).isEqualTo("active");
        assertThat(topstep.body().path("balance").asDouble()).isEqualTo(50_000.0);
        assertThat(topstep.body().path("apiKey").asText()).startsWith("tf_");

        // 001's payload with a MetaTrader login (its placeholder "user123" is not one: a login is digits).
        ApiClient.Answer mtx = api.post("/register/mtx", REGISTER_001_FORMAT.replace("user123", "5012345"), token);
        assertThat(mtx.status()).as("%s", mtx).isEqualTo(201);
        assertThat(mtx.body().path("license_token").asText()).isNotBlank();
        assertThat(mtx.body().path("status").asText()).as("no EA yet").isEqualTo("disconnected");
        assertThat(mtx.body().path("apiKey").asText()).startsWith("tf_");

        ApiClient.Answer paper = api.post("/register/paper", "{\"label\":\"paper\",\"mode\":\"demo\"}", token);
        assertThat(paper.status()).as("%s", paper).isEqualTo(201);
        assertThat(paper.body().path("mode").asText()).isEqualTo("demo");
        assertThat(paper.body().path("balance").asDouble()).isEqualTo(paper.body().path("equity").asDouble()).isPositive();
        paperId = paper.body().path("id").asLong();
        paperKey = paper.body().path("apiKey").asText();

        JsonNode listed = api.get("/api/user/brokers", token).body().path("accounts");
        assertThat(listed).hasSize(5);
        for (JsonNode account : listed) {
            assertThat(account.has("status") && account.has("balance") && account.has("equity")).as("%s", account).isTrue();
        }
        JsonNode detail = api.get("/api/accounts/" + tradeLockerId, token).body();
        conforms(detail, "Account");
        assertThat(detail.path("broker").asText()).isEqualTo("tradelocker");
        assertThat(detail.path("balance").asDouble()).isEqualTo(2024.75);
        assertThat(detail.path("status").asText()).isEqualTo("active");
    }

    @Test
    @Order(4)
    void shouldRouteTheDocumentsWebhookAndShowThePositionsArray() {
        TestClient.Answer executed = alerts.postAlert("/api/unify/v1/webhook/tradelocker", WEBHOOK_000, tradeLockerKey,
                "application/json");

        assertThat(executed.status()).as("%s", executed.body()).isEqualTo(200);
        assertThat(executed.body().path("success").asBoolean()).isTrue();
        assertThat(executed.body().path("order_id").asText()).startsWith("ord_");
        assertThat(executed.body().path("message").asText()).isNotBlank();
        // TradeLocker takes a take profit as a price or a distance, not as a multiple of the stop: the connector
        // refuses the order rather than place it without its target, and the webhook log says why.
        String intentId = executed.body().path("intent_id").asText();
        JsonNode refused = await().atMost(Duration.ofSeconds(10)).until(() -> logEntry(intentId),
                e -> e != null && e.path("outcome").asText().equals("BROKER_ERROR"));
        assertThat(refused.path("reason").asText()).contains("takeProfit mode rr");

        // The same alert with a target TradeLocker can express is placed.
        TestClient.Answer placed = alerts.postAlert("/api/unify/v1/webhook/tradelocker",
                WEBHOOK_000.replace("\"mode\": \"rr\", \"value\": 2.0", "\"mode\": \"price\", \"value\": 1.0950")
                        .replace("1.0850 }", "1.0800 }"), tradeLockerKey, "application/json");
        assertThat(placed.status()).as("%s", placed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> tradeLocker.positionQuantity("EURUSD") == 1);

        TestClient.Answer paperEntry = alerts.alert(paperKey, TestClient.buy("EURUSD", 1, 1.0850));
        assertThat(paperEntry.status()).as("%s", paperEntry.body()).isEqualTo(200);
        // A later alert on the same symbol moves its last price: the paper position is 1 lot up 0.0010.
        alerts.alert(paperKey, "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"close_short\",\"symbol\":\"EURUSD\",\"price\":1.0860}}");

        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/positions", token).body().size() == 2);
        JsonNode positions = api.get("/api/positions", token).body();
        assertThat(positions.isArray()).as("000: an array of positions").isTrue();
        for (JsonNode p : positions) {
            conforms(p, "Position");
            assertThat(p.has("current_price") && p.has("pnl") && p.has("symbol") && p.has("quantity") && p.has("side"))
                    .as("%s", p).isTrue();
        }
        JsonNode paper = api.get("/api/positions?account_id=" + paperId, token).body().get(0);
        assertThat(paper.path("broker").asText()).isEqualTo("paper");
        assertThat(paper.path("current_price").asDouble()).isEqualTo(1.0860);
        assertThat(paper.path("pnl").asDouble()).isCloseTo(100.0, within(1e-6));
        JsonNode tl = api.get("/api/positions?account_id=" + tradeLockerId, token).body().get(0);
        assertThat(tl.path("broker").asText()).isEqualTo("tradelocker");
        assertThat(tl.path("quantity").asDouble()).isEqualTo(1.0);

        JsonNode paperAccount = api.get("/api/accounts/" + paperId, token).body();
        assertThat(paperAccount.path("equity").asDouble() - paperAccount.path("balance").asDouble())
                .as("equity = balance + open P&L").isCloseTo(100.0, within(1e-6));
    }

    @Test
    @Order(5)
    void shouldSendEveryTemplateBackThroughTheWebhookAsTradingViewWould() {
        ApiClient.Answer answer = api.get("/api/accounts/" + paperId + "/templates", token);

        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        conforms(answer.body(), "Templates");
        JsonNode templates = answer.body().path("templates");
        assertThat(templates).extracting(t -> t.path("language").asText())
                .containsExactly("unify.v1", "traderspost", "pineconnector");
        assertThat(answer.body().path("webhook_url").asText()).endsWith("/api/unify/v1/webhook?key=<YOUR_API_KEY>");
        String[] symbols = {"GBPUSD", "USDJPY", "AUDUSD"};
        int second = 0;
        for (int i = 0; i < 3; i++) {
            JsonNode template = templates.get(i);
            URI url = URI.create(template.path("webhook_url").asText().replace("<YOUR_API_KEY>", paperKey));
            String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            String contentType = template.path("content_type").asText();
            String[][] steps = {{"entry", "buy", "long", "1.2500"}, {"reverse", "sell", "short", "1.2510"},
                    {"exit", "sell", "flat", "1.2530"}};
            for (String[] step : steps) {
                String message = fill(template.path("messages").path(step[0]).asText(), symbols[i], step[1], step[2],
                        step[3], Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(second++).minusSeconds(60));
                TestClient.Answer sent = alerts.postAlert(path, message, null, contentType);
                assertThat(sent.status()).as("%s %s: %s → %s", template.path("language").asText(), step[0], message,
                        sent.body()).isEqualTo(200);
                assertThat(sent.body().path("success").asBoolean()).isTrue();
            }
            String symbol = symbols[i];
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/positions?account_id=" + paperId, token)
                    .body().findValues("symbol").stream().noneMatch(s -> s.asText().equals(symbol)));
        }

        JsonNode others = api.get("/api/accounts/" + paperId + "/templates", api.newUser("stranger@test.local")).body();
        assertThat(others.path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    }

    private static JsonNode openApi;

    /**
     * Checks an answer against the OpenAPI schema it is documented with: every field it carries is
     * documented (closed schemas), recursively through objects, arrays and references.
     */
    private static void conforms(JsonNode value, String schemaName) {
        if (openApi == null) {
            openApi = api.get("!/openapi.json", null).body();
        }
        conforms(value, openApi.path("components").path("schemas").path(schemaName), schemaName);
    }

    private static void conforms(JsonNode value, JsonNode schema, String where) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            conforms(value, openApi.path("components").path("schemas").path(name), name);
            return;
        }
        assertThat(schema.isMissingNode()).as("schema of %s", where).isFalse();
        if (value.isObject() && schema.has("properties")) {
            for (java.util.Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode property = schema.path("properties").path(field.getKey());
                if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
                    assertThat(property.isMissingNode()).as("%s.%s is not documented", where, field.getKey()).isFalse();
                }
                if (!property.isMissingNode() && !field.getValue().isNull()) {
                    conforms(field.getValue(), property, where + "." + field.getKey());
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                conforms(item, schema.path("items"), where + "[]");
            }
        }
    }

    /** The webhook log's entry of the intent, or null while it is not projected. */
    private static JsonNode logEntry(String intentId) {
        for (JsonNode e : api.get("/api/logs/webhooks", token).body().path("entries")) {
            if (e.path("intent_id").asText().equals(intentId)) {
                return e;
            }
        }
        return null;
    }

    /** TradingView's placeholders, filled as it would fill them. */
    private static String fill(String message, String ticker, String action, String position, String close, Instant now) {
        return message.replace("{{ticker}}", ticker).replace("{{strategy.order.action}}", action)
                .replace("{{strategy.market_position}}", position).replace("{{strategy.order.contracts}}", "1")
                .replace("{{close}}", close).replace("{{timenow}}", now.toString())
                .replace("<YOUR_API_KEY>", paperKey);
    }

    @Test
    @Order(6)
    void shouldReportMetricsPnlAndUsageInTheDocumentsShapes() {
        alerts.alert(paperKey, TestClient.order("close", "sell", "EURUSD", 1, 1.0860));
        // Orders alerts made so far: the placed TradeLocker entry, the paper entry and close (close_short found
        // nothing to close) and three per template language. The order TradeLocker refused is no trade.
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/metrics?time_range=7d", token).body()
                .path("totalTrades").asLong() == 12);

        JsonNode metrics = api.get("/metrics?time_range=7d&broker=all", token).body();
        assertThat(metrics.path("totalTrades").asLong()).isEqualTo(12);
        assertThat(metrics.path("timeRange").asText()).isEqualTo("7d");
        assertThat(metrics.path("totalPnL").isNumber()).isTrue();
        double winRate = metrics.path("winRate").asDouble();
        assertThat(winRate).as("a percentage").isBetween(0.0, 100.0).isGreaterThan(1.0);
        assertThat(api.get("/metrics", token).body().path("timeRange").asText()).as("default").isEqualTo("7d");

        JsonNode pnl = api.get("/reports/pnl", token).body();
        JsonNode total = pnl.path("total");
        assertThat(total.path("profit").asDouble()).isGreaterThanOrEqualTo(100.0 - 1e-6);
        assertThat(total.path("loss").asDouble()).as("a positive amount").isPositive();
        assertThat(total.path("net").asDouble()).isCloseTo(total.path("profit").asDouble() - total.path("loss").asDouble(),
                within(1e-6));
        pnl.path("daily").forEach(d -> conforms(d, "PnlDay"));
        conforms(total, "PnlTotal");
        JsonNode day = pnl.path("daily").get(0);
        assertThat(day.has("date") && day.has("profit") && day.has("loss") && day.has("net")).isTrue();

        for (String path : List.of("/api/billing/usage", "/billing/usage")) {
            JsonNode usage = api.get(path, token).body();
            conforms(usage, "Usage");
            assertThat(usage.path("plan").asText()).isEqualTo("trial");
            int used = usage.path("trades_used").asInt();
            // The router counts a real-broker order when it submits it (the refused one included).
            assertThat(used).as("%s", usage).isBetween(12, 13).isEqualTo(api.get("/user/profile", token).body()
                    .path("trades_count").asInt());
            assertThat(usage.path("trades_limit").asInt()).isEqualTo(100);
            assertThat(usage.path("trades_remaining").asInt()).isEqualTo(100 - used);
            assertThat(usage.path("days_left").asInt()).isEqualTo(3);
            assertThat(Instant.parse(usage.path("expires_at").asText())).isAfter(Instant.now().plus(Duration.ofDays(2)));
            assertThat(usage.path("blocked_reason").isNull()).isTrue();
        }
    }

    @Test
    @Order(7)
    void shouldKeepEachAlertsBodyAndAnswerInTheWebhookLogWithoutTheKey() {
        String body = "{\"version\":\"unify.v1\",\"api_key\":\"" + paperKey + "\",\"intent\":{\"side\":\"buy\","
                + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0870}}";
        TestClient.Answer sent = alerts.postAlert("/api/unify/v1/webhook", body, null, "application/json");
        assertThat(sent.status()).isEqualTo(200);
        String intentId = sent.body().path("intent_id").asText();

        JsonNode entry = await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode e : api.get("/api/logs/webhooks?account_id=" + paperId, token).body().path("entries")) {
                if (e.path("intent_id").asText().equals(intentId) && e.path("body").isTextual()) {
                    return e;
                }
            }
            return null;
        }, e -> e != null);

        conforms(entry, "LogEntry");
        assertThat(entry.path("body").asText()).doesNotContain(paperKey).contains("[REDACTED]").contains("\"symbol\":\"EURUSD\"");
        assertThat(entry.path("payload").asText()).isEqualTo(entry.path("body").asText());
        assertThat(entry.path("body_truncated").asBoolean()).isFalse();
        assertThat(entry.path("response").asText()).contains(sent.body().path("order_id").asText());
    }

    @Test
    @Order(8)
    void shouldRefuseADayOldSignalByDefault() {
        String stale = "{\"version\":\"unify.v1\",\"ts\":\"" + Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS)
                + "\",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.0870}}";

        TestClient.Answer refused = alerts.alert(paperKey, stale);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo("STALE_SIGNAL");
        assertThat(refused.errorField()).isEqualTo("ts");
    }

    @Test
    @Order(9)
    void shouldShowTheEmergencyStopInTheProfileAndUsage() {
        assertThat(api.post("/api/user/emergency_stop", null, token).status()).isEqualTo(200);

        JsonNode profile = api.get("/user/profile", token).body();
        assertThat(profile.path("entries_blocked").asBoolean()).isTrue();
        assertThat(Instant.parse(profile.path("emergency_stop_since").asText())).isBefore(Instant.now().plusSeconds(1))
                .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(api.get("/billing/usage", token).body().path("blocked_reason").asText()).isEqualTo("EMERGENCY_STOP");

        assertThat(api.post("/api/user/emergency_stop/reset", null, token).status()).isEqualTo(200);
        assertThat(api.get("/user/profile", token).body().path("emergency_stop_since").isNull()).isTrue();
        assertThat(api.get("/billing/usage", token).body().path("blocked_reason").isNull()).isTrue();
    }

    @Test
    @Order(10)
    void shouldChangeThePasswordAndEndTheOtherSessions() {
        ApiClient.Answer wrong = api.post("/auth/change_password",
                "{\"old_password\":\"not it at all\",\"new_password\":\"another long password\"}", token);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.errorField()).isEqualTo("old_password");

        ApiClient.Answer changed = api.post("/auth/change_password",
                "{\"old_password\":\"securepass123\",\"new_password\":\"another long password\"}", token);

        assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        assertThat(changed.body().path("access_token").asText()).isNotBlank();
        ApiClient.Answer oldSession = api.post("/auth/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}", null);
        assertThat(oldSession.status()).as("the other session cannot renew").isEqualTo(401);
        ApiClient.Answer oldAccess = api.get("/user/profile", token);
        assertThat(oldAccess.status()).as("nor use its access token").isEqualTo(401);
        assertThat(api.get("/user/profile", changed.body().path("access_token").asText()).status()).isEqualTo(200);
        assertThat(api.post("/auth/login", "{\"email\":\"test@example.com\",\"password\":\"securepass123\"}", null).status())
                .isEqualTo(401);
        assertThat(api.post("/auth/login", "{\"email\":\"test@example.com\",\"password\":\"another long password\"}", null)
                .status()).isEqualTo(200);
        ApiClient.Answer renewed = api.post("/auth/refresh",
                "{\"refresh_token\":\"" + changed.body().path("refresh_token").asText() + "\"}", null);
        assertThat(renewed.status()).as("the new session renews").isEqualTo(200);
    }
}
