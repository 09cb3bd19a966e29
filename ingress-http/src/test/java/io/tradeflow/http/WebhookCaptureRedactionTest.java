package io.tradeflow.http;

import io.tradeflow.persistence.dao.Utf8Text;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-style: {@link BodyRedactor} over bytes gives what the regexes over the decoded String
 * gave ({@link RegexRedaction}), for many generated bodies built from the pieces the patterns turn
 * on: api_key fields with odd spacing and escapes, PineConnector lines after Unicode whitespace,
 * keys at the edges and cut short, line terminators after a backslash, multi-byte characters, and
 * (as stored, through {@link Utf8Text#copyValid}) invalid bytes and NUL. Fixed seeds: a failure
 * names the body, and the run is the same every time.
 */
final class WebhookCaptureRedactionTest {
    private static final int BODIES = 30_000;
    private static final String[] PIECES = {
        "\"api_key\"", "\"api_key\":\"", "\"api_key\" : \"", "\"api_key\"\t:\n\"", "\"api_key\"\u000B:\f\"", "api_key", "\"api_",
        ":", "\"", "\\", "\\\"", "\\\\", "\\\n", "\\\r", "\\\u2028", "\\\u2029", "\\\u0085", "\\é", "\\😀",
        " ", "\t", "\n", "\r", "\u000B", "\f", "\u001C", "\u3000", "\u2000", "\u2007", "\u00A0", "\u202F", "\u205F",
        "\u1680", "\u0085", "\u2028",
        ",", "{", "}", "[", "]", "tf_", "tf_Ab", "tf_Abc1", "tf_Abc123-_xyz", "tf__-__", "tf_tf_", "t", "f", "_", "-",
        "TF_abcd", "x", "EURUSD", "buy", "1.0870", "é", "✓", "😀", "[REDACTED]", "\"symbol\":\"EURUSD\"",
    };

    private final BodyRedactor redactor = new BodyRedactor();

    @Test
    void shouldRedactValidUtf8ExactlyAsTheRegexesDid() {
        Random random = new Random(19);
        for (int n = 0; n < BODIES; n++) {
            String body = body(random);

            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int length = redactor.redact(bytes, bytes.length);

            assertThat(new String(redactor.output(), 0, length, StandardCharsets.UTF_8)).as(body)
                    .isEqualTo(RegexRedaction.redact(body));
            assertThat(Arrays.copyOf(redactor.output(), length)).as(body)
                    .isEqualTo(RegexRedaction.redact(body).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Invalid bytes and NUL: stored as the String path decoded them, with NUL as U+FFFD (PostgreSQL refuses NUL). */
    @Test
    void shouldStoreInvalidUtf8AsTheStringPathDecodedIt() {
        Random random = new Random(1919);
        byte[] stored = new byte[Utf8Text.MAX_EXPANSION * 3 * WebhookCapture.MAX_BODY];
        for (int n = 0; n < BODIES; n++) {
            byte[] bytes = withHostileBytes(random, body(random).getBytes(StandardCharsets.UTF_8));

            int length = redactor.redact(bytes, bytes.length);
            int end = Utf8Text.copyValid(redactor.output(), 0, length, stored, 0);

            String expected = RegexRedaction.redact(new String(bytes, StandardCharsets.UTF_8)).replace('\u0000', '\uFFFD');
            assertThat(new String(stored, 0, end, StandardCharsets.UTF_8)).as(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
        }
    }

    /** A body cut at any byte: the partial last character is dropped, the rest redacted as a whole body would be. */
    @Test
    void shouldDropOnlyTheCutCharacterOfATruncatedBody() {
        Random random = new Random(191919);
        for (int n = 0; n < BODIES / 10; n++) {
            byte[] whole = body(random).getBytes(StandardCharsets.UTF_8);
            int cut = random.nextInt(whole.length + 1);

            int kept = Utf8Text.withoutCutCharacter(whole, 0, cut);
            int length = redactor.redact(whole, kept);

            String cutString = new String(whole, 0, cut, StandardCharsets.UTF_8);
            String keptString = cutString.endsWith("\uFFFD") ? cutString.substring(0, cutString.length() - 1) : cutString;
            assertThat(new String(whole, 0, kept, StandardCharsets.UTF_8)).isEqualTo(keptString);
            assertThat(new String(redactor.output(), 0, length, StandardCharsets.UTF_8)).isEqualTo(RegexRedaction.redact(keptString));
        }
    }

    @Test
    void shouldGrowForABodyOfNothingButEmptyKeys() {
        String body = "\"api_key\":\"\"".repeat(WebhookCapture.MAX_BODY / 12);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        int length = redactor.redact(bytes, bytes.length);

        assertThat(new String(redactor.output(), 0, length, StandardCharsets.UTF_8)).isEqualTo(RegexRedaction.redact(body));
    }

    private static String body(Random random) {
        StringBuilder body = new StringBuilder();
        int pieces = random.nextInt(24);
        for (int i = 0; i < pieces; i++) {
            body.append(random.nextInt(8) == 0 ? randomKeyTail(random) : PIECES[random.nextInt(PIECES.length)]);
        }
        return body.toString();
    }

    private static String randomKeyTail(Random random) {
        String alphabet = "abXY09_-.,\"é";
        StringBuilder tail = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            tail.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return tail.toString();
    }

    /** Some bytes replaced by, or followed by, bytes a valid body would not have. */
    private static byte[] withHostileBytes(Random random, byte[] valid) {
        byte[] hostile = {0, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1, (byte) 0xC3, (byte) 0xE0, (byte) 0xE2,
            (byte) 0xED, (byte) 0xA0, (byte) 0xF0, (byte) 0xF4, (byte) 0x90, (byte) 0xF5, (byte) 0xFF, (byte) 0x9F};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : valid) {
            if (random.nextInt(6) == 0) {
                out.write(hostile[random.nextInt(hostile.length)]);
            }
            if (random.nextInt(10) != 0) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
