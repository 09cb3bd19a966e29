package io.tradeflow.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook log never keeps an API key from a body, whatever the alert language. */
class WebhookCaptureTest {
    private static final String KEY = "tf_Abc123-_xyzXYZ0987654321abcdefghij";

    @Test
    void shouldRedactTheApiKeyFieldOfAJsonBody() {
        String body = "{\"version\":\"unify.v1\",\"api_key\" : \"" + KEY + "\",\"intent\":{\"symbol\":\"EURUSD\"}}";

        String kept = redact(body);

        assertThat(kept).doesNotContain(KEY).doesNotContain("Abc123")
                .isEqualTo("{\"version\":\"unify.v1\",\"api_key\" : \"[REDACTED]\",\"intent\":{\"symbol\":\"EURUSD\"}}");
    }

    @Test
    void shouldRedactTheFirstFieldOfAPineConnectorLine() {
        assertThat(redact(KEY + ",buy,EURUSD,risk=1\n")).isEqualTo("[REDACTED],buy,EURUSD,risk=1\n");
        assertThat(redact("not-a-key-format,buy,EURUSD")).isEqualTo("[REDACTED],buy,EURUSD");
    }

    @Test
    void shouldRedactAKeyAnywhereElseAndKeepTheRest() {
        String body = "{\"ticker\":\"EURUSD\",\"comment\":\"" + KEY.substring(0, 12) + "\",\"action\":\"buy\"}";

        assertThat(redact(body)).isEqualTo("{\"ticker\":\"EURUSD\",\"comment\":\"[REDACTED]\",\"action\":\"buy\"}");
        assertThat(redact("{\"ticker\":\"EURUSD\"}")).isEqualTo("{\"ticker\":\"EURUSD\"}");
    }

    /** As the writer redacts: the body's UTF-8 bytes through {@link BodyRedactor}. */
    private static String redact(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        BodyRedactor redactor = new BodyRedactor();
        int length = redactor.redact(bytes, bytes.length);
        return new String(redactor.output(), 0, length, StandardCharsets.UTF_8);
    }
}
