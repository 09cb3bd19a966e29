package io.tradeflow.http.response;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Writes small JSON documents straight into a Netty buffer (no intermediate String). */
public final class JsonOut {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ByteBuf buf;
    private boolean needComma;

    public JsonOut(ByteBuf buf) {
        this.buf = buf;
    }

    public JsonOut beginObject() {
        comma();
        buf.writeByte('{');
        needComma = false;
        return this;
    }

    public JsonOut endObject() {
        buf.writeByte('}');
        needComma = true;
        return this;
    }

    public JsonOut name(String name) {
        comma();
        string(name);
        buf.writeByte(':');
        needComma = false;
        return this;
    }

    public JsonOut field(String name, CharSequence value) {
        name(name);
        if (value == null) {
            buf.writeBytes(NULL);
        } else {
            string(value);
        }
        needComma = true;
        return this;
    }

    public JsonOut field(String name, boolean value) {
        name(name);
        buf.writeCharSequence(value ? "true" : "false", StandardCharsets.US_ASCII);
        needComma = true;
        return this;
    }

    public JsonOut field(String name, long value) {
        name(name);
        buf.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        needComma = true;
        return this;
    }

    public JsonOut field(String name, double value) {
        name(name);
        if (Double.isFinite(value)) {
            buf.writeCharSequence(Double.toString(value), StandardCharsets.US_ASCII);
        } else {
            buf.writeBytes(NULL);
        }
        needComma = true;
        return this;
    }

    /** Writes {@code "prefix<number>"}, or null when the number is 0. */
    public JsonOut idField(String name, String prefix, long id) {
        name(name);
        if (id == 0) {
            buf.writeBytes(NULL);
        } else {
            buf.writeByte('"');
            buf.writeCharSequence(prefix, StandardCharsets.US_ASCII);
            buf.writeCharSequence(Long.toString(id), StandardCharsets.US_ASCII);
            buf.writeByte('"');
        }
        needComma = true;
        return this;
    }

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private void comma() {
        if (needComma) {
            buf.writeByte(',');
        }
    }

    private void string(CharSequence s) {
        buf.writeByte('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                buf.writeByte('\\');
                buf.writeByte(c);
            } else if (c < 0x20 || c > 0x7e) {
                if (c > 0x7e && c < 0x800) {
                    // Two-byte UTF-8 for the few non-ASCII characters in messages.
                    buf.writeByte(0xC0 | (c >> 6));
                    buf.writeByte(0x80 | (c & 0x3F));
                } else if (c > 0x7e) {
                    buf.writeByte(0xE0 | (c >> 12));
                    buf.writeByte(0x80 | ((c >> 6) & 0x3F));
                    buf.writeByte(0x80 | (c & 0x3F));
                } else {
                    buf.writeByte('\\');
                    buf.writeByte('u');
                    buf.writeByte('0');
                    buf.writeByte('0');
                    buf.writeByte(HEX[c >> 4]);
                    buf.writeByte(HEX[c & 0xF]);
                }
            } else {
                buf.writeByte(c);
            }
        }
        buf.writeByte('"');
    }
}
