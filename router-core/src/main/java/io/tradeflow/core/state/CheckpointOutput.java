package io.tradeflow.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes a {@link ReplayCheckpoint} to its file through one reused buffer, checksumming each buffer-full as it
 * goes: a checkpoint of a million idempotency answers is well over 100 MB, and building it in memory first (then
 * copying it to checksum and to write it, as version 2 did) took three copies of it on the heap.
 */
final class CheckpointOutput {
    private static final int BUFFER_BYTES = 1 << 20;

    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32C crc = new CRC32C();
    private long written;

    CheckpointOutput(WritableByteChannel channel) {
        this.channel = channel;
    }

    void putByte(int value) throws IOException {
        room(Byte.BYTES).put((byte) value);
    }

    void putBoolean(boolean value) throws IOException {
        putByte(value ? 1 : 0);
    }

    void putInt(int value) throws IOException {
        room(Integer.BYTES).putInt(value);
    }

    void putLong(long value) throws IOException {
        room(Long.BYTES).putLong(value);
    }

    /** The exact bits, so a read gives back the very same double. */
    void putDouble(double value) throws IOException {
        putLong(Double.doubleToRawLongBits(value));
    }

    /** ASCII text (a client id, a symbol: at most 64 bytes) as its length in one byte, then its bytes. */
    void putAscii(byte[] text, int from, int length) throws IOException {
        room(1 + length).put((byte) length).put(text, from, length);
    }

    /** Any string, as its UTF-8 length and bytes (see {@link CheckpointInput#readString}). */
    void putString(String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        putInt(bytes.length);
        for (int at = 0; at < bytes.length; ) {
            int chunk = Math.min(bytes.length - at, room(1).remaining());
            buffer.put(bytes, at, chunk);
            at += chunk;
        }
    }

    /** Writes what is buffered and then the checksum of everything written before it; returns the file's length. */
    long finish() throws IOException {
        flush();
        buffer.putLong(crc.getValue()).flip();
        writeFully();
        return written;
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    private void flush() throws IOException {
        crc.update(buffer.array(), 0, buffer.position());
        buffer.flip();
        writeFully();
    }

    private void writeFully() throws IOException {
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        buffer.clear();
    }
}
