package io.tradeflow.broker.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The common part of the broker stubs: a JDK HTTP server on an ephemeral loopback port that
 * records every request and can misbehave on demand (429s, slow answers, a dropped connection
 * after the work is done, going down). Subclasses implement the broker's endpoints.
 */
public abstract class StubHttpServer implements AutoCloseable {
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "broker-stub");
        t.setDaemon(true);
        return t;
    });
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tooManyRequests = new AtomicInteger();
    private volatile long delayMillis;
    private volatile boolean down;

    /** One request as the stub saw it; header names lower-cased. */
    public record RecordedRequest(String method, String path, Map<String, String> headers, JsonNode body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Thrown by a handler to drop the connection without answering, after its work is done. */
    protected static final class DropConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A response to write. */
    protected record Answer(int status, Object body, Map<String, String> headers) {
        public static Answer json(int status, Object body) {
            return new Answer(status, body, Map.of());
        }
    }

    protected StubHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> requests(String method, String path) {
        return requests.stream().filter(r -> r.method.equals(method) && r.path.equals(path)).toList();
    }

    /** The next {@code n} requests are answered 429 with {@code Retry-After: 1}. */
    public void tooManyRequests(int n) {
        tooManyRequests.set(n);
    }

    /** Every answer is delayed (a slow broker). */
    public void delay(long millis) {
        this.delayMillis = millis;
    }

    /** While down, every request gets its connection dropped unanswered, at once. */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    protected abstract Answer route(String method, String path, Map<String, String> headers, JsonNode body,
                                    String query);

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            JsonNode body = readBody(exchange.getRequestBody());
            requests.add(new RecordedRequest(method, path, Map.copyOf(headers), body));
            if (down) {
                return;
            }
            if (tooManyRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.sendResponseHeaders(429, -1);
                return;
            }
            long delay = delayMillis;
            if (delay > 0) {
                TimeUnit.MILLISECONDS.sleep(delay);
            }
            Answer answer;
            try {
                answer = route(method, path, headers, body, exchange.getRequestURI().getQuery());
            } catch (DropConnection drop) {
                return;
            }
            answer.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (answer.body == null) {
                exchange.sendResponseHeaders(answer.status, -1);
                return;
            }
            byte[] bytes = JSON.writeValueAsBytes(answer.body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
