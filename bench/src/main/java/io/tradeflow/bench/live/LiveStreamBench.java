package io.tradeflow.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.bench.JvmFlags;
import io.tradeflow.bench.load.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The live stream's figures, against the real server jar started as a child process (as the load
 * harness does), on a fresh data directory:
 * <ol>
 *   <li>{@code idle}: {@code --idle} (10,000) authenticated WebSocket connections held; the server's
 *       resident memory before and after (after a full GC, {@code jcmd}) gives the memory per connection;</li>
 *   <li>{@code fanout}: {@code --subscribers} (1,000) clients of one account; alerts sent one at a time,
 *       each waiting until every client has its {@code order_update}; the time from sending the alert to
 *       each client's receipt (p50/p99; it includes the HTTP parse and the decision, a few µs, before the
 *       journal append) and the alert's own decision latency ({@code latency_us});</li>
 *   <li>{@code stalled}: alert round trips (p50/p99) with no live client, then with {@code --stalled} (1,000)
 *       clients that complete the handshake and authenticate, then never read.</li>
 * </ol>
 *
 * <pre>
 * ./mvnw -B -q package -pl server,bench -am -DskipTests &amp;&amp; ulimit -n 65536 &amp;&amp; \
 * java -cp bench/target/benchmarks.jar io.tradeflow.bench.live.LiveStreamBench [idle|fanout|stalled|all] \
 *      [--idle 10000] [--subscribers 1000] [--stalled 1000] [--alerts 500]
 * </pre>
 * Results go to standard output and {@code bench/results/live-<time>.md}.
 */
