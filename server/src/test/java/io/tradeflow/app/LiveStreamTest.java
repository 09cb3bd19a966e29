package io.tradeflow.app;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.http.ws.LiveSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live stream end to end: a real server, the JDK's WebSocket client, alerts over HTTP. Small
 * limits (replay window 12, client buffer 16, authentication within 3 s) keep the cases short.
 */
class LiveStreamTest {
    private static final LiveSettings SMALL = new LiveSettings(1024, 12, 16, Duration.ofSeconds(3), Duration.ofMinutes(5),
            Duration.ofSeconds(1));

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static ApiClient api;
    private static TestClient alerts;
    private static int users;

    @BeforeAll
    static void start() throws Exception {
        server = TradeFlowServer.start(TestServers.config(dataDir, Map.of(
                "risk.rate-limit.per-window", "100000", "trial.max-trades", "100000")), SMALL);
        api = new ApiClient(server.port());
        alerts = new TestClient(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private record Trader(String token, long accountId, String key) {
    }

    private static Trader trader() {
        String token = api.newUser("live" + (++users) + "@test.local");
        ApiClient.Answer registered = api.post("/register/paper", "{\"label\":\"live\"}", token);
        assertThat(registered.status()).as("%s", registered).isEqualTo(201);
        return new Trader(token, registered.body().path("account").path("id").asLong(),
                registered.body().path("api_key").asText());
    }

    private static WsTestClient connected(Trader t) {
        WsTestClient ws = WsTestClient.account(server.port(), t.accountId()).auth(t.token());
        JsonNode hello = ws.next();
        assertThat(hello.path("type").asText()).as("%s", hello).isEqualTo("connected");
        assertThat(hello.path("account_id").asLong()).isEqualTo(t.accountId());
        return ws;
    }

    private static void alert(Trader t, String body) {
        TestClient.Answer answer = alerts.alert(t.key(), body);
        assertThat(answer.status()).as("%s", answer.raw().body()).isEqualTo(200);
    }

    @Test
    void shouldStreamAFilledAlertAsTheWebhookLogLineOrderPositionPnlAndBalance() {
        Trader t = trader();
        try (WsTestClient ws = connected(t)) {
            TestClient.Answer answer = alerts.alert(t.key(), buy("LIVEUSD", 2, 1.25));
            assertThat(answer.status()).isEqualTo(200);

            List<JsonNode> got = ws.next(5);
            assertThat(got).extracting(m -> m.path("type").asText()).containsExactly(
                    "alert_decided", "order_update", "position_update", "pnl_update", "balance_update");
            assertThat(got).extracting(m -> m.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(got).allSatisfy(m -> assertThat(m.path("account_id").asLong()).isEqualTo(t.accountId()));

            JsonNode line = got.get(0).path("data");
            assertThat(line.path("intent_id").asText()).isEqualTo(answer.body().path("intent_id").asText());
            assertThat(line.path("outcome").asText()).isEqualTo("ACCEPTED");
            assertThat(line.path("http_status").asInt()).isEqualTo(200);
            assertThat(line.path("summary").asText()).isEqualTo("open buy 2.0 LIVEUSD @ 1.25 (market)");

            JsonNode order = got.get(1).path("data");
            assertThat(order.path("id").asText()).isEqualTo(answer.body().path("order_id").asText()).startsWith("ord_");
            assertThat(order.path("status").asText()).isEqualTo("filled");
            assertThat(order.path("side").asText()).isEqualTo("buy");
            assertThat(order.path("symbol").asText()).isEqualTo("LIVEUSD");
            assertThat(order.path("quantity").asDouble()).isEqualTo(2.0);
            assertThat(order.path("fill_price").asDouble()).isPositive();

            JsonNode position = got.get(2).path("data");
            assertThat(position.path("side").asText()).isEqualTo("long");
            assertThat(position.path("quantity").asDouble()).isEqualTo(2.0);

            // The REST order list says the same about the order.
            JsonNode listed = await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/api/orders?account_id=" + t.accountId(), t.token()).body().path("orders"), o -> o.size() == 1);
            assertThat(listed.get(0).path("id").asText()).isEqualTo(order.path("id").asText());
            assertThat(listed.get(0).path("fill_price").asDouble()).isEqualTo(order.path("fill_price").asDouble());
        }
    }

    @Test
    void shouldSendARefusedAlertAsAlertDecidedOnly() {
        Trader t = trader();
        try (WsTestClient ws = connected(t)) {
            alerts.alert(t.key(), buy("LIVEUSD", 5000, 1.25));
            JsonNode refused = ws.next();
            assertThat(refused.path("type").asText()).isEqualTo("alert_decided");
            assertThat(refused.path("data").path("outcome").asText()).isEqualTo("RISK_REJECTED");
            assertThat(refused.path("data").path("order_id").isNull()).isTrue();
            assertThat(refused.path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void shouldDeliverToEveryClientOfTheAccountAndTheUsersStream() {
        Trader t = trader();
        try (WsTestClient first = connected(t); WsTestClient second = connected(t);
             WsTestClient all = WsTestClient.user(server.port()).auth(t.token())) {
            JsonNode hello = all.next();
            assertThat(hello.path("type").asText()).isEqualTo("connected");
            assertThat(hello.path("stream").asText()).isEqualTo("user");
            alert(t, buy("LIVEUSD", 1, 1.5));
            for (WsTestClient ws : List.of(first, second, all)) {
                JsonNode order = ws.next("order_update");
                assertThat(order.path("data").path("status").asText()).isEqualTo("filled");
                assertThat(order.path("account_id").asLong()).isEqualTo(t.accountId());
            }
        }
    }

    @Test
    void shouldRefuseAForeignOrUnknownAccountLikeNotFound() {
        Trader owner = trader();
        Trader stranger = trader();
        try (WsTestClient ws = WsTestClient.account(server.port(), owner.accountId()).auth(stranger.token())) {
            WsTestClient.Closed closed = ws.awaitClosed();
            assertThat(closed.code()).isEqualTo(4404);
            assertThat(closed.reason()).isEqualTo("account not found");
        }
        try (WsTestClient ws = WsTestClient.account(server.port(), 987_654).auth(stranger.token())) {
            assertThat(ws.awaitClosed()).isEqualTo(new WsTestClient.Closed(4404, "account not found"));
        }
    }

    @Test
    void shouldCloseWithoutAValidTokenOrWithoutOneInTime() {
        Trader t = trader();
        try (WsTestClient ws = WsTestClient.account(server.port(), t.accountId()).auth("not-a-token")) {
            WsTestClient.Closed closed = ws.awaitClosed();
            assertThat(closed.code()).isEqualTo(4401);
            assertThat(closed.reason()).contains("invalid or expired");
        }
        try (WsTestClient ws = WsTestClient.account(server.port(), t.accountId()).send("{\"hello\":1}")) {
            assertThat(ws.awaitClosed().code()).isEqualTo(4400);
        }
        try (WsTestClient silent = WsTestClient.account(server.port(), t.accountId())) {
            WsTestClient.Closed closed = silent.awaitClosed();
            assertThat(closed.code()).isEqualTo(4408);
            assertThat(closed.reason()).contains("no token within 3 s");
        }
    }

    @Test
    void shouldAnswerPingsAndRefuseAPlainHttpRequest() throws IOException {
        Trader t = trader();
        try (WsTestClient ws = connected(t)) {
            ws.send("{\"type\":\"ping\"}");
            assertThat(ws.next().path("type").asText()).isEqualTo("pong");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Received plain = http.send(RawHttp.get("/api/unify/v1/ws/accounts/" + t.accountId(), "")).readOneResponse();
            assertThat(plain.status()).isEqualTo(426);
            assertThat(plain.text()).contains("UPGRADE_REQUIRED");
        }
        try (RawHttp http = new RawHttp(server.port())) {
            assertThat(http.send(RawHttp.get("/api/unify/v1/ws/accounts/abc", "")).readOneResponse().status()).isEqualTo(404);
        }
    }

    @Test
    void shouldResumeFromASequenceWithExactlyTheMissedMessages() {
        Trader t = trader();
        long last;
        String epoch;
        try (WsTestClient ws = WsTestClient.account(server.port(), t.accountId()).auth(t.token())) {
            epoch = ws.next().path("epoch").asText();
            alert(t, buy("LIVEUSD", 1, 1.5));
            last = ws.next(5).get(4).path("seq").asLong();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.live().connectedClients() == 0);
        alert(t, buy("LIVEUSD", 1, 1.6));
        alerts.alert(t.key(), buy("LIVEUSD", 5000, 1.6));

        try (WsTestClient ws = WsTestClient.account(server.port(), t.accountId())
                .send("{\"token\":\"" + t.token() + "\",\"since\":" + last + ",\"epoch\":\"" + epoch + "\"}")) {
            JsonNode hello = ws.next();
            assertThat(hello.path("type").asText()).isEqualTo("connected");
            assertThat(hello.path("seq").asLong()).isEqualTo(last + 6);
            List<JsonNode> missed = ws.next(6);
            assertThat(missed).extracting(m -> m.path("seq").asLong())
                    .containsExactly(last + 1, last + 2, last + 3, last + 4, last + 5, last + 6);
            assertThat(missed.get(0).path("data").path("summary").asText()).contains("@ 1.6");
            assertThat(missed.get(5).path("data").path("outcome").asText()).isEqualTo("RISK_REJECTED");
            // Then live again, with the next number: no gap, no repeat.
            alert(t, buy("LIVEUSD", 1, 1.7));
            assertThat(ws.next().path("seq").asLong()).isEqualTo(last + 7);
        }
    }

    @Test
    void shouldTellAClientToReloadWhenItsSequenceIsNoLongerKept() {
        Trader t = trader();
        String epoch;
        try (WsTestClient ws = connected(t)) {
            alert(t, buy("LIVEUSD", 1, 1.5));
            ws.next(5);
        }
        for (int i = 0; i < 3; i++) {
            alert(t, buy("LIVEUSD", 1, 1.5));
        }
        try (WsTestClient ws = WsTestClient.account(server.port(), t.accountId())
                .send("{\"token\":\"" + t.token() + "\",\"since\":2}")) {
            JsonNode hello = ws.next();
            assertThat(hello.path("seq").asLong()).isEqualTo(20);
            epoch = hello.path("epoch").asText();
            JsonNode reload = ws.next();
            assertThat(reload.path("type").asText()).isEqualTo("reload");
            assertThat(reload.path("seq").asLong()).isEqualTo(20);
            alert(t, buy("LIVEUSD", 1, 1.5));
            assertThat(ws.next().path("seq").asLong()).isEqualTo(21);
        }
        try (WsTestClient ws = WsTestClient.account(server.port(), t.accountId())
                .send("{\"token\":\"" + t.token() + "\",\"since\":21,\"epoch\":\"" + epoch + "x\"}")) {
            ws.next();
            assertThat(ws.next().path("reason").asText()).contains("restarted");
        }
    }

    @Test
    void shouldCloseEveryStreamOfAUserWhoIsSuspended() {
        Trader t = trader();
        String adminEmail = "live-admin" + (++users) + "@test.local";
        api.newUser(adminEmail);
        String admin = TwoFactor.admin(server, api, adminEmail);
        try (WsTestClient account = connected(t);
             WsTestClient user = WsTestClient.user(server.port()).auth(t.token())) {
            long userId = user.next().path("user_id").asLong();
            assertThat(api.post("/admin/users/" + userId + "/suspend", null, admin).status()).isEqualTo(200);
            assertThat(account.awaitClosed().code()).isEqualTo(4401);
            assertThat(user.awaitClosed().code()).isEqualTo(4401);
        }
        // And the token no longer opens one.
        try (WsTestClient again = WsTestClient.account(server.port(), t.accountId()).auth(t.token())) {
            assertThat(again.awaitClosed().code()).isEqualTo(4401);
        }
    }

    @Test
    void shouldCloseAStreamWhoseSessionEndedWithAPasswordChange() {
        Trader t = trader();
        try (WsTestClient ws = connected(t)) {
            // Tokens carry their issue time in whole seconds, and a password change ends the sessions issued
            // before its own second (the caller's new token is issued in it): change it in a later second.
            sleepIntoTheNextSecond();
            ApiClient.Answer changed = api.post("/auth/change_password",
                    "{\"old_password\":\"correct horse battery\",\"new_password\":\"another long password\"}", t.token());
            assertThat(changed.status()).as("%s", changed).isEqualTo(200);
            WsTestClient.Closed closed = ws.awaitClosed();
            assertThat(closed.code()).isEqualTo(4401);
            assertThat(closed.reason()).contains("session ended");
        }
    }

    private static void sleepIntoTheNextSecond() {
        try {
            Thread.sleep(1_050 - System.currentTimeMillis() % 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Also: every WebSocket connection is written from the live loop, never from the loop answering webhooks
     * (which is what keeps a thousand stalled clients from delaying an alert's answer; the figure is in bench/).
     */
    @Test
    void shouldDisconnectAClientThatStopsReadingWhileAlertsKeepBeingAnswered() throws Exception {
        Trader t = trader();
        long slowBefore = server.live().slowClientsClosed();
        assertThat(NettyLeakWatcher.paranoid()).as("surefire must run with paranoid leak detection").isTrue();
        try (NettyLeakWatcher watcher = new NettyLeakWatcher(); Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            OutputStream out = stalled.getOutputStream();
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            out.write(("GET /api/unify/v1/ws/accounts/" + t.accountId() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(stalled.getInputStream())).startsWith("HTTP/1.1 101");
            out.write(maskedText("{\"token\":\"" + t.token() + "\"}"));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.live().connectedClients() >= 1);
            // From here on it never reads. A well-behaved client on the same account keeps receiving.
            try (WsTestClient healthy = WsTestClient.account(server.port(), t.accountId()).auth(t.token())) {
                long seq = healthy.next().path("seq").asLong();
                assertWrittenFromTheLiveLoopOnly();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ZERO).until(() -> {
                    for (int i = 0; i < 10; i++) {
                        alert(t, buy("LIVEUSD", 1, 1.5));
                        alert(t, TestClient.close("LIVEUSD", 1, 1.5));
                    }
                    return server.live().slowClientsClosed() > slowBefore;
                });
                alert(t, buy("LIVEUSD", 3, 1.5));
                // Every message the healthy client was sent meanwhile, in order, none missing: the shared frames
                // (one buffer per message, a duplicate per client) reached it intact.
                while (true) {
                    JsonNode m = healthy.next();
                    assertThat(m.path("seq").asLong()).as("%s", m).isEqualTo(++seq);
                    JsonNode order = m.path("data");
                    if (m.path("type").asText().equals("order_update") && order.path("quantity").asDouble() == 3) {
                        assertThat(order.path("status").asText()).isEqualTo("filled");
                        break;
                    }
                }
            }
            // The server closed the stalled connection: reading now reaches its end (or a reset).
            assertThat(readToEnd(stalled.getInputStream())).isTrue();
            // The frames shared between clients, and those queued for the stalled one, were all released.
            assertThat(watcher.leaksAfter(20)).isEmpty();
        }
    }

    /** Each authenticated client's connection is on the live loop (thread tradeflow-live), none on a webhook loop. */
    private static void assertWrittenFromTheLiveLoopOnly() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.live().clientLoops().size() >= 2);
        for (io.netty.channel.EventLoop loop : server.live().clientLoops()) {
            assertThat(server.http().answersWebhooksOn(loop)).isFalse();
            assertThat(loop.submit(() -> Thread.currentThread().getName()).get()).startsWith("tradeflow-live");
        }
    }

    /** The handshake's answer, up to its blank line (a client sends frames only after it). */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static boolean readToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[65536];
        try {
            while (in.read(buffer) >= 0) {
                // drain
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** A client's text frame (clients must mask), for a payload under 126 bytes... or longer. */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
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
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
