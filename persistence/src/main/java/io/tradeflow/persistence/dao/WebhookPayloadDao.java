package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the webhook log shows of an alert's request and answer: the body as received (the API key
 * already redacted, capped by the ingress) and the answer returned, keyed by the alert's journal
 * index. Written off the hot path after the answer went out; best effort (see the README).
 */
public final class WebhookPayloadDao {
    private static final String COLUMNS = "journal_index, body, body_truncated, answer";
    /** created_at keeps its default (now()), as the insert did. */
    private static final String COPY = "copy webhook_payloads (" + COLUMNS + ") from stdin (format binary)";
    private static final String STAGE = "create temporary table webhook_payloads_in"
            + " (journal_index bigint, body text, body_truncated boolean, answer text) on commit drop";
    private static final String COPY_STAGED = "copy webhook_payloads_in (" + COLUMNS + ") from stdin (format binary)";
    private static final String INSERT_STAGED = "insert into webhook_payloads (" + COLUMNS + ") select " + COLUMNS
            + " from webhook_payloads_in on conflict (journal_index) do nothing";

    private final Jdbi jdbi;

    public WebhookPayloadDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** {@code truncated}: the body was longer than the cap and is cut there. */
    public record Payload(long journalIndex, String body, boolean truncated, String answer) {
    }

    /**
     * Payloads encoded for one COPY as they are added, straight from the caller's bytes (no String
     * per row); reused batch after batch by one writer thread. Not thread-safe.
     */
    public static final class Batch {
        private final BinaryCopy copy = new BinaryCopy().begin();

        /**
         * Adds one payload from UTF-8 bytes; malformed bytes and NUL are stored as U+FFFD (see
         * {@link Utf8Text}), so one hostile body cannot fail the COPY of the whole batch.
         */
        public Batch add(long journalIndex, byte[] body, int bodyLength, boolean truncated, byte[] answer, int answerLength) {
            copy.row(4).int8(journalIndex).text(body, 0, bodyLength).bool(truncated).text(answer, 0, answerLength);
            return this;
        }

        public Batch add(Payload p) {
            copy.row(4).int8(p.journalIndex()).text(p.body()).bool(p.truncated()).text(p.answer());
            return this;
        }

        public int size() {
            return copy.rows();
        }

        /** Empties the batch for the next one (the buffer is kept). */
        public void clear() {
            copy.begin();
        }
    }

    /** Stores the payloads (see {@link #insertAll(Batch)}). */
    public void insertAll(List<Payload> payloads) {
        Batch batch = new Batch();
        payloads.forEach(batch::add);
        insertAll(batch);
    }

    /**
     * Stores the batch by one binary COPY in autocommit (the rows are append-only and large: COPY
     * skips the per-row executor and conflict check, and a COPY is atomic on its own, so no BEGIN
     * and COMMIT round trips). One already stored for an index is kept: COPY cannot skip it, so a
     * batch that meets one goes again into a temporary table and from there with
     * {@code on conflict do nothing}. The batch is left as it was (the caller clears it).
     */
    public void insertAll(Batch batch) {
        if (batch.size() == 0) {
            return;
        }
        try {
            jdbi.useHandle(h -> batch.copy.sendTo(h.getConnection(), COPY));
        } catch (SQLException | RuntimeException e) {
            if (!BinaryCopy.isUniqueViolation(e)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            insertAllTolerant(batch);
        }
    }

    /** The rare path: the same COPY data into a per-transaction staging table, then skipping the conflicts. */
    private void insertAllTolerant(Batch batch) {
        try {
            jdbi.useTransaction(h -> {
                h.execute(STAGE);
                batch.copy.sendTo(h.getConnection(), COPY_STAGED);
                h.execute(INSERT_STAGED);
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payloads stored for these journal indexes (missing ones are absent from the map). */
    public Map<Long, Payload> byJournalIndexes(Collection<Long> indexes) {
        if (indexes.isEmpty()) {
            return Map.of();
        }
        Map<Long, Payload> found = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("select journal_index, body, body_truncated, answer from webhook_payloads"
                        + " where journal_index = any(:indexes)")
                .bind("indexes", indexes.stream().mapToLong(Long::longValue).toArray())
                .map((rs, ctx) -> new Payload(rs.getLong("journal_index"), rs.getString("body"),
                        rs.getBoolean("body_truncated"), rs.getString("answer")))
                .forEach(p -> found.put(p.journalIndex(), p)));
        return found;
    }
}
