package io.tradeflow.app;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

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

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
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
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watcher.leaks()).isEmpty());
        }
    }

    @Test
    void shouldDetectALeakedBufferSoTheLeakCheckCanFail() {
        try (NettyLeakWatcher watcher = new NettyLeakWatcher()) {
            leakOneBuffer();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(watcher.leaks()).isNotEmpty());
        }
    }

    /** Allocated and dropped without release: the leak the detector must report. */
    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(42);
    }

    private static void assertAnsweredBelow500OrClosed(byte[] request) throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            try {
                http.send(request);
            } catch (IOException closedWhileSending) {
                return;   // the server refused and closed before reading it all
            }
            RawHttp.Received answer;
            try {
                answer = http.readOneResponse();
            } catch (SocketTimeoutException hang) {
                fail("no answer and no close within 15 s for " + show(request));
                return;
            } catch (IOException reset) {
                return;
            }
            assertThat(answer.status()).as(show(request)).isLessThan(500);
            if (answer.status() == 0) {
                assertThat(answer.closed()).as(show(request)).isTrue();
            }
        }
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
