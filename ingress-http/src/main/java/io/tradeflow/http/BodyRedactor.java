package io.tradeflow.http;

import io.tradeflow.persistence.dao.Utf8Text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A request body without its API key, redacted in its UTF-8 bytes into a reusable buffer: no
 * String, regex or allocation per body (the webhook log's writer does this for every alert).
 *
 * <p>Removes, in this order, exactly what the regexes over the decoded String it replaces did (for
 * valid UTF-8 the result is byte for byte theirs: the tests keep them as {@code RegexRedaction} and
 * compare over generated bodies):
 * <ol>
 *   <li>the value of each JSON {@code "api_key"} field, any spacing around the colon
 *       ({@code \s}: space, tab, LF, VT, FF, CR), escaped characters included (a backslash before
 *       a line terminator, or at the end, ends no value: that field is left as it is);</li>
 *   <li>for a body that is not JSON (does not start with '{' after leading whitespace, as
 *       {@link Character#isWhitespace} has it): the leading whitespace and the first
 *       comma-separated field, the PineConnector line's key;</li>
 *   <li>anything shaped like a TradeFlow key, {@code tf_} and 4 or more of {@code [A-Za-z0-9_-]}
 *       (also a key cut short by the cap).</li>
 * </ol>
 * Every boundary it looks for is an ASCII byte, which never occurs inside a multi-byte UTF-8
 * character, so scanning bytes finds what scanning characters found. Invalid UTF-8 is passed
 * through as it is, for {@link Utf8Text#copyValid} to replace when it is stored. A key in the URL
 * or the Authorization header is not part of the body.
 *
 * <p>Not thread-safe: one per writer thread.
 */
public final class BodyRedactor {
    private static final byte[] REDACTED = "[REDACTED]".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] API_KEY = "\"api_key\"".getBytes(StandardCharsets.US_ASCII);
    /** At least 4 key characters after {@code tf_}. */
    private static final int MIN_KEY_TAIL = 4;

    /** After step 1 (the JSON field); steps 2 and 3 write into {@link #output}. */
    private byte[] fields = new byte[2 * WebhookCapture.MAX_BODY];
    private byte[] output = new byte[3 * WebhookCapture.MAX_BODY];
    private int fieldsLength;
    private int outputLength;

    /** Redacts {@code body[0, length)}; returns the length of the result in {@link #output()}. */
    public int redact(byte[] body, int length) {
        redactJsonKeys(body, length);
        int start = 0;
        int from = firstFieldEnd();
        outputLength = 0;
        if (from >= 0) {
            append(REDACTED, 0, REDACTED.length);
            start = from;
        }
        redactKeyShapes(start);
        return outputLength;
    }

    /** The buffer holding the last result (valid until the next {@link #redact}). */
    public byte[] output() {
        return output;
    }

    /** Step 1: {@code body} into {@link #fields}, each JSON api_key value replaced. */
    private void redactJsonKeys(byte[] body, int length) {
        fieldsLength = 0;
        int copied = 0;
        int at = indexOf(body, length, 0);
        while (at >= 0) {
            int valueStart = jsonValueStart(body, length, at + API_KEY.length);
            int valueEnd = valueStart < 0 ? -1 : jsonStringEnd(body, length, valueStart);
            if (valueEnd < 0) {
                // No api_key field here; another may begin inside this one (its closing quote).
                at = indexOf(body, length, at + 1);
                continue;
            }
            appendFields(body, copied, valueStart - copied);
            appendFields(REDACTED, 0, REDACTED.length);
            copied = valueEnd;
            at = indexOf(body, length, valueEnd + 1);
        }
        appendFields(body, copied, length - copied);
    }

    /** After {@code "api_key"}: spaces, ':', spaces, '"'; the index after that quote, or -1. */
    private static int jsonValueStart(byte[] b, int length, int from) {
        int i = skipSpaces(b, length, from);
        if (i >= length || b[i] != ':') {
            return -1;
        }
        i = skipSpaces(b, length, i + 1);
        return i < length && b[i] == '"' ? i + 1 : -1;
    }

    /** The index of the quote closing a JSON string's content starting at {@code from}, or -1 when it never closes. */
    private static int jsonStringEnd(byte[] b, int length, int from) {
        int i = from;
        while (i < length) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                // An escape takes any character but a line terminator (the regex's '.').
                if (i + 1 >= length || lineTerminatorAt(b, i + 1, length)) {
                    return -1;
                }
                i += 2;
            } else {
                i++;
            }
        }
        return -1;
    }

    /** \n, \r, U+0085, U+2028 or U+2029 at {@code i}. */
    private static boolean lineTerminatorAt(byte[] b, int i, int length) {
        byte c = b[i];
        if (c == '\n' || c == '\r') {
            return true;
        }
        if (c == (byte) 0xC2) {
            return i + 1 < length && b[i + 1] == (byte) 0x85;
        }
        return c == (byte) 0xE2 && i + 2 < length && b[i + 1] == (byte) 0x80
                && (b[i + 2] == (byte) 0xA8 || b[i + 2] == (byte) 0xA9);
    }

    private static int skipSpaces(byte[] b, int length, int from) {
        int i = from;
        while (i < length && (b[i] == ' ' || b[i] >= '\t' && b[i] <= '\r')) {
            i++;
        }
        return i;
    }

    /**
     * Step 2: where the kept part of {@link #fields} starts after the PineConnector key (at its
     * first comma, or the end), or -1 when nothing is replaced: a JSON body, only whitespace, or a
     * comma first.
     */
    private int firstFieldEnd() {
        int i = 0;
        while (i < fieldsLength) {
            int cp = Utf8Text.codePointAt(fields, i, fieldsLength);
            if (cp < 0 || !Character.isWhitespace(cp)) {
                break;
            }
            i += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        if (i == fieldsLength || fields[i] == '{') {
            return -1;
        }
        int end = i;
        while (end < fieldsLength && fields[end] != ',') {
            end++;
        }
        return end > i ? end : -1;
    }

    /** Step 3: {@code fields[from, fieldsLength)} onto {@link #output}, each key-shaped run replaced. */
    private void redactKeyShapes(int from) {
        int copied = from;
        int i = from;
        while (i + 2 < fieldsLength) {
            if (fields[i] == 't' && fields[i + 1] == 'f' && fields[i + 2] == '_') {
                int end = i + 3;
                while (end < fieldsLength && keyCharacter(fields[end])) {
                    end++;
                }
                if (end - (i + 3) >= MIN_KEY_TAIL) {
                    append(fields, copied, i - copied);
                    append(REDACTED, 0, REDACTED.length);
                    copied = end;
                    i = end;
                    continue;
                }
            }
            i++;
        }
        append(fields, copied, fieldsLength - copied);
    }

    private static boolean keyCharacter(byte c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /** The first {@code "api_key"} in {@code b[from, length)}, or -1. */
    private static int indexOf(byte[] b, int length, int from) {
        int last = length - API_KEY.length;
        for (int i = from; i <= last; i++) {
            if (b[i] == '"' && matchesApiKey(b, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matchesApiKey(byte[] b, int at) {
        for (int k = 1; k < API_KEY.length; k++) {
            if (b[at + k] != API_KEY[k]) {
                return false;
            }
        }
        return true;
    }

    private void appendFields(byte[] src, int from, int count) {
        if (fieldsLength + count > fields.length) {
            fields = Arrays.copyOf(fields, Math.max(2 * fields.length, fieldsLength + count));
        }
        System.arraycopy(src, from, fields, fieldsLength, count);
        fieldsLength += count;
    }

    private void append(byte[] src, int from, int count) {
        if (outputLength + count > output.length) {
            output = Arrays.copyOf(output, Math.max(2 * output.length, outputLength + count));
        }
        System.arraycopy(src, from, output, outputLength, count);
        outputLength += count;
    }
}
