package io.tradeflow.bench.jmh;

import io.tradeflow.bench.capture.LegacyCapture;
import io.tradeflow.http.BodyRedactor;
import io.tradeflow.http.WebhookCapture;
import io.tradeflow.persistence.dao.BinaryCopy;
import io.tradeflow.persistence.dao.Utf8Text;
import io.tradeflow.persistence.dao.WebhookPayloadDao;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;

/**
 * The webhook log writer's per-row CPU before the round trips to PostgreSQL: preparing a batch of
 * {@link #ROWS} captured alerts for COPY (redact the body, encode body and answer), per row.
 * {@code strings} is the writer before issue 19's change (two Strings per row, the regexes and
 * {@code stripLeading}, a record, then {@code BinaryCopy.text(String)} encoding them back);
 * {@code bytes} is the writer now (WebhookCapture's per-slot step: {@link BodyRedactor} over the
 * slot's bytes, {@link WebhookPayloadDao.Batch#add} from the bytes, made valid UTF-8 on the way).
 * The body is a TradingView JSON alert with an {@code api_key} (the size is printed at setup).
 *
 * <p>Run (short, the machine is shared):
 * {@code java -jar bench/target/benchmarks.jar WebhookCaptureBenchmark -f 1 -wi 2 -i 3 -prof gc}
 */
@State(Scope.Thread)
public class WebhookCaptureBenchmark extends JmhDefaults {
    /** Rows per batch: about what the writer stored per batch at 2,000 alerts/s before it lingered. */
    public static final int ROWS = 40;
    static final String BODY = "{\"version\":\"unify.v1\",\"api_key\":\"tf_Abc123-_xyzXYZ0987654321abcdefghij\","
            + "\"id\":\"EURUSD-2026-11-23T14:00:00Z\",\"ts\":\"2026-11-23T14:00:00Z\",\"intent\":{\"action\":\"open\","
            + "\"side\":\"buy\",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":\"1\",\"price\":\"1.0854\"}}\n";
    static final String ANSWER = "{\"success\":true,\"intent_id\":\"int_123456\",\"order_id\":\"ord_654321\","
            + "\"status\":\"accepted\",\"message\":\"Market buy order executed for EURUSD\",\"symbol\":\"EURUSD\"}";

    /** What a slot holds: the body and answer bytes in their capped arrays. */
    private final byte[][] bodies = new byte[ROWS][WebhookCapture.MAX_BODY];
    private final byte[][] answers = new byte[ROWS][WebhookCapture.MAX_ANSWER];
    private int bodyLength;
    private int answerLength;

    private final BinaryCopy oldCopy = new BinaryCopy();
    private final WebhookPayloadDao.Batch batch = new WebhookPayloadDao.Batch();
    private final BodyRedactor redactor = new BodyRedactor();

    @Setup
    public void setUp() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        bodyLength = body.length;
        answerLength = answer.length;
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(body, 0, bodies[i], 0, bodyLength);
            System.arraycopy(answer, 0, answers[i], 0, answerLength);
        }
        System.out.printf("%nbody %d bytes, answer %d bytes, %d rows per batch%n", bodyLength, answerLength, ROWS);
        String redacted = LegacyCapture.redact(BODY);
        int length = redactor.redact(body, bodyLength);
        if (!redacted.equals(new String(redactor.output(), 0, length, StandardCharsets.UTF_8))) {
            throw new IllegalStateException("old and new redaction differ: " + redacted);
        }
    }

    /** Before: per row two Strings, the regexes, a record, and the Strings encoded back to bytes. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int strings() {
        oldCopy.begin();
        for (int i = 0; i < ROWS; i++) {
            String body = new String(bodies[i], 0, bodyLength, StandardCharsets.UTF_8);
            String answer = new String(answers[i], 0, answerLength, StandardCharsets.UTF_8);
            WebhookPayloadDao.Payload p = new WebhookPayloadDao.Payload(i + 1, LegacyCapture.redact(body), false, answer);
            oldCopy.row(4).int8(p.journalIndex()).text(p.body()).bool(p.truncated()).text(p.answer());
        }
        return oldCopy.rows();
    }

    /** Now: per row the redactor over the slot's bytes and the batch encoding from bytes (WebhookCapture.add). */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int bytes() {
        batch.clear();
        for (int i = 0; i < ROWS; i++) {
            byte[] answer = answers[i];
            int redacted = redactor.redact(bodies[i], bodyLength);
            int kept = answerLength == WebhookCapture.MAX_ANSWER ? Utf8Text.withoutCutCharacter(answer, 0, answerLength)
                    : answerLength;
            batch.add(i + 1, redactor.output(), redacted, false, answer, kept);
        }
        return batch.size();
    }
}
