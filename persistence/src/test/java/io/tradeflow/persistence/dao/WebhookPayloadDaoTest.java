package io.tradeflow.persistence.dao;

import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook log's bodies and answers, stored by COPY, against the real server. */
final class WebhookPayloadDaoTest {
    @TempDir
    static Path dataDir;
    private static Database db;
    private static WebhookPayloadDao dao;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabases.startEmbedded(dataDir);
        dao = new WebhookPayloadDao(db.jdbi());
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @Test
    void shouldStoreAndReadBackBodiesAndAnswers() {
        String body = "{\"api_key\":\"[REDACTED]\",\"symbol\":\"EURUSD\",\"note\":\"café ✓\"}";
        dao.insertAll(List.of(new WebhookPayloadDao.Payload(11, body, false, "{\"status\":\"accepted\"}"),
                new WebhookPayloadDao.Payload(12, "x".repeat(4096), true, "")));

        assertThat(dao.byJournalIndexes(List.of(11L, 12L, 13L))).containsOnlyKeys(11L, 12L)
                .containsEntry(11L, new WebhookPayloadDao.Payload(11, body, false, "{\"status\":\"accepted\"}"))
                .containsEntry(12L, new WebhookPayloadDao.Payload(12, "x".repeat(4096), true, ""));
    }

    /** COPY cannot skip an existing row: the batch goes again with "on conflict do nothing", first row kept. */
    @Test
    void shouldKeepTheFirstPayloadOfAnIndexAndStoreTheRestOfTheBatch() {
        dao.insertAll(List.of(new WebhookPayloadDao.Payload(21, "first", false, "a1")));

        dao.insertAll(List.of(new WebhookPayloadDao.Payload(21, "second", false, "a2"),
                new WebhookPayloadDao.Payload(22, "other", false, "a3")));

        assertThat(dao.byJournalIndexes(List.of(21L, 22L)))
                .containsEntry(21L, new WebhookPayloadDao.Payload(21, "first", false, "a1"))
                .containsEntry(22L, new WebhookPayloadDao.Payload(22, "other", false, "a3"));
    }

    /** Twice the same index in one batch (the COPY fails): the first is kept, the rest stored. */
    @Test
    void shouldKeepTheFirstOfAnIndexRepeatedWithinABatch() {
        dao.insertAll(List.of(new WebhookPayloadDao.Payload(31, "first", false, "a1"),
                new WebhookPayloadDao.Payload(32, "other", false, "a2"),
                new WebhookPayloadDao.Payload(31, "again", false, "a3")));

        assertThat(dao.byJournalIndexes(List.of(31L, 32L)))
                .containsEntry(31L, new WebhookPayloadDao.Payload(31, "first", false, "a1"))
                .containsEntry(32L, new WebhookPayloadDao.Payload(32, "other", false, "a2"));
    }

    /** PostgreSQL refuses NUL and invalid UTF-8 in text, failing the whole COPY: the batch stores them as U+FFFD. */
    @Test
    void shouldStoreHostileBytesAndTheRestOfTheBatch() {
        byte[] nul = {'a', 0, 'b'};
        byte[] invalid = {'c', (byte) 0xFF, 'd', (byte) 0xC3};
        byte[] fine = "café".getBytes(StandardCharsets.UTF_8);
        byte[] answer = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
        WebhookPayloadDao.Batch batch = new WebhookPayloadDao.Batch()
                .add(41, fine, fine.length, false, answer, answer.length)
                .add(42, nul, nul.length, false, nul, nul.length)
                .add(43, invalid, invalid.length, true, answer, answer.length);

        dao.insertAll(batch);

        assertThat(dao.byJournalIndexes(List.of(41L, 42L, 43L)))
                .containsEntry(41L, new WebhookPayloadDao.Payload(41, "café", false, "{\"status\":\"accepted\"}"))
                .containsEntry(42L, new WebhookPayloadDao.Payload(42, "a\uFFFDb", false, "a\uFFFDb"))
                .containsEntry(43L, new WebhookPayloadDao.Payload(43, "c\uFFFDd\uFFFD", true, "{\"status\":\"accepted\"}"));
    }

    /** The writer reuses one batch: cleared after a store, it holds only the next rows. */
    @Test
    void shouldStoreOnlyTheRowsAddedSinceTheBatchWasCleared() {
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        WebhookPayloadDao.Batch batch = new WebhookPayloadDao.Batch().add(51, body, 1, false, body, 1);
        dao.insertAll(batch);
        batch.clear();

        dao.insertAll(batch.add(52, body, 1, false, body, 1));

        assertThat(batch.size()).isEqualTo(1);
        assertThat(dao.byJournalIndexes(List.of(51L, 52L))).containsOnlyKeys(51L, 52L);
    }
}
