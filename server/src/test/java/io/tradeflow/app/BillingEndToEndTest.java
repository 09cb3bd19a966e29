package io.tradeflow.app;

import io.tradeflow.core.event.BrokerKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.tradeflow.app.TestClient.buy;
import static io.tradeflow.app.TestClient.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plans and Stripe billing end to end: a real server, embedded PostgreSQL, the journal, and a local
 * Stripe stub; webhook events are signed exactly as Stripe signs them.
 */
class BillingEndToEndTest {
    private static final String WEBHOOK_SECRET = "whsec_test_0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private StripeStub stripe;

    @BeforeEach
    void startStripe() throws Exception {
        stripe = new StripeStub();
    }

    @AfterEach
    void stopStripe() {
        stripe.close();
    }

    private Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("trial.max-trades", "1");
        c.put("billing.stripe.secret-key", "sk_test_stub_key");
        c.put("billing.stripe.webhook-secret", WEBHOOK_SECRET);
        c.put("billing.stripe.api-base", stripe.apiBase());
        c.put("billing.grace-period", "3s");
        c.put("billing.plans.starter.price-id", "price_starter");
        c.put("billing.plans.pro.price-id", "price_pro");
        return c;
    }

    private record Hook(int status, String body) {
    }

    private static Hook webhook(int port, String path, String payload, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ApiClient.BASE + path))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).header("Content-Type", "application/json");
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Hook(response.statusCode(), response.body());
    }

    private static Hook signed(int port, String payload) throws Exception {
        return webhook(port, "/billing/webhook", payload, StripeStub.sign(payload, WEBHOOK_SECRET,
                System.currentTimeMillis() / 1000));
    }

    private static String subscriptionEvent(String id, String type, String sub, String customer) {
        return StripeStub.event(id, type, "{\"id\":\"" + sub + "\",\"object\":\"subscription\",\"customer\":\""
                + customer + "\"}");
    }

    private static String invoiceEvent(String id, String type, String sub, String customer) {
        return StripeStub.event(id, type, "{\"id\":\"in_" + id + "\",\"object\":\"invoice\",\"customer\":\"" + customer
                + "\",\"subscription\":\"" + sub + "\"}");
    }

    @Test
    void shouldUpgradeThroughCheckoutGoThroughGraceAndLapseAndKeepThePlanAcrossRestarts() throws Exception {
        long userId;
        String key;
        String token;
        String customer;
        long periodEnd = System.currentTimeMillis() / 1000 + 30 * 86_400;
        try (TradeFlowServer server = TestServers.start(dataDir, config())) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            ApiClient.Answer signup = api.signUp("buyer@test.local", "correct horse battery");
            token = signup.body().path("access_token").asText();
            userId = signup.body().path("user").path("id").asLong();
            long accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            key = server.accounts().issueKey(accountId);

            // The trial allows one trade here: the second entry is refused.
            assertThat(alerts.alert(key, buy("ACME", 1, 100)).status()).isEqualTo(200);
            TestClient.Answer limited = alerts.alert(key, buy("BETA", 1, 100));
            assertThat(limited.status()).isEqualTo(403);
            assertThat(limited.errorCode()).isEqualTo("TRIAL_LIMIT");

            ApiClient.Answer checkout = api.post("/billing/create-checkout-session", "{\"plan\":\"pro\"}", token);
            assertThat(checkout.status()).as(checkout.toString()).isEqualTo(200);
            assertThat(checkout.body().path("url").asText()).startsWith(stripe.apiBase() + "/c/pay/");
            StripeStub.Request session = stripe.requests().stream()
                    .filter(r -> r.path().equals("/v1/checkout/sessions")).findFirst().orElseThrow();
            assertThat(session.form()).containsEntry("client_reference_id", Long.toString(userId))
                    .containsEntry("line_items[0][price]", "price_pro").containsEntry("mode", "subscription");
            assertThat(session.idempotencyKey()).isNotBlank();
            assertThat(session.authorization()).isEqualTo("Bearer sk_test_stub_key");
            customer = session.form().get("customer");
            assertThat(customer).startsWith("cus_");
            assertThat(api.post("/billing/create-checkout-session", "{\"plan\":\"gold\"}", token).errorField())
                    .isEqualTo("plan");

            // Stripe delivers "updated" before "checkout.session.completed": the subscription's own state decides.
            stripe.subscription("sub_1", customer, "active", "price_pro", periodEnd, false);
            assertThat(signed(server.port(), subscriptionEvent("evt_1", "customer.subscription.updated", "sub_1", customer))
                    .status()).isEqualTo(200);
            String completed = StripeStub.event("evt_2", "checkout.session.completed", "{\"id\":\"cs_1\","
                    + "\"object\":\"checkout.session\",\"client_reference_id\":\"" + userId + "\",\"customer\":\"" + customer
                    + "\",\"subscription\":\"sub_1\"}");
            assertThat(signed(server.port(), completed).status()).isEqualTo(200);
            assertThat(api.get("/api/billing/status", token).body().path("plan").asText()).isEqualTo("pro");
            assertThat(alerts.alert(key, buy("BETA", 1, 100)).status()).isEqualTo(200);

            // The same event again changes nothing.
            Hook again = signed(server.port(), completed);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body()).contains("\"duplicate\"");

            // A forged or a stale signature changes nothing, even for an event that would cancel.
            stripe.subscription("sub_1", customer, "canceled", "price_pro", periodEnd, false);
            String cancel = subscriptionEvent("evt_3", "customer.subscription.deleted", "sub_1", customer);
            Hook forged = webhook(server.port(), "/api/billing/webhook", cancel,
                    StripeStub.sign(cancel, "whsec_wrong", System.currentTimeMillis() / 1000));
            assertThat(forged.status()).isEqualTo(400);
            assertThat(forged.body()).contains("INVALID_SIGNATURE");
            Hook stale = webhook(server.port(), "/api/billing/webhook", cancel,
                    StripeStub.sign(cancel, WEBHOOK_SECRET, System.currentTimeMillis() / 1000 - 400));
            assertThat(stale.status()).isEqualTo(400);
            assertThat(webhook(server.port(), "/api/billing/webhook", cancel, null).status()).isEqualTo(400);
            assertThat(api.get("/api/billing/status", token).body().path("status").asText()).isEqualTo("active");
            assertThat(alerts.alert(key, buy("GAMMA", 1, 100)).status()).isEqualTo(200);

            // A failed payment: grace (routing continues), then lapsed (entries refused, exits accepted).
            stripe.subscription("sub_1", customer, "past_due", "price_pro", periodEnd, false);
            assertThat(signed(server.port(), invoiceEvent("evt_4", "invoice.payment_failed", "sub_1", customer)).status())
                    .isEqualTo(200);
            ApiClient.Answer grace = api.get("/billing/status", token);
            assertThat(grace.body().path("status").asText()).isIn("grace", "lapsed");
            assertThat(grace.body().path("grace_ends_at").isNull()).isFalse();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(alerts.alert(key, buy("DELTA", 1, 100)).errorCode()).isEqualTo("PLAN_LAPSED"));
            assertThat(alerts.alert(key, close("ACME", 1, 100)).status()).isEqualTo(200);
            assertThat(api.get("/api/billing/status", token).body().path("status").asText()).isEqualTo("lapsed");

            // Paid: accepted again.
            stripe.subscription("sub_1", customer, "active", "price_pro", periodEnd, false);
            assertThat(signed(server.port(), invoiceEvent("evt_5", "invoice.paid", "sub_1", customer)).status())
                    .isEqualTo(200);
            assertThat(alerts.alert(key, buy("EPSILON", 1, 100)).status()).isEqualTo(200);
            assertThat(api.get("/api/billing/status", token).body().path("status").asText()).isEqualTo("active");
        }

        // A restart whose database forgot the plan: the journal's PLAN_CHANGED still makes the user pro.
        try (TradeFlowServer server = TestServers.start(dataDir, config())) {
            server.database().jdbi().useHandle(h -> h.execute(
                    "update users set plan = 'trial', plan_lapsed = false, grace_ends_at = null where id = ?", userId));
        }
        try (TradeFlowServer server = TestServers.start(dataDir, config())) {
            TestClient alerts = new TestClient(server.port());
            assertThat(alerts.alert(key, buy("ZETA", 1, 100)).status()).isEqualTo(200);
            ApiClient api = new ApiClient(server.port());
            String fresh = api.post("/auth/login", "{\"email\":\"buyer@test.local\",\"password\":\"correct horse battery\"}",
                    null).body().path("access_token").asText();
            assertThat(fresh).isNotBlank();
            // The redelivered event is still known after the restart.
            String completedAgain = StripeStub.event("evt_2", "checkout.session.completed", "{\"id\":\"cs_1\"}");
            assertThat(signed(server.port(), completedAgain).body()).contains("\"duplicate\"");
        }
    }

    @Test
    void shouldSuspendThroughTheRingAndAnswer503WithoutStripeKeys() throws Exception {
        Map<String, String> noKeys = new HashMap<>(config());
        noKeys.remove("billing.stripe.secret-key");
        noKeys.remove("billing.stripe.webhook-secret");
        noKeys.put("billing.plans.trial.broker-accounts", "1");
        try (TradeFlowServer server = TestServers.start(dataDir, noKeys)) {
            ApiClient api = new ApiClient(server.port());
            TestClient alerts = new TestClient(server.port());
            ApiClient.Answer signup = api.signUp("member@test.local", "correct horse battery");
            String token = signup.body().path("access_token").asText();
            long userId = signup.body().path("user").path("id").asLong();
            api.newUser("boss@test.local");
            // Admin routes need a two-factor session (issue 16's 2FA): TwoFactor.admin enrols and signs in with it.
            String adminToken = TwoFactor.admin(server, api, "boss@test.local");
            long accountId = server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
            String key = server.accounts().issueKey(accountId);

            ApiClient.Answer checkout = api.post("/billing/create-checkout-session", "{\"plan\":\"pro\"}", token);
            assertThat(checkout.status()).isEqualTo(503);
            assertThat(checkout.errorCode()).isEqualTo("BILLING_NOT_CONFIGURED");
            assertThat(checkout.body().path("error").path("message").asText()).contains("billing.stripe.secret-key");
            assertThat(api.get("/api/billing/status", token).body().path("configured").asBoolean()).isFalse();

            // The trial allows one broker account here.
            ApiClient.Answer second = api.post("/register/paper", "{\"label\":\"second\"}", token);
            assertThat(second.status()).as(second.toString()).isEqualTo(403);
            assertThat(second.errorCode()).isEqualTo("PLAN_LIMIT");

            // Admin: a plan by hand (audited), then suspension through the ring.
            ApiClient.Answer plan = api.post("/admin/users/" + userId + "/plan", "{\"plan\":\"elite\",\"reason\":\"partner\"}",
                    adminToken);
            assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
            assertThat(api.get("/api/billing/status", token).body().path("plan").asText()).isEqualTo("elite");
            assertThat(api.post("/register/paper", "{\"label\":\"second\"}", token).status()).isEqualTo(201);
            assertThat(alerts.alert(key, buy("ACME", 1, 100)).status()).isEqualTo(200);
            assertThat(alerts.alert(key, buy("BETA", 1, 100)).status()).isEqualTo(200);
            assertThat(api.post("/admin/users/" + userId + "/suspend", null, adminToken).status()).isEqualTo(200);
            assertThat(alerts.alert(key, buy("GAMMA", 1, 100)).errorCode()).isEqualTo("USER_SUSPENDED");
            assertThat(api.get("/api/billing/status", token).status()).isEqualTo(401);
            assertThat(api.post("/auth/login", "{\"email\":\"member@test.local\",\"password\":\"correct horse battery\"}",
                    null).errorCode()).isEqualTo("USER_SUSPENDED");
            assertThat(api.post("/admin/users/" + userId + "/reactivate", null, adminToken).status()).isEqualTo(200);
            assertThat(alerts.alert(key, buy("GAMMA", 1, 100)).status()).isEqualTo(200);
            Integer audited = server.database().jdbi().withHandle(h -> h.createQuery(
                    "select count(*) from admin_audit where target_user_id = :u").bind("u", userId).mapTo(Integer.class).one());
            assertThat(audited).isEqualTo(3);
            assertThat(api.get("/admin/stats", adminToken).body().path("revenue").has("mrr")).isTrue();
        }
    }
}
