package io.tradeflow.service.notify;

import io.tradeflow.persistence.dao.NotificationDao.Delivery;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of an outbound notification webhook, shaped so the common chat bots accept it as is:
 * Discord reads {@code content}, Slack reads {@code text}, and Telegram's {@code sendMessage} reads
 * {@code text} with the {@code chat_id} that the user puts in the channel's URL
 * ({@code https://api.telegram.org/bot<token>/sendMessage?chat_id=<id>}); the chat id is copied into the
 * body because Telegram takes a JSON request's parameters from the body. The other fields are for receivers
 * of ours: the event, title and body apart, the delivery id and the dedup key.
 */
final class WebhookPayload {
    private WebhookPayload() {
    }

    static Map<String, Object> of(Delivery d, URI uri) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String message = "**" + d.title() + "**\n" + d.body();
        payload.put("content", message);
        payload.put("text", message);
        String chatId = queryParameter(uri, "chat_id");
        if (chatId != null) {
            payload.put("chat_id", chatId);
        }
        payload.put("event", d.event());
        payload.put("title", d.title());
        payload.put("body", d.body());
        payload.put("delivery_id", d.id());
        payload.put("dedup_key", d.dedupKey());
        payload.put("created_at", d.createdAt().toString());
        return payload;
    }

    /** The first value of a query parameter, decoded, or null. */
    static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
