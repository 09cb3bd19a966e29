package io.tradeflow.persistence.dao;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** UTF-8 bytes made valid for PostgreSQL exactly as {@code new String(bytes, UTF_8)} decoded them, NUL as U+FFFD. */
final class Utf8TextTest {
    /** Bytes around every boundary of the UTF-8 tables, so random arrays hit each rule often. */
    private static final int[] EDGES = {0x00, 0x01, 0x22, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
        0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF};

    @Test
    void shouldReplaceMalformedSequencesAsTheStringDecoderDoes() {
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[random.nextInt(9)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : EDGES[random.nextInt(EDGES.length)]);
            }
            // Compared as bytes: what is stored must be the String path's bytes, not only decode to its text.
            assertThat(hex(validBytes(bytes))).as(hex(bytes)).isEqualTo(hex(stringPath(bytes).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void shouldCopyValidTextUnchanged() {
        String text = "{\"note\":\"café ✓ 😀 \u2028 \u3000\"}";
        assertThat(valid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @Test
    void shouldStoreNulAsReplacementCharacter() {
        assertThat(valid(new byte[] {'a', 0, 'b'})).isEqualTo("a\uFFFDb");
    }

    @Test
    void shouldDropOnlyACharacterCutAtTheEnd() {
        byte[] text = "ab é✓😀".getBytes(StandardCharsets.UTF_8);
        // a b ' ' é(2) ✓(3) 😀(4): ends of whole characters at 3, 5, 8, 12.
        int[] expected = {0, 1, 2, 3, 3, 5, 5, 5, 8, 8, 8, 8, 12};
        for (int cut = 0; cut <= text.length; cut++) {
            assertThat(Utf8Text.withoutCutCharacter(text, 0, cut)).as("cut at %d", cut).isEqualTo(expected[cut]);
        }
        // Not the start of a valid character (an overlong E0 80, a surrogate ED A0, a lone continuation): kept, for U+FFFD.
        assertThat(Utf8Text.withoutCutCharacter(new byte[] {'a', (byte) 0xE0, (byte) 0x80}, 0, 3)).isEqualTo(3);
        assertThat(Utf8Text.withoutCutCharacter(new byte[] {'a', (byte) 0xED, (byte) 0xA0}, 0, 3)).isEqualTo(3);
        assertThat(Utf8Text.withoutCutCharacter(new byte[] {'a', (byte) 0x80}, 0, 2)).isEqualTo(2);
    }

    @Test
    void shouldReadCodePointsOfValidSequencesOnly() {
        String text = "a\u0085\u3000😀";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Text.codePointAt(bytes, 0, bytes.length)).isEqualTo('a');
        assertThat(Utf8Text.codePointAt(bytes, 1, bytes.length)).isEqualTo(0x85);
        assertThat(Utf8Text.codePointAt(bytes, 3, bytes.length)).isEqualTo(0x3000);
        assertThat(Utf8Text.codePointAt(bytes, 6, bytes.length)).isEqualTo(text.codePointAt(3));
        assertThat(Utf8Text.codePointAt(bytes, 6, bytes.length - 1)).isEqualTo(-1);
        assertThat(Utf8Text.codePointAt(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isEqualTo(-1);
    }

    private static String valid(byte[] bytes) {
        return new String(validBytes(bytes), StandardCharsets.UTF_8);
    }

    /** Copied from offset 0 to offset 1, so offsets are honoured. */
    private static byte[] validBytes(byte[] bytes) {
        byte[] out = new byte[Utf8Text.MAX_EXPANSION * bytes.length + 1];
        int end = Utf8Text.copyValid(bytes, 0, bytes.length, out, 1);
        return Arrays.copyOfRange(out, 1, end);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String stringPath(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).replace('\u0000', '\uFFFD');
    }
}