public final class LiveStreamBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/unify/v1";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuilder report = new StringBuilder();
    private int port;
    private ServerProcess server;
    private String token;
    private long accountId;
    private String apiKey;
    private int sent;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 && !args[0].startsWith("--") ? args[0] : "all";
        int idle = intOption(args, "--idle", 10_000);
        int subscribers = intOption(args, "--subscribers", 1_000);
        int stalled = intOption(args, "--stalled", 1_000);
        int alerts = intOption(args, "--alerts", 500);
        new LiveStreamBench().run(mode, idle, subscribers, stalled, alerts);
    }

    private static int intOption(String[] args, String name, int otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return otherwise;
    }

    private void run(String mode, int idle, int subscribers, int stalled, int alerts) throws Exception {
        Path work = Files.createTempDirectory("tradeflow-live-bench");
        String javaCmd = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaCmd, "-Xmx1g"));
        cmd.addAll(JvmFlags.CHRONICLE);
        cmd.addAll(List.of("-Dhttp.max-connections=30000", "-Dhttp.per-ip-limit.per-window=100000000",
                "-Drisk.rate-limit.per-window=1000000", "-Dtrial.max-trades=100000000", "-Dalerts.pyramiding=100",
                "-jar", "server/target/tradeflow.jar", "start", "--config", "bench/bench.conf", "--port", "0",
                "--data", work.resolve("data").toString()));
        line("# Live stream bench (%s)%n", java.time.Instant.now());
        try (ServerProcess s = ServerProcess.start("tradeflow", cmd, Path.of("").toAbsolutePath(), work.resolve("server.log"))) {
            server = s;
            port = s.awaitReady(Duration.ofSeconds(180));
            signUp();
            if (mode.equals("idle") || mode.equals("all")) {
                idle(idle);
            }
            if (mode.equals("fanout") || mode.equals("all")) {
                fanout(subscribers, alerts);
            }
            if (mode.equals("stalled") || mode.equals("all")) {
                stalled(stalled, alerts);
            }
        }
        Path out = Path.of("bench", "results", "live-" + java.time.Instant.now().toString().replace(":", "") + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written: " + out);
    }

    private void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.print(text);
        report.append(text);
    }

    private JsonNode post(String path, String body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return JSON.readTree(http.send(r.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private void signUp() throws IOException, InterruptedException {
        token = post(BASE + "/auth/signup", "{\"email\":\"bench@live.local\",\"password\":\"live bench password\"}", null)
                .path("access_token").asText();
        JsonNode account = post(BASE + "/register/paper", "{\"label\":\"live bench\"}", token);
        apiKey = account.path("api_key").asText();
        accountId = account.path("account").path("id").asLong();
    }

    /** One alert (an entry or its exit, in turn), its HTTP round trip in ns. */
    private long alert() throws IOException, InterruptedException {
        String action = sent++ % 2 == 0 ? "\"open\",\"side\":\"buy\"" : "\"close\",\"side\":\"sell\"";
        String body = "{\"version\":\"unify.v1\",\"intent\":{\"action\":" + action
                + ",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.1}}";
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + BASE + "/webhook"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        long rtt = System.nanoTime() - start;
        if (status != 200) {
            throw new IllegalStateException("alert answered " + status);
        }
        return rtt;
    }

    /** A subscribed client; {@code onMessage} sees each message's type. */
    private WebSocket subscribe(HttpClient client, java.util.function.Consumer<String> onMessage) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    int at = text.indexOf("\"type\":\"");
                    String type = at < 0 ? "" : text.substring(at + 8, text.indexOf('"', at + 8));
                    if (type.equals("connected")) {
                        connected.complete(null);
                    }
                    onMessage.accept(type);
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + BASE + "/ws/accounts/" + accountId), listener).join();
        ws.sendText("{\"token\":\"" + token + "\"}", true).join();
        connected.orTimeout(60, TimeUnit.SECONDS).join();
        return ws;
    }

    private long rssKb() throws IOException, InterruptedException {
        try {
            new ProcessBuilder("jcmd", Long.toString(server.pid()), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException noJcmd) {
            // RSS without a GC first
        }
        Thread.sleep(1000);
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private void idle(int n) throws Exception {
        long before = rssKb();
        HttpClient client = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sockets.add(subscribe(client, type -> { }));
        }
        long after = rssKb();
        line("%n## %,d idle connections%n%nserver RSS %,d KiB before, %,d KiB after: %.1f KiB per connection%n",
                n, before, after, (after - before) / (double) n);
        for (WebSocket ws : sockets) {
            ws.abort();
        }
    }

    private void fanout(int n, int alerts) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Histogram receipt = new ConcurrentHistogram(3);
        AtomicReference<CountDownLatch> pending = new AtomicReference<>(new CountDownLatch(0));
        java.util.concurrent.atomic.AtomicLong sentAt = new java.util.concurrent.atomic.AtomicLong();
        List<WebSocket> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sockets.add(subscribe(client, type -> {
                if (type.equals("order_update")) {
                    receipt.recordValue(Math.max(0, System.nanoTime() - sentAt.get()));
                    pending.get().countDown();
                }
            }));
        }
        Histogram rtt = new Histogram(3);
        for (int i = 0; i < alerts; i++) {
            CountDownLatch all = new CountDownLatch(n);
            pending.set(all);
            sentAt.set(System.nanoTime());
            rtt.recordValue(alert());
            if (!all.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("alert " + i + " did not reach every client");
            }
        }
        line("%n## One alert to %,d clients (%,d alerts)%n%nsend → client receipt: p50 %.0f µs, p99 %.0f µs, max %.0f µs%n"
                        + "alert HTTP round trip: p50 %.0f µs, p99 %.0f µs%n",
                n, alerts, receipt.getValueAtPercentile(50) / 1e3, receipt.getValueAtPercentile(99) / 1e3,
                receipt.getMaxValue() / 1e3, rtt.getValueAtPercentile(50) / 1e3, rtt.getValueAtPercentile(99) / 1e3);
        for (WebSocket ws : sockets) {
            ws.abort();
        }
    }

    private Histogram roundTrips(int alerts) throws IOException, InterruptedException {
        Histogram h = new Histogram(3);
        for (int i = 0; i < alerts; i++) {
            h.recordValue(alert());
        }
        return h;
    }

    private void stalled(int n, int alerts) throws Exception {
        roundTrips(Math.min(alerts, 200)); // warm-up
        Histogram none = roundTrips(alerts);
        List<Socket> stalledSockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            stalledSockets.add(stalledClient());
        }
        Histogram withStalled = roundTrips(alerts);
        long closedSlow = Files.readAllLines(server.log()).stream().filter(l -> l.contains("reads too slowly")).count();
        line("%n## Alert round trip with %,d stalled clients vs none (%,d alerts each)%n%n"
                        + "none: p50 %.0f µs, p99 %.0f µs%nstalled: p50 %.0f µs, p99 %.0f µs (%d stalled clients closed as too slow)%n",
                n, alerts, none.getValueAtPercentile(50) / 1e3, none.getValueAtPercentile(99) / 1e3,
                withStalled.getValueAtPercentile(50) / 1e3, withStalled.getValueAtPercentile(99) / 1e3, closedSlow);
        for (Socket s : stalledSockets) {
            s.close();
        }
    }

    /** Completes the handshake, authenticates, then never reads again. */
    private Socket stalledClient() throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = s.getOutputStream();
        String key = Base64.getEncoder().encodeToString("live-bench-key!!".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET " + BASE + "/ws/accounts/" + accountId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        out.write(masked("{\"token\":\"" + token + "\"}"));
        out.flush();
        return s;
    }

    private static byte[] masked(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : 4;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81;
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >> 8);
            frame[3] = (byte) payload.length;
        }
        byte[] mask = {7, 3, 5, 1};
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
