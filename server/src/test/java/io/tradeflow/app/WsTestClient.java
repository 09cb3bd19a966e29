package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) of the live stream that keeps every message and the close it got. */
final class WsTestClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The close frame's code and reason, or code -1 when the connection failed without one. */
    record Closed(int code, String reason) {
    }

    private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsTestClient(int port, String path) {
        StringBuilder partial = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        messages.add(JSON.readTree(partial.toString()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(new Closed(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(new Closed(-1, String.valueOf(error)));
            }
        };
        this.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + path), listener).join();
    }

    static WsTestClient account(int port, long accountId) {
        return new WsTestClient(port, "/api/unify/v1/ws/accounts/" + accountId);
    }

    static WsTestClient user(int port) {
        return new WsTestClient(port, "/api/unify/v1/ws");
    }

    WsTestClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    WsTestClient auth(String token) {
        return send("{\"token\":\"" + token + "\"}");
    }

    /** The next message; fails when none arrives within 20 s (a hang, not a timing assertion). */
    JsonNode next() {
        try {
            JsonNode m = messages.poll(20, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message within 20 s");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message of {@code type}, skipping others. */
    JsonNode next(String type) {
        while (true) {
            JsonNode m = next();
            if (m.path("type").asText().equals(type)) {
                return m;
            }
        }
    }

    /** The next {@code n} messages. */
    List<JsonNode> next(int n) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    Closed awaitClosed() {
        return closed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
