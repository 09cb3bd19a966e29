package io.tradeflow.bench.capture;

import io.tradeflow.bench.ProcCpu;
import io.tradeflow.bench.TempDirs;
import io.tradeflow.config.DatabaseConfig;
import io.tradeflow.http.BodyRedactor;
import io.tradeflow.http.WebhookCapture;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.BinaryCopy;
import io.tradeflow.persistence.dao.WebhookPayloadDao;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The webhook log writer thread's CPU and allocation per row, round trips to PostgreSQL included,
 * old way against new, on this thread against a fresh embedded PostgreSQL (which it also charges,
 * from /proc, per row). What the writer does per batch, without its queue and sleeps:
 * <ul>
 *   <li>{@code old/40}: before issue 19's change: per row two Strings, the regexes, a record,
 *       encoded back to bytes; per batch a Jdbi transaction around the COPY (BEGIN, COPY, end of
 *       COPY, COMMIT); 40 rows, what its 20 ms sleep gave at 2,000 alerts/s;</li>
 *   <li>{@code new/40}: the bytes path ({@code BodyRedactor}, {@code WebhookPayloadDao.Batch}) and
 *       one COPY in autocommit, same batch size (the per-row and round-trip savings alone);</li>
 *   <li>{@code new/200}: the same with the batches the 100 ms linger gives at 2,000 alerts/s.</li>
 * </ul>
 * Modes alternate, {@code --rounds} times, so load from elsewhere on a shared machine hits all of
 * them alike; the table is emptied before each run (not measured).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.tradeflow.bench.capture.CaptureWriterCpu [--rows 20000] [--rounds 3]
 * </pre>
 */
public final class CaptureWriterCpu {
    private static final String BODY = "{\"version\":\"unify.v1\",\"api_key\":\"tf_Abc123-_xyzXYZ0987654321abcdefghij\","
            + "\"id\":\"EURUSD-2026-11-23T14:00:00Z\",\"ts\":\"2026-11-23T14:00:00Z\",\"intent\":{\"action\":\"open\","
            + "\"side\":\"buy\",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":\"1\",\"price\":\"1.0854\"}}\n";
    private static final String ANSWER = "{\"success\":true,\"intent_id\":\"int_123456\",\"order_id\":\"ord_654321\","
            + "\"status\":\"accepted\",\"message\":\"Market buy order executed for EURUSD\",\"symbol\":\"EURUSD\"}";
    private static final String COPY = "copy webhook_payloads (journal_index, body, body_truncated, answer) from stdin (format binary)";
    private static final int OLD_BATCH = 40;
    private static final int NEW_BATCH = 200;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final byte[] body = slot(BODY, WebhookCapture.MAX_BODY);
    private final byte[] answer = slot(ANSWER, WebhookCapture.MAX_ANSWER);
    private final int bodyLength = BODY.getBytes(StandardCharsets.UTF_8).length;
    private final int answerLength = ANSWER.getBytes(StandardCharsets.UTF_8).length;
    private final Jdbi jdbi;
    private final WebhookPayloadDao dao;
    private final long postmaster;
    private final BinaryCopy oldCopy = new BinaryCopy();
    private final WebhookPayloadDao.Batch batch = new WebhookPayloadDao.Batch();
    private final BodyRedactor redactor = new BodyRedactor();
    private long nextIndex = 1;

    private CaptureWriterCpu(Database db, long postmaster) {
        this.jdbi = db.jdbi();
        this.dao = new WebhookPayloadDao(jdbi);
        this.postmaster = postmaster;
    }

    public static void main(String[] args) throws IOException, SQLException {
        int rows = intArg(args, "--rows", 20_000);
        int rounds = intArg(args, "--rounds", 3);
        Path dataDir = TempDirs.create("tf-capture-db");
        try (Database db = Database.start(new DatabaseConfig("", "", "", 2), dataDir)) {
            CaptureWriterCpu bench = new CaptureWriterCpu(db, ProcCpu.postmasterPid(dataDir.resolve("pg")).orElseThrow());
            System.out.printf(Locale.ROOT, "body %d bytes, answer %d bytes, %d rows per run%n", bench.bodyLength,
                    bench.answerLength, rows);
            // Warm-up: JIT and connections, not reported.
            bench.run("old", OLD_BATCH, rows / 2, false);
            bench.run("new", OLD_BATCH, rows / 2, false);
            System.out.println("mode     thread µs/row  thread B/row  postgres µs/row  wall µs/row");
            for (int round = 0; round < rounds; round++) {
                bench.run("old", OLD_BATCH, rows, true);
                bench.run("new", OLD_BATCH, rows, true);
                bench.run("new", NEW_BATCH, rows, true);
            }
        } finally {
            TempDirs.delete(dataDir);
        }
    }

    private void run(String mode, int batchSize, int rows, boolean report) throws IOException, SQLException {
        jdbi.useHandle(h -> h.execute("truncate webhook_payloads"));
        long pgBefore = ProcCpu.postgresTicks(postmaster);
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long wallBefore = System.nanoTime();
        for (int done = 0; done < rows; done += batchSize) {
            int size = Math.min(batchSize, rows - done);
            if (mode.equals("old")) {
                oldBatch(size);
            } else {
                newBatch(size);
            }
        }
        long wall = System.nanoTime() - wallBefore;
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        long pgTicks = ProcCpu.postgresTicks(postmaster) - pgBefore;
        if (report) {
            double pgMicros = pgTicks * 1e6 / ProcCpu.TICKS_PER_SECOND;
            System.out.printf(Locale.ROOT, "%-8s %13.2f %13.0f %16.2f %12.2f%n", mode + "/" + batchSize, cpu / 1e3 / rows,
                    (double) allocated / rows, pgMicros / rows, wall / 1e3 / rows);
        }
    }

    /** As WebhookCapture's writer did before: Strings, regexes, a record, and a transaction around the COPY. */
    private void oldBatch(int size) throws SQLException {
        WebhookPayloadDao.Payload[] payloads = new WebhookPayloadDao.Payload[size];
        for (int i = 0; i < size; i++) {
            String b = new String(body, 0, bodyLength, StandardCharsets.UTF_8);
            String a = new String(answer, 0, answerLength, StandardCharsets.UTF_8);
            payloads[i] = new WebhookPayloadDao.Payload(nextIndex++, LegacyCapture.redact(b), false, a);
        }
        jdbi.useTransaction(h -> {
            oldCopy.begin();
            for (WebhookPayloadDao.Payload p : payloads) {
                oldCopy.row(4).int8(p.journalIndex()).text(p.body()).bool(p.truncated()).text(p.answer());
            }
            oldCopy.sendTo(h.getConnection(), COPY);
        });
    }

    /** As WebhookCapture's writer does now (its add and store): bytes into the reused batch, one COPY in autocommit. */
    private void newBatch(int size) {
        for (int i = 0; i < size; i++) {
            int redacted = redactor.redact(body, bodyLength);
            batch.add(nextIndex++, redactor.output(), redacted, false, answer, answerLength);
        }
        dao.insertAll(batch);
        batch.clear();
    }

    private static byte[] slot(String text, int capacity) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] slot = new byte[capacity];
        System.arraycopy(bytes, 0, slot, 0, bytes.length);
        return slot;
    }

    private static int intArg(String[] args, String name, int otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return otherwise;
    }
}
