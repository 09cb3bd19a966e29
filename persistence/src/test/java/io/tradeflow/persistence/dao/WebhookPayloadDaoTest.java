package io.tradeflow.persistence.dao;

import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
