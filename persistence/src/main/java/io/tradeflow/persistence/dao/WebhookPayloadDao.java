package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

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
    /** created_at keeps its default (now()), as the insert did. */
    private static final String COPY = "copy webhook_payloads (journal_index, body, body_truncated, answer)"
            + " from stdin (format binary)";

    private final Jdbi jdbi;
    /** The COPY buffer, reused: {@link #insertAll} runs on one writer thread. */
    private final BinaryCopy copy = new BinaryCopy();

    public WebhookPayloadDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** {@code truncated}: the body was longer than the cap and is cut there. */
    public record Payload(long journalIndex, String body, boolean truncated, String answer) {
    }

    /**
     * Stores the payloads in one transaction by binary COPY (the rows are append-only and large:
     * COPY skips the per-row executor and conflict check). One already stored for an index is
     * kept: COPY cannot skip it, so a batch that meets one is stored again with
     * {@code on conflict do nothing}. Synchronized: the COPY buffer is reused.
     */
    public synchronized void insertAll(List<Payload> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(h -> {
                copy.begin();
                for (Payload p : payloads) {
                    copy.row(4).int8(p.journalIndex()).text(p.body()).bool(p.truncated()).text(p.answer());
                }
                copy.sendTo(h.getConnection(), COPY);
            });
        } catch (SQLException | RuntimeException e) {
            if (!BinaryCopy.isUniqueViolation(e)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            insertAllTolerant(payloads);
        }
    }

    private void insertAllTolerant(List<Payload> payloads) {
        jdbi.useHandle(h -> {
            PreparedBatch batch = h.prepareBatch("insert into webhook_payloads (journal_index, body, body_truncated, answer)"
                    + " values (:index, :body, :truncated, :answer) on conflict (journal_index) do nothing");
            for (Payload p : payloads) {
                batch.bind("index", p.journalIndex()).bind("body", p.body()).bind("truncated", p.truncated())
                        .bind("answer", p.answer()).add();
            }
            batch.execute();
        });
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
