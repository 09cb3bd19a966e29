package io.tradeflow.http;

import io.netty.buffer.ByteBuf;
import io.tradeflow.persistence.dao.Utf8Text;
import io.tradeflow.persistence.dao.WebhookPayloadDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps what the webhook log shows of each alert besides its decision: the request body as
 * received (capped at {@link #MAX_BODY} bytes, the API key redacted) and the answer returned.
 *
 * <p>Off the hot path and without allocating there: the event loop takes a pre-allocated slot and
 * copies the body into it, the ring thread copies the encoded answer and the journal index, the
 * event loop hands the slot to this writer's thread, which redacts, stores in batches
 * ({@code webhook_payloads}) and returns the slot. When every slot is in use (a burst faster than
 * the database), or the database is down, bodies are not kept: the log then shows the alert
 * without them. Best effort by design: the journal is the record of what was decided, this is
 * for a human reading the log.
 *
 * <p>The writer is cheap per alert because it works on the slots' bytes: {@link BodyRedactor}
 * redacts the body's bytes into a reused buffer and the batch encodes them for COPY straight from
 * there and from the slot's answer (no String, regex or per-row object), made valid UTF-8 on the
 * way so one hostile body cannot fail the batch's COPY (a character cut by a cap is dropped,
 * malformed bytes and NUL become U+FFFD). And per batch rather than per alert it pays the round
 * trips to PostgreSQL (one COPY in autocommit: two), so it lingers: a batch goes when
 * {@code BATCH} (256) rows wait or {@code LINGER_NANOS} (100 ms) after it saw the first of them
 * waiting, whichever comes first (the log needs a body within a fraction of a second, not at
 * once): about 200 rows per batch at 2,000 alerts/s instead of 40. On close it stores what is
 * queued without waiting.
 */
public final class WebhookCapture implements AutoCloseable {
    /** Request bytes kept per alert: a TradingView alert is far smaller; a larger body is cut and marked truncated. */
    public static final int MAX_BODY = 4096;
    /** Answer bytes kept per alert (answers are a few hundred bytes). */
    public static final int MAX_ANSWER = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCapture.class);
    private static final int SLOTS = 1024;
    private static final int BATCH = 256;
    /** How long waiting rows may wait for more before they are stored. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The writer's sleep with nothing waiting (a row is noticed this much late at most). */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The writer's sleep while rows wait, to see the batch fill up. */
    private static final long LINGER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A pre-allocated capture of one alert. */
    static final class Slot {
        final byte[] body = new byte[MAX_BODY];
        final byte[] answer = new byte[MAX_ANSWER];
        int bodyLength;
        boolean truncated;
        int answerLength;
        long journalIndex;

        /** On the event loop, before the alert is published. */
        void body(ByteBuf content) {
            int length = content.readableBytes();
            bodyLength = Math.min(length, MAX_BODY);
            truncated = length > MAX_BODY;
            content.getBytes(content.readerIndex(), body, 0, bodyLength);
        }

        /** On the ring thread, with the encoded answer. */
        void answer(long index, ByteBuf encoded) {
            journalIndex = index;
            answerLength = Math.min(encoded.readableBytes(), MAX_ANSWER);
            encoded.getBytes(encoded.readerIndex(), answer, 0, answerLength);
        }
    }

    // Array-backed: offer and poll allocate nothing. Each holds its lock for one array step only.
    private final ArrayBlockingQueue<Slot> free = new ArrayBlockingQueue<>(SLOTS);
    private final ArrayBlockingQueue<Slot> filled = new ArrayBlockingQueue<>(SLOTS);
    private final WebhookPayloadDao dao;
    private final Thread writer;
    private volatile boolean running = true;

    /** Starts the writer thread (from the thread assembling the server, so it does not inherit the router's CPUs). */
    public WebhookCapture(WebhookPayloadDao dao) {
        this.dao = dao;
        for (int i = 0; i < SLOTS; i++) {
            free.offer(new Slot());
        }
        this.writer = new Thread(this::drainLoop, "tradeflow-webhook-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** A free slot, or null when all are in use (this alert's body is then not kept). */
    Slot take() {
        return free.poll();
    }

    /** Hands a completed slot to the writer (or back to the pool when it never got an answer). */
    void done(Slot slot) {
        if (slot.journalIndex == 0 || !filled.offer(slot)) {
            free.offer(slot);
        }
    }

    private void drainLoop() {
        List<Slot> taken = new ArrayList<>(BATCH);
        WebhookPayloadDao.Batch rows = new WebhookPayloadDao.Batch();
        BodyRedactor redactor = new BodyRedactor();
        long waitingSince = 0;
        boolean waiting = false;
        while (running || !filled.isEmpty()) {
            int queued = filled.size();
            if (queued == 0) {
                waiting = false;
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            long now = System.nanoTime();
            if (!waiting) {
                waiting = true;
                waitingSince = now;
            }
            long waited = now - waitingSince;
            if (running && queued < BATCH && waited < LINGER_NANOS) {
                LockSupport.parkNanos(Math.min(LINGER_PARK_NANOS, LINGER_NANOS - waited));
                continue;
            }
            filled.drainTo(taken, BATCH);
            // Rows left behind (more than a batch was waiting) came after the first one: a new linger for them.
            waitingSince = now;
            for (Slot slot : taken) {
                add(rows, redactor, slot);
                slot.journalIndex = 0;
                free.offer(slot);
            }
            taken.clear();
            store(rows);
        }
    }

    /** One slot's row, encoded into the batch from the slot's bytes (nothing allocated). */
    static void add(WebhookPayloadDao.Batch rows, BodyRedactor redactor, Slot slot) {
        // A body cut at the cap may end inside a character: drop that part rather than store U+FFFD.
        int bodyLength = slot.truncated ? Utf8Text.withoutCutCharacter(slot.body, 0, slot.bodyLength) : slot.bodyLength;
        int redacted = redactor.redact(slot.body, bodyLength);
        // The answer is TradeFlow's own UTF-8: only the cap can cut a character of it.
        int answerLength = slot.answerLength == MAX_ANSWER ? Utf8Text.withoutCutCharacter(slot.answer, 0, MAX_ANSWER)
                : slot.answerLength;
        rows.add(slot.journalIndex, redactor.output(), redacted, slot.truncated, slot.answer, answerLength);
    }

    private void store(WebhookPayloadDao.Batch rows) {
        try {
            dao.insertAll(rows);
        } catch (RuntimeException e) {
            LOG.warn("webhook log: {} request bodies not stored ({})", rows.size(), e.toString());
        } finally {
            rows.clear();
        }
    }

    /** Stops the writer after it stored what is queued (waits a few seconds at most). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
