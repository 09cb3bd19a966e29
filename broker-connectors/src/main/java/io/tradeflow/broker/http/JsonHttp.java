package io.tradeflow.broker.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerException.Kind;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * JSON over the JDK's asynchronous {@link HttpClient}: builds requests with a per-account timeout,
 * parses answers to trees and turns transport failures and HTTP statuses into
 * {@link BrokerException} kinds. A refused connection is {@code UNAVAILABLE} (nothing was sent);
 * any other I/O failure after sending is {@code TIMEOUT}, and a 5xx or an unreadable body is
 * {@code BAD_ANSWER}, because in both cases the broker may have acted.
 */
public final class JsonHttp {
    private final HttpClient client;
    private final ObjectMapper mapper;
    private final String brokerName;

    public JsonHttp(HttpClient client, ObjectMapper mapper, String brokerName) {
        this.client = client;
        this.mapper = mapper;
        this.brokerName = brokerName;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public HttpRequest.Builder request(URI uri, String method, Object body, Duration timeout) {
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else {
            try {
                publisher = HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot encode request body", e);
            }
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).method(method, publisher)
                .header("Accept", "application/json");
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder;
    }

    /** Sends and maps the answer; 2xx and 4xx other than 401/429 complete normally with the parsed body. */
    public CompletableFuture<JsonResponse> send(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw transportFailure(request, unwrap(failure));
                    }
                    return toJson(request, response);
                });
    }

    private BrokerException transportFailure(HttpRequest request, Throwable cause) {
        String where = brokerName + " " + request.method() + " " + request.uri().getPath();
        if (cause instanceof HttpTimeoutException) {
            return new BrokerException(Kind.TIMEOUT, where + ": no answer within " + request.timeout().orElse(null), cause);
        }
        if (cause instanceof ConnectException) {
            return new BrokerException(Kind.UNAVAILABLE, where + ": cannot connect", cause);
        }
        if (cause instanceof IOException) {
            return new BrokerException(Kind.TIMEOUT, where + ": connection lost before the answer (" + cause.getMessage() + ")", cause);
        }
        return new BrokerException(Kind.UNAVAILABLE, where + ": " + cause, cause);
    }

    private JsonResponse toJson(HttpRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String where = brokerName + " " + request.method() + " " + request.uri().getPath();
        if (status == 401) {
            throw new BrokerException(Kind.AUTH, where + ": unauthorized (401)");
        }
        if (status == 429) {
            long retryAfter = response.headers().firstValue("Retry-After").map(JsonHttp::seconds).orElse(0L) * 1_000;
            throw new BrokerException(Kind.RATE_LIMITED, where + ": rate limited (429)", retryAfter, null);
        }
        if (status >= 500) {
            // A gateway error may come after the broker acted: for a write it proves nothing.
            throw new BrokerException(Kind.BAD_ANSWER, where + ": broker error " + status);
        }
        JsonNode body;
        try {
            String text = response.body();
            body = text == null || text.isBlank() ? MissingNode.getInstance() : mapper.readTree(text);
        } catch (IOException e) {
            throw new BrokerException(Kind.BAD_ANSWER, where + ": answer is not JSON (status " + status + ")", e);
        }
        return new JsonResponse(status, body);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static long seconds(String value) {
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
