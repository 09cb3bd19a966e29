package io.tradeflow.persistence.dao;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Rows for {@code COPY table (columns) FROM STDIN (FORMAT binary)}, encoded into one reusable
 * buffer and sent through pgJDBC's {@code CopyManager} on the caller's connection: the
 * projection's transaction (so the rows commit or roll back with the rest of the batch and its
 * journal index), or in autocommit when the COPY is all there is to commit (the webhook log's
 * payloads: no BEGIN and COMMIT round trips).
 *
 * <p>Why: for append-only rows COPY is the cheapest way into PostgreSQL: no statement to parse or
 * plan, no per-row executor or {@code on conflict} check, and the binary format needs no text
 * parsing of numbers and timestamps on the server. The format (PostgreSQL docs, "COPY", binary
 * format): an 11-byte signature, a 32-bit flags word and a 32-bit header-extension length; per
 * tuple a 16-bit field count, then per field a 32-bit length (-1 for NULL) and the value in the
 * type's binary send format (big-endian); a 16-bit -1 ends the data. Only the types the projection
 * writes are supported: bigint, int, float8, boolean, text (UTF-8, the connection's client
 * encoding; from a String, or from bytes made valid UTF-8 on the way) and timestamptz
 * (microseconds since 2000-01-01 UTC).
 *
 * <p>Not thread-safe; one per writer thread, reused across batches. Used by the projection and by
 * the webhook log's payload writer.
 */
public final class BinaryCopy {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
    private static final long PG_EPOCH_MILLIS = 946_684_800_000L;
    private static final String UNIQUE_VIOLATION = "23505";

    private byte[] buffer = new byte[64 * 1024];
    private int length;
    private int rows;
    /** The end-of-data word is written (by the first send). */
    private boolean ended;

    /** Starts a new COPY's data (the header), dropping whatever the buffer held. */
    public BinaryCopy begin() {
        length = 0;
        rows = 0;
        ended = false;
        put(SIGNATURE, 0, SIGNATURE.length);
        putInt(0);
        putInt(0);
        return this;
    }

    /** Starts a tuple of {@code fields} columns; every column of the COPY statement must follow. */
    public BinaryCopy row(int fields) {
        if (ended) {
            throw new IllegalStateException("rows after the data was sent: begin() first");
        }
        rows++;
        putShort(fields);
        return this;
    }

    public BinaryCopy int8(long value) {
        putInt(8);
        putLong(value);
        return this;
    }

    /** A bigint column that may be null. */
    public BinaryCopy int8(Long value) {
        return value == null ? nul() : int8(value.longValue());
    }

    public BinaryCopy int4(int value) {
        putInt(4);
        putInt(value);
        return this;
    }

    public BinaryCopy float8(double value) {
        putInt(8);
        putLong(Double.doubleToRawLongBits(value));
        return this;
    }

    public BinaryCopy bool(boolean value) {
        putInt(1);
        ensure(1);
        buffer[length++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** A text column; null writes SQL NULL. */
    public BinaryCopy text(String value) {
        if (value == null) {
            return nul();
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        putInt(bytes.length);
        put(bytes, 0, bytes.length);
        return this;
    }

    /**
     * A text column straight from UTF-8 bytes, without a String in between. Made valid on the way
     * ({@link Utf8Text#copyValid}: malformed sequences and NUL become U+FFFD), because PostgreSQL
     * refuses such a value and with it the whole COPY, every other row included.
     */
    public BinaryCopy text(byte[] bytes, int offset, int count) {
        ensure(4 + Utf8Text.MAX_EXPANSION * count);
        int lengthAt = length;
        length += 4;
        int end = Utf8Text.copyValid(bytes, offset, count, buffer, length);
        int written = end - length;
        buffer[lengthAt] = (byte) (written >>> 24);
        buffer[lengthAt + 1] = (byte) (written >>> 16);
        buffer[lengthAt + 2] = (byte) (written >>> 8);
        buffer[lengthAt + 3] = (byte) written;
        length = end;
        return this;
    }

    /** A timestamptz column; the projection's times are whole milliseconds. */
    public BinaryCopy timestamptz(OffsetDateTime at) {
        return timestamptzMillis(at.toInstant().toEpochMilli());
    }

    public BinaryCopy timestamptzMillis(long epochMillis) {
        putInt(8);
        putLong((epochMillis - PG_EPOCH_MILLIS) * 1_000L);
        return this;
    }

    public BinaryCopy nul() {
        putInt(-1);
        return this;
    }

    public int rows() {
        return rows;
    }

    /**
     * Ends the data and runs {@code copySql} ({@code copy t (...) from stdin (format binary)}) on
     * {@code c}, in its current transaction (or as a statement of its own in autocommit: a COPY is
     * atomic by itself). Returns the rows the server reports copied. The same data can be sent again
     * (e.g. into a staging table after a unique violation) until the next {@link #begin}.
     */
    public long sendTo(Connection c, String copySql) throws SQLException {
        if (!ended) {
            putShort(-1);
            ended = true;
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(buffer, 0, length);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /**
     * Whether {@code e} (or a cause) is PostgreSQL's unique_violation: a COPY met a row that
     * exists already, which COPY cannot skip as {@code on conflict do nothing} would.
     */
    public static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void putShort(int v) {
        ensure(2);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void putInt(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void put(byte[] bytes, int offset, int count) {
        ensure(count);
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
