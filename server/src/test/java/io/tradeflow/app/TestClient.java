package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A real HTTP client against the server under test, with JSON parsing of the answers. */
final class TestClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    TestClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String errorCode() {
            return body.path("error").path("code").asText();
        }

        String errorField() {
            return body.path("error").path("field").asText();
        }

        /** The journal index from {@code intent_id} ("int_123" → 123). */
        long journalIndex() {
            return Long.parseLong(body.path("intent_id").asText().substring(4));
        }
    }

    Answer postAlert(String path, String body, String bearerKey, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearerKey != null) {
            request.header("Authorization", "Bearer " + bearerKey);
        }
        return send(request.build());
    }

    /** Posts with an {@code Idempotency-Key} header, the key in the URL as TradingView would send it. */
    Answer postWithIdempotencyKey(String key, String body, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/unify/v1/webhook?key=" + key))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    Answer alert(String key, String body) {
        return postAlert("/api/unify/v1/webhook", body, key, "application/json");
    }

    record Raw(int status, String contentType, String body) {
    }

    Raw getText(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A unify.v1 market order. */
    static String order(String action, String side, String symbol, double qty, double price) {
        return "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"" + action + "\",\"side\":\"" + side
                + "\",\"type\":\"market\",\"symbol\":\"" + symbol + "\",\"qty\":" + qty + ",\"price\":" + price + "}}";
    }

    static String buy(String symbol, double qty, double price) {
        return order("open", "buy", symbol, qty, price);
    }

    static String sell(String symbol, double qty, double price) {
        return order("open", "sell", symbol, qty, price);
    }

    /** Closes {@code qty} of the position (a partial close when less than all of it). */
    static String close(String symbol, double qty, double price) {
        return "{\"version\":\"unify.v1\",\"intent\":{\"action\":\"close\",\"symbol\":\"" + symbol + "\",\"qty\":" + qty
                + ",\"price\":" + price + "}}";
    }
}
