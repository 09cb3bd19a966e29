package io.tradeflow.service.notify;

import io.tradeflow.persistence.dao.NotificationDao.Delivery;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookPayloadTest {
    private static final Delivery REFUSAL = new Delivery(7, 1, "refusal", "webhook", 3L, "k1", "Alert refused",
            "EURUSD buy refused: MAX_QUANTITY", "pending", 0, Instant.EPOCH, null, Instant.parse("2026-12-04T10:00:00Z"), null);

    @Test
    void shouldCarryTheMessageAsDiscordAndSlackReadIt() {
        var payload = WebhookPayload.of(REFUSAL, URI.create("https://discord.com/api/webhooks/1/abc"));
        assertThat(payload).containsEntry("content", "**Alert refused**\nEURUSD buy refused: MAX_QUANTITY")
                .containsEntry("text", "**Alert refused**\nEURUSD buy refused: MAX_QUANTITY")
                .containsEntry("event", "refusal").containsEntry("delivery_id", 7L)
                .doesNotContainKey("chat_id");
    }

    @Test
    void shouldCopyTelegramsChatIdFromTheUrlIntoTheBody() {
        var payload = WebhookPayload.of(REFUSAL,
                URI.create("https://api.telegram.org/bot123:AAx/sendMessage?disable_notification=true&chat_id=-100%2042"));
        assertThat(payload).containsEntry("chat_id", "-100 42").containsKey("text");
    }

    @Test
    void shouldReadQueryParameters() {
        assertThat(WebhookPayload.queryParameter(URI.create("https://x.test/a?chat_id"), "chat_id")).isEmpty();
        assertThat(WebhookPayload.queryParameter(URI.create("https://x.test/a?chat_idx=1"), "chat_id")).isNull();
        assertThat(WebhookPayload.queryParameter(URI.create("https://x.test/a"), "chat_id")).isNull();
    }
}
