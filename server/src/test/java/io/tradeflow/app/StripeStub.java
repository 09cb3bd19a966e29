package io.tradeflow.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server speaking the part of Stripe's API that billing uses, as Stripe documents it:
 * form-encoded {@code POST /v1/customers}, {@code /v1/checkout/sessions}, {@code /v1/billing_portal/sessions}
 * and {@code GET /v1/subscriptions/{id}}. Tests set each subscription's state; every request is recorded.
 */
final class StripeStub implements AutoCloseable {
    /** A request as received: method, path, form fields, Idempotency-Key and Authorization headers. */
    record Request(String method, String path, Map<String, String> form, String idempotencyKey, String authorization) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    StripeStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return requests;
    }

    /** Sets what {@code GET /v1/subscriptions/{id}} answers. */
    void subscription(String id, String customer, String status, String priceId, long periodEnd, boolean cancelAtPeriodEnd) {
        subscriptions.put(id, "{\"id\":\"" + id + "\",\"object\":\"subscription\",\"customer\":\"" + customer + "\","
                + "\"status\":\"" + status + "\",\"cancel_at_period_end\":" + cancelAtPeriodEnd + ",\"metadata\":{},"
                + "\"items\":{\"object\":\"list\",\"has_more\":false,\"data\":[{\"id\":\"si_" + id + "\","
                + "\"object\":\"subscription_item\",\"current_period_end\":" + periodEnd + ","
                + "\"price\":{\"id\":\"" + priceId + "\",\"object\":\"price\"}}]}}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), path, form(body),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("Authorization")));
        int n = ids.incrementAndGet();
        String answer;
        int status = 200;
        if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/customers")) {
            answer = "{\"id\":\"cus_" + n + "\",\"object\":\"customer\"}";
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/checkout/sessions")) {
            answer = "{\"id\":\"cs_test_" + n + "\",\"object\":\"checkout.session\",\"mode\":\"subscription\","
                    + "\"url\":\"" + apiBase() + "/c/pay/cs_test_" + n + "\"}";
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/billing_portal/sessions")) {
            answer = "{\"id\":\"bps_" + n + "\",\"object\":\"billing_portal.session\","
                    + "\"url\":\"" + apiBase() + "/p/session/test_" + n + "\"}";
        } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/v1/subscriptions/")
                && subscriptions.containsKey(path.substring("/v1/subscriptions/".length()))) {
            answer = subscriptions.get(path.substring("/v1/subscriptions/".length()));
        } else if (exchange.getRequestMethod().equals("GET") && (path.startsWith("/c/pay/") || path.startsWith("/p/session/"))) {
            // The hosted page the browser is sent to (Stripe's own, in production).
            byte[] page = "<!doctype html><title>Stripe stub</title><h1>Stripe stub page</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
            return;
        } else {
            status = 404;
            answer = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"No such resource: " + path + "\"}}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_" + n);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new ConcurrentHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    /** An event body as Stripe sends it. */
    static String event(String id, String type, String object) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":"
                + System.currentTimeMillis() / 1000 + ",\"livemode\":false,\"pending_webhooks\":1,\"type\":\"" + type
                + "\",\"data\":{\"object\":" + object + "}}";
    }

    /** The Stripe-Signature header exactly as Stripe makes it: {@code t=<ts>,v1=<hex HMAC-SHA256 of "t.payload">}. */
    static String sign(String payload, String secret, long timestampSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestampSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
