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

/** A real HTTP client for the dashboard API of the server under test. */
final class ApiClient {
    static final String BASE = "/api/unify/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String origin;

    ApiClient(int port) {
        this.origin = "http://127.0.0.1:" + port;
    }

    record Answer(int status, JsonNode body, String raw, String contentType, String contentSecurityPolicy) {
        String errorCode() {
            return body.path("error").path("code").asText();
        }

        String errorField() {
            return body.path("error").path("field").asText();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    /** Calls {@code method path} (path under the base path unless it starts with {@code !}) with an optional JSON body and bearer token. */
    Answer call(String method, String path, String jsonBody, String token) {
        String url = origin + (path.startsWith("!") ? path.substring(1) : BASE + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        request.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = contentType.startsWith("application/json") && !response.body().isEmpty()
                    ? JSON.readTree(response.body()) : JSON.nullNode();
            return new Answer(response.statusCode(), body, response.body(), contentType,
                    response.headers().firstValue("Content-Security-Policy").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path, String token) {
        return call("GET", path, null, token);
    }

    Answer post(String path, String body, String token) {
        return call("POST", path, body, token);
    }

    /** Signs up a new user and returns the answer (access and refresh tokens inside). */
    Answer signUp(String email, String password) {
        return post("/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }

    /** Signs up and returns the access token. */
    String newUser(String email) {
        Answer answer = signUp(email, "correct horse battery");
        if (answer.status() != 201) {
            throw new IllegalStateException("signup failed: " + answer);
        }
        return answer.body().path("access_token").asText();
    }
}
