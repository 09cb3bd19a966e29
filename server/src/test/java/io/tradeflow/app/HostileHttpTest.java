package io.tradeflow.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tradeflow.core.event.BrokerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Raw hostile HTTP over sockets against the real server: broken request lines and headers, bad
 * chunking, conflicting lengths, huge numbers, deep nesting, invalid UTF-8, and random mutations
 * of valid requests. Each must be answered with a status below 500 or have its connection closed,
 * within the request deadline (no hang: truncated requests are cut by it), the server must stay healthy, and Netty's paranoid leak
 * detector must report no unreleased buffer.
 */
class HostileHttpTest {
    private static final String WEBHOOK = "/api/unify/v1/webhook";
    private static final int RANDOM_REQUESTS = 200;
    /** Rounds of GC and allocation the leak check runs; the companion test shows they find a leak. */
    private static final int LEAK_ROUNDS = 10;
    private static final String ROUTER_LOGGER = "io.tradeflow.http.RequestRouter";
    /** What {@code RequestRouter.exceptionCaught} logs before it closes a connection. */
    private static final String CLOSING_AFTER_ERROR = "closing connection after error: ";

    /** The request router's DEBUG lines: why the server closed a connection without an answer. */
    private static final ListAppender<ILoggingEvent> ROUTER_LOG = new ListAppender<>();
    private static Level routerLevel;

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        Logger router = (Logger) LoggerFactory.getLogger(ROUTER_LOGGER);
        routerLevel = router.getLevel();
        router.setLevel(Level.DEBUG);
        ROUTER_LOG.start();
        router.addAppender(ROUTER_LOG);
        server = TestServers.start(dataDir, Map.of(
                // Short, so the many truncated requests are cut quickly.
                "http.request-timeout", "250ms",
                "http.max-body-size", "16KiB",
                "risk.rate-limit.per-window", "1000000",
                "trial.max-trades", "1000000"));
        long userId = server.accounts().createUser("hostile@test.local", true, Instant.now());
        key = server.accounts().issueKey(server.accounts().createAccount(userId, BrokerKind.PAPER, "paper"));
    }

    @AfterAll
    static void stop() {
        server.close();
        Logger router = (Logger) LoggerFactory.getLogger(ROUTER_LOGGER);
        router.detachAppender(ROUTER_LOG);
        router.setLevel(routerLevel);
    }

    @Test
    void shouldSurviveHostileRequestsWithoutA5xxAHangOrALeak() throws Exception {
        assertThat(NettyLeakWatcher.paranoid()).as("surefire must run with paranoid leak detection").isTrue();
        try (NettyLeakWatcher watcher = new NettyLeakWatcher()) {
            for (byte[] request : hostileRequests()) {
                assertAnsweredBelow500OrClosed(request);
            }
            Random random = new Random(6);
            List<byte[]> seeds = validRequests();
            for (int i = 0; i < RANDOM_REQUESTS; i++) {
                assertAnsweredBelow500OrClosed(mutate(seeds.get(random.nextInt(seeds.size())), random));
            }
            assertThat(new TestClient(server.port()).get("/health").status()).isEqualTo(200);
            assertThat(watcher.leaksAfter(LEAK_ROUNDS)).isEmpty();
        }
        assertThat(closesAfterAnError()).as("connections the server closed because its own code failed").isEmpty();
    }

    /** The companion: the very procedure the test above runs finds one deliberately leaked buffer. */
    @Test
    void shouldDetectALeakedBufferSoTheLeakCheckCanFail() throws InterruptedException {
        try (NettyLeakWatcher watcher = new NettyLeakWatcher()) {
            leakOneBuffer();
            assertThat(watcher.leaksAfter(LEAK_ROUNDS)).isNotEmpty();
        }
    }

    /** The reset check's classifier: a client's reset or broken pipe is routine; an exception of the server's code is not. */
    @Test
    void shouldTellAServerFailureFromARoutineConnectionError() {
        assertThat(isRoutineConnectionError("java.net.SocketException: Connection reset")).isTrue();
        assertThat(isRoutineConnectionError("io.netty.channel.unix.Errors$NativeIoException: recvAddress(..) failed:"
                + " Connection reset by peer")).isTrue();
        assertThat(isRoutineConnectionError("java.io.IOException: Broken pipe")).isTrue();
        assertThat(isRoutineConnectionError("io.netty.handler.codec.PrematureChannelClosureException: Channel closed"
                + " while still aggregating message")).isTrue();
        assertThat(isRoutineConnectionError("java.lang.NullPointerException: Cannot invoke \"x\"")).isFalse();
        assertThat(isRoutineConnectionError("java.lang.IllegalStateException: boom")).isFalse();
    }

    /** Allocated and dropped without release: the leak the detector must report. */
    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(42);
    }

    /**
     * Answered below 500, or closed by the server. A close or reset without an answer passes only
     * if the server did not close it because its own code failed: every connection the server
     * drops on an exception is logged by {@code RequestRouter.exceptionCaught}, and only routine
     * I/O errors (a reset from this client) may show there.
     */
    private static void assertAnsweredBelow500OrClosed(byte[] request) throws IOException {
        int logged = routerLogSize();
        try (RawHttp http = new RawHttp(server.port())) {
            try {
                http.send(request);
            } catch (IOException closedWhileSending) {
                assertNoServerFailureSince(logged, request);
                return;   // the server refused and closed before reading it all
            }
            RawHttp.Received answer;
            try {
                answer = http.readOneResponse();
            } catch (SocketTimeoutException hang) {
                fail("no answer and no close within 15 s for " + show(request));
                return;
            } catch (IOException reset) {
                assertNoServerFailureSince(logged, request);
                return;
            }
            assertThat(answer.status()).as(show(request)).isLessThan(500);
            if (answer.status() == 0) {
                assertThat(answer.closed()).as(show(request)).isTrue();
                assertNoServerFailureSince(logged, request);
            }
        }
    }

    private static int routerLogSize() {
        synchronized (ROUTER_LOG.list) {
            return ROUTER_LOG.list.size();
        }
    }

    private static void assertNoServerFailureSince(int logged, byte[] request) {
        List<String> failures;
        synchronized (ROUTER_LOG.list) {
            failures = ROUTER_LOG.list.subList(logged, ROUTER_LOG.list.size()).stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith(CLOSING_AFTER_ERROR))
                    .filter(m -> !isRoutineConnectionError(m.substring(CLOSING_AFTER_ERROR.length())))
                    .toList();
        }
        assertThat(failures).as("the server closed the connection after its own failure on %s", show(request)).isEmpty();
    }

    /** Every close-after-error of the whole run that was not a routine I/O error. */
    private static List<String> closesAfterAnError() {
        synchronized (ROUTER_LOG.list) {
            return ROUTER_LOG.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.startsWith(CLOSING_AFTER_ERROR))
                    .filter(m -> !isRoutineConnectionError(m.substring(CLOSING_AFTER_ERROR.length())))
                    .toList();
        }
    }

    /**
     * An I/O error of the connection itself (a reset, a broken pipe, the channel closed in the
     * middle of a request by the client or the request deadline), not an exception of the server's code.
     */
    static boolean isRoutineConnectionError(String cause) {
        return cause.startsWith("java.io.IOException") || cause.startsWith("java.net.SocketException")
                || cause.startsWith("io.netty.channel.unix.Errors$NativeIoException")
                || cause.startsWith("io.netty.handler.codec.PrematureChannelClosureException");
    }

    private static List<byte[]> hostileRequests() {
        String alert = "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.1}}";
        String auth = "Authorization: Bearer " + key + "\r\n";
        List<byte[]> requests = new ArrayList<>();
        for (String text : List.of(
                "GARBAGE\r\n\r\n",
                "GET\r\n\r\n",
                "GET / HTTP/9.9\r\n\r\n",
                "GET /health HTTP/1.1 extra\r\n\r\n",
                " / HTTP/1.1\r\n\r\n",
                "\r\n\r\n\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n",
                "GET /health HTTP/1.1\r\nHo st: x\r\n\r\n",
                "GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /health%00 HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST " + WEBHOOK + "?key=%ZZ%00 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + WEBHOOK + "?key=&key=&key HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + "k".repeat(3000) + "\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 7\r\n\r\n{}",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=\"x\r\n{}\r\n0\r\n\r\n",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}\r\n",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                "POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{\"intent\":",
                "POST " + WEBHOOK + "/../../admin HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + WEBHOOK + "/paper/extra HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "DELETE " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n",
                "CONNECT localhost:22 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
            requests.add(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        for (String body : List.of(
                "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":" + "9".repeat(10_000) + "}}",
                "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1e999999999}}",
                "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":\"-0x1p1023\"}}",
                "[".repeat(15_000),
                "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000),
                alert + alert,
                "")) {
            requests.add(RawHttp.post(WEBHOOK, auth, body).getBytes(StandardCharsets.UTF_8));
        }
        byte[][] invalidUtf8 = {{(byte) 0xC3, 0x28}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        for (byte[] bad : invalidUtf8) {
            byte[] body = concat(alert.substring(0, 40).getBytes(StandardCharsets.UTF_8), bad,
                    alert.substring(40).getBytes(StandardCharsets.UTF_8));
            requests.add(concat(("POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: text/plain\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body));
            requests.add(concat("GET /health".getBytes(StandardCharsets.ISO_8859_1), bad, " HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                    StandardCharsets.ISO_8859_1)));
            requests.add(concat("GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: ".getBytes(StandardCharsets.ISO_8859_1), bad,
                    "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        }
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            byte[] noise = new byte[1 + random.nextInt(2048)];
            random.nextBytes(noise);
            requests.add(noise);
        }
        return requests;
    }

    private static List<byte[]> validRequests() {
        String alert = "{\"version\":\"unify.v1\",\"id\":\"fz\",\"intent\":{\"action\":\"open\",\"side\":\"buy\",\"type\":\"market\","
                + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.1,\"sl\":{\"mode\":\"pips\",\"value\":10}}}";
        return List.of(
                RawHttp.post(WEBHOOK, "Authorization: Bearer " + key + "\r\nConnection: close\r\n", alert).getBytes(StandardCharsets.UTF_8),
                RawHttp.post(WEBHOOK + "/paper?key=" + key, "Connection: close\r\n", alert).getBytes(StandardCharsets.UTF_8),
                ("POST " + WEBHOOK + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + Integer.toHexString(alert.length()) + "\r\n" + alert + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                RawHttp.get("/ready", "Connection: close\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) "\r\n:{}\"\\0 ;".charAt(random.nextInt(10));
                default -> out = java.util.Arrays.copyOf(out, Math.max(1, at));
            }
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static String show(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        return "request " + text.replace("\r", "\\r").replace("\n", "\\n") + (request.length > 200 ? "…" : "");
    }
}
