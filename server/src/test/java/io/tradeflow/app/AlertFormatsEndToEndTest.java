package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.event.BrokerKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three alert languages, idempotency keys and symbol maps over HTTP against a real server (Netty on an
 * ephemeral port, the ring, the journal, embedded PostgreSQL), including a restart.
 */
class AlertFormatsEndToEndTest {
    private static final Map<String, String> CONFIG = Map.of(
            "alerts.pyramiding", "1",
            "alerts.symbol-map", "NQ1!=MNQ,OANDA:XAUUSD=XAUUSD",
            "alerts.max-signal-age", "30s");

    @TempDir
    Path dataDir;

    private record Account(long accountId, String key) {
    }

    private static Account newAccount(TradeFlowServer server, String email) {
        AccountService accounts = server.accounts();
        long userId = accounts.createUser(email, false, Instant.now());
        long accountId = accounts.createAccount(userId, BrokerKind.PAPER, "paper");
        return new Account(accountId, accounts.issueKey(accountId));
    }

    @Test
    void shouldRouteEachFormatAsTradingViewSendsItAndKeepIdempotencyKeysAcrossARestart() throws Exception {
        String key;
        long firstOrder;
        String tradersPost = "{\"ticker\":\"OANDA:XAUUSD\",\"action\":\"buy\",\"sentiment\":\"bullish\",\"quantity\":\"2\","
                + "\"price\":\"2650.5\",\"time\":\"" + Instant.now() + "\"}\n";
        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            TestClient client = new TestClient(server.port());
            Account a = newAccount(server, "formats@test.local");
            key = a.key();

            // PineConnector text, key as the first field, text/plain with a trailing newline.
            TestClient.Answer pine = client.postAlert("/api/unify/v1/webhook", key + ",buy,NQ1!,risk=1,price=21000\n", null,
                    "text/plain");
            assertThat(pine.status()).as(pine.body().toString()).isEqualTo(200);
            assertThat(pine.body().path("symbol").asText()).isEqualTo("MNQ");
            assertThat(pine.body().path("fill_price").asDouble()).isEqualTo(21000.0);

            // TradersPost JSON sent as text/plain, numbers as strings, with an Idempotency-Key header.
            TestClient.Answer first = client.postWithIdempotencyKey(key, tradersPost, "tv-xau-1");
            assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
            assertThat(first.body().path("symbol").asText()).isEqualTo("XAUUSD");
            assertThat(first.body().path("position").asDouble()).isEqualTo(2.0);
            firstOrder = Long.parseLong(first.body().path("order_id").asText().substring(4));

            TestClient.Answer repeat = client.postWithIdempotencyKey(key, tradersPost, "tv-xau-1");
            assertThat(repeat.status()).isEqualTo(200);
            assertThat(repeat.body().path("order_id").asText()).isEqualTo("ord_" + firstOrder);
            assertThat(repeat.body().path("idempotent_replay").asBoolean()).isTrue();
            assertThat(repeat.body().path("position").asDouble()).isEqualTo(2.0);

            // unify.v1 with the same key in the body's id but another body: 422.
            TestClient.Answer conflict = client.alert(key, "{\"id\":\"tv-xau-1\",\"intent\":{\"side\":\"sell\","
                    + "\"symbol\":\"XAUUSD\",\"qty\":1,\"price\":2651}}");
            assertThat(conflict.status()).isEqualTo(422);
            assertThat(conflict.errorCode()).isEqualTo("IDEMPOTENCY_CONFLICT");
            assertThat(conflict.errorField()).isEqualTo("id");

            // A second buy without add is a duplicate; a stale signal is refused; refusals name the field.
            TestClient.Answer duplicate = client.alert(key, "{\"ticker\":\"XAUUSD\",\"action\":\"buy\",\"quantity\":1}");
            assertThat(duplicate.status()).isEqualTo(409);
            assertThat(duplicate.errorCode()).isEqualTo("DUPLICATE");
            TestClient.Answer stale = client.alert(key, "{\"ts\":\"2020-01-01T00:00:00Z\",\"intent\":{\"side\":\"buy\","
                    + "\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.08}}");
            assertThat(stale.status()).isEqualTo(422);
            assertThat(stale.errorCode()).isEqualTo("STALE_SIGNAL");
            assertThat(stale.errorField()).isEqualTo("ts");
            TestClient.Answer badPine = client.postAlert("/api/unify/v1/webhook", key + ",buy,EURUSD,risk=1,slx=5", null,
                    "text/plain");
            assertThat(badPine.status()).isEqualTo(400);
            assertThat(badPine.errorCode()).isEqualTo("INVALID_PAYLOAD");
            assertThat(badPine.errorField()).isEqualTo("slx");

            TestClient.Answer closeAll = client.postAlert("/api/unify/v1/webhook", key + ",closeall", null, "text/plain");
            assertThat(closeAll.status()).as(closeAll.body().toString()).isEqualTo(200);
            assertThat(closeAll.body().path("message").asText()).contains("closed 2 positions");
        }

        try (TradeFlowServer server = TestServers.start(dataDir, CONFIG)) {
            TestClient client = new TestClient(server.port());
            // The key's first answer was rebuilt from the journal: nothing new is placed.
            TestClient.Answer afterRestart = client.postWithIdempotencyKey(key, tradersPost, "tv-xau-1");
            assertThat(afterRestart.status()).isEqualTo(200);
            assertThat(afterRestart.body().path("order_id").asText()).isEqualTo("ord_" + firstOrder);
            assertThat(afterRestart.body().path("idempotent_replay").asBoolean()).isTrue();
            TestClient.Answer conflict = client.postWithIdempotencyKey(key, tradersPost.replace("\"2\"", "\"3\""), "tv-xau-1");
            assertThat(conflict.status()).isEqualTo(422);
        }
    }
}
