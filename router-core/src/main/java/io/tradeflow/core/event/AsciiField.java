package io.tradeflow.core.event;

import java.nio.charset.StandardCharsets;

/**
 * A fixed-capacity, reusable ASCII string held in a pre-allocated array, so events can carry
 * symbols and ids without allocating a String per alert.
 */
public final class AsciiField implements CharSequence {
    private final byte[] bytes;
    private int length;

    public AsciiField(int capacity) {
        this.bytes = new byte[capacity];
    }

    public int capacity() {
        return bytes.length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        return (char) bytes[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public void clear() {
        length = 0;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** Raw access for codecs; only the first {@link #length()} bytes are meaningful. */
    public byte[] array() {
        return bytes;
    }

    /** Copies {@code len} bytes into this field; returns false (and clears) when they do not fit. */
    public boolean set(byte[] source, int offset, int len) {
        if (len > bytes.length) {
            length = 0;
            return false;
        }
        System.arraycopy(source, offset, bytes, 0, len);
        length = len;
        return true;
    }

    /** Copies ASCII chars, optionally upper-casing; returns false for non-ASCII or overflow. */
    public boolean set(char[] source, int offset, int len, boolean upperCase) {
        if (len > bytes.length) {
            length = 0;
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = source[offset + i];
            if (c > 126 || c < 32) {
                length = 0;
                return false;
            }
            bytes[i] = (byte) (upperCase ? Ascii.toUpper(c) : c);
        }
        length = len;
        return true;
    }

    public boolean set(CharSequence value) {
        int len = value.length();
        if (len > bytes.length) {
            length = 0;
            return false;
        }
        for (int i = 0; i < len; i++) {
            bytes[i] = (byte) value.charAt(i);
        }
        length = len;
        return true;
    }

    public void copyFrom(AsciiField other) {
        System.arraycopy(other.bytes, 0, bytes, 0, other.length);
        length = other.length;
    }

    /** Whether the content equals {@code other[0, otherLength)}. */
    public boolean contentEquals(byte[] other, int otherLength) {
        if (otherLength != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] != other[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean contentEquals(byte[] other) {
        if (other.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[i] != other[i]) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a hash of the content, stable across runs. */
    public int contentHash() {
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) {
            h ^= bytes[i];
            h *= 0x01000193;
        }
        return h;
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
