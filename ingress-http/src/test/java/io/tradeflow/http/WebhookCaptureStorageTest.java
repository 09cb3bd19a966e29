package io.tradeflow.http;

import io.netty.buffer.Unpooled;
import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.WebhookPayloadDao;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The capture writer against the real (embedded) PostgreSQL: whatever bytes a client sends, its
 * body is stored, and so is every other body of the same batch. PostgreSQL refuses a text value
 * holding a NUL byte or invalid UTF-8, and one refused value fails the whole COPY.
 */
final class WebhookCaptureStorageTest {
    private static final String KEY = "tf_Abc123-_xyzXYZ0987654321abcdefghij";
    private static final String ANSWER = "{\"status\":\"accepted\",\"message\":\"Market buy order executed ✓\"}";

    @TempDir
    static Path dataDir;
    private static Database db;
    private static WebhookPayloadDao dao;

    @BeforeAll
    static void startDatabase() {
        db = Database.start(new DatabaseConfig("", "", "", 2), dataDir);
        dao = new WebhookPayloadDao(db.jdbi());
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @Test
    void shouldStoreHostileBodiesAndTheRestOfTheirBatch() {
        byte[] json = utf8("{\"api_key\":\"" + KEY + "\",\"symbol\":\"EURUSD\",\"note\":\"café ✓\"}");
        byte[] withNul = utf8("{\"symbol\":\"EURUSD\",\"note\":\"a\u0000b\"}");
        byte[] invalid = concat(utf8("{\"symbol\":\""), new byte[] {(byte) 0xC3, '(', (byte) 0xFF, (byte) 0xED, (byte) 0xA0,
                (byte) 0x80}, utf8("\"}"));
        // "é" is two bytes: the cap falls between them.
        String cutBefore = "{\"note\":\"" + "x".repeat(WebhookCapture.MAX_BODY - 1 - 9);
        byte[] cutInACharacter = utf8(cutBefore + "é and more\"}");

        try (WebhookCapture capture = new WebhookCapture(dao)) {
            capture(capture, 101, json, ANSWER);
            capture(capture, 102, withNul, ANSWER);
            capture(capture, 103, invalid, ANSWER);
            capture(capture, 104, cutInACharacter, ANSWER);
            capture(capture, 105, json, ANSWER);
        }

        Map<Long, WebhookPayloadDao.Payload> stored = dao.byJournalIndexes(List.of(101L, 102L, 103L, 104L, 105L));
        String redacted = "{\"api_key\":\"[REDACTED]\",\"symbol\":\"EURUSD\",\"note\":\"café ✓\"}";
        assertThat(stored).containsOnlyKeys(101L, 102L, 103L, 104L, 105L)
                .containsEntry(101L, new WebhookPayloadDao.Payload(101, redacted, false, ANSWER))
                .containsEntry(105L, new WebhookPayloadDao.Payload(105, redacted, false, ANSWER))
                // NUL is kept as U+FFFD: the reader sees that something was there.
                .containsEntry(102L, new WebhookPayloadDao.Payload(102, "{\"symbol\":\"EURUSD\",\"note\":\"a\uFFFDb\"}", false, ANSWER))
                // As new String(bytes, UTF_8) decodes them: one U+FFFD per malformed sequence.
                .containsEntry(103L, new WebhookPayloadDao.Payload(103, "{\"symbol\":\"\uFFFD(\uFFFD\uFFFD\"}", false, ANSWER))
                // The half character at the cap is dropped, not replaced.
                .containsEntry(104L, new WebhookPayloadDao.Payload(104, cutBefore, true, ANSWER));
    }

    @Test
    void shouldDropAnAnswersCharacterCutAtTheCap() {
        String answer = "y".repeat(WebhookCapture.MAX_ANSWER - 2) + "✓✓";
        try (WebhookCapture capture = new WebhookCapture(dao)) {
            capture(capture, 201, utf8("{}"), answer);
        }

        assertThat(dao.byJournalIndexes(List.of(201L)).get(201L).answer()).isEqualTo("y".repeat(WebhookCapture.MAX_ANSWER - 2));
    }

    /** The writer lingers for fuller batches, but a lone alert's body still arrives without a close (well within 5 s). */
    @Test
    void shouldStoreALoneBodyWithoutWaitingForABatch() {
        try (WebhookCapture capture = new WebhookCapture(dao)) {
            capture(capture, 301, utf8("{\"symbol\":\"EURUSD\"}"), ANSWER);

            await().atMost(Duration.ofSeconds(5)).until(() -> dao.byJournalIndexes(List.of(301L)).containsKey(301L));
        }
    }

    private static void capture(WebhookCapture capture, long index, byte[] body, String answer) {
        WebhookCapture.Slot slot = capture.take();
        slot.body(Unpooled.wrappedBuffer(body));
        slot.answer(index, Unpooled.wrappedBuffer(utf8(answer)));
        capture.done(slot);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[0];
        for (byte[] part : parts) {
            int at = all.length;
            all = Arrays.copyOf(all, at + part.length);
            System.arraycopy(part, 0, all, at, part.length);
        }
        return all;
    }
}
