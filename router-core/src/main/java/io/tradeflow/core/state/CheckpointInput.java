package io.tradeflow.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link CheckpointOutput} wrote, straight from the checkpoint's bytes (the mapped file): numbers
 * and ASCII fields without an object per value. A length that cannot be right is an {@link IOException}.
 */
final class CheckpointInput {
    private final ByteBuffer bytes;

    CheckpointInput(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    byte readByte() {
        return bytes.get();
    }

    boolean readBoolean() {
        return bytes.get() != 0;
    }

    int readInt() {
        return bytes.getInt();
    }

    long readLong() {
        return bytes.getLong();
    }

    double readDouble() {
        return Double.longBitsToDouble(bytes.getLong());
    }

    /** A count of things each at least {@code minBytes} long, checked against what is left before anything is sized by it. */
    int readCount(int minBytes) throws IOException {
        int count = bytes.getInt();
        if (count < 0 || (long) count * minBytes > bytes.remaining()) {
            throw new IOException("a count of " + count + " with " + bytes.remaining() + " bytes left");
        }
        return count;
    }

    /** ASCII text into {@code into} from {@code at}, where {@code capacity} bytes are free; returns its length. */
    int readAscii(byte[] into, int at, int capacity) throws IOException {
        int length = bytes.get() & 0xFF;
        if (length > capacity) {
            throw new IOException("ASCII text of " + length + " bytes where " + capacity + " fit");
        }
        bytes.get(into, at, length);
        return length;
    }

    String readString() throws IOException {
        byte[] utf8 = new byte[readCount(1)];
        bytes.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    void expectEnd() throws IOException {
        if (bytes.hasRemaining()) {
            throw new IOException(bytes.remaining() + " unexpected bytes after the checkpoint");
        }
    }
}
