package io.tradeflow.http;

import io.netty.buffer.ByteBuf;
import io.tradeflow.persistence.dao.WebhookPayloadDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

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
 */
public final class WebhookCapture implements AutoCloseable {
    /** Request bytes kept per alert: a TradingView alert is far smaller; a larger body is cut and marked truncated. */
    public static final int MAX_BODY = 4096;
    /** Answer bytes kept per alert (answers are a few hundred bytes). */
    public static final int MAX_ANSWER = 2048;
    static final String REDACTED = "[REDACTED]";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCapture.class);
    private static final int SLOTS = 1024;
    private static final int BATCH = 256;
    /** {@code "api_key": "…"} in a JSON body (any spacing). */
    private static final Pattern JSON_KEY = Pattern.compile("(\"api_key\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");
    /** A TradeFlow API key anywhere (also when cut short by the cap). */
    private static final Pattern ANY_KEY = Pattern.compile("tf_[A-Za-z0-9_-]{4,}");

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
        List<Slot> batch = new ArrayList<>(BATCH);
        List<WebhookPayloadDao.Payload> rows = new ArrayList<>(BATCH);
        while (running || !filled.isEmpty()) {
            filled.drainTo(batch, BATCH);
            if (batch.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                continue;
            }
            for (Slot slot : batch) {
                rows.add(payload(slot));
                slot.journalIndex = 0;
                free.offer(slot);
            }
            batch.clear();
            try {
                dao.insertAll(rows);
            } catch (RuntimeException e) {
                LOG.warn("webhook log: {} request bodies not stored ({})", rows.size(), e.toString());
            }
            rows.clear();
        }
    }

    private static WebhookPayloadDao.Payload payload(Slot slot) {
        String body = new String(slot.body, 0, slot.bodyLength, StandardCharsets.UTF_8);
        String answer = new String(slot.answer, 0, slot.answerLength, StandardCharsets.UTF_8);
        return new WebhookPayloadDao.Payload(slot.journalIndex, redact(body), slot.truncated, answer);
    }

    /**
     * The body without its API key: the {@code api_key} field of a JSON body, the first field of a
     * PineConnector line, and anything shaped like a TradeFlow key. (A key in the URL or the
     * Authorization header is not part of the body.)
     */
    static String redact(String body) {
        String out = JSON_KEY.matcher(body).replaceAll("$1" + REDACTED + "$3");
        String trimmed = out.stripLeading();
        if (!trimmed.startsWith("{")) {
            int comma = trimmed.indexOf(',');
            int end = comma < 0 ? trimmed.length() : comma;
            if (end > 0) {
                out = REDACTED + trimmed.substring(end);
            }
        }
        return ANY_KEY.matcher(out).replaceAll(REDACTED);
    }

    /** Stops the writer after it stored what is queued (waits a few seconds at most). */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
