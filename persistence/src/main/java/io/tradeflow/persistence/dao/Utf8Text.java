package io.tradeflow.persistence.dao;

/**
 * UTF-8 bytes made acceptable to a PostgreSQL {@code text} value without decoding them into a
 * String: PostgreSQL refuses a value holding invalid UTF-8 or a NUL byte, and in a COPY one
 * refused value fails every row of it.
 *
 * <p>{@link #copyValid} replaces each malformed sequence with U+FFFD exactly where and as often as
 * {@code new String(bytes, UTF_8)} does (JDK 17: a lead byte whose sequence breaks off is one
 * U+FFFD together with the continuation bytes it accepted; an encoded surrogate is one U+FFFD; a
 * sequence cut by the end of the input is one U+FFFD), so what is stored is what the String path
 * stored. NUL (U+0000, valid UTF-8 but refused by PostgreSQL) becomes U+FFFD too, rather than
 * disappearing: a reader of the stored text sees that something was there.
 */
public final class Utf8Text {
    /** Bytes {@link #copyValid} may write per input byte (a single bad byte becomes U+FFFD, 3 bytes). */
    public static final int MAX_EXPANSION = 3;
    private static final byte R0 = (byte) 0xEF;
    private static final byte R1 = (byte) 0xBF;
    private static final byte R2 = (byte) 0xBD;

    private Utf8Text() {
    }

    /**
     * {@code length} less a multi-byte character the end of the range cuts short (its lead byte and
     * the continuation bytes present, when they could still become a valid character): for bytes
     * cut at a cap, so the cut drops the partial character instead of storing U+FFFD for it.
     */
    public static int withoutCutCharacter(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int back = 1; back <= 3 && back <= length; back++) {
            int b = bytes[end - back] & 0xFF;
            if (b < 0x80) {
                return length;
            }
            if (b >= 0xC0) {
                int lead = end - back;
                int needed = sequenceLength(b);
                return needed > back && validPrefix(bytes, lead, end) ? length - back : length;
            }
        }
        return length;
    }

    /**
     * Copies {@code src[offset, offset + length)} to {@code dst} from {@code dstOffset} as valid
     * UTF-8 without NUL (see the class comment); {@code dst} must have room for
     * {@code MAX_EXPANSION * length} bytes. Returns the end of what was written.
     */
    public static int copyValid(byte[] src, int offset, int length, byte[] dst, int dstOffset) {
        int end = offset + length;
        int i = offset;
        int d = dstOffset;
        while (i < end) {
            // The common case, ASCII without NUL, as one run.
            int run = i;
            while (run < end && src[run] > 0) {
                run++;
            }
            System.arraycopy(src, i, dst, d, run - i);
            d += run - i;
            i = run;
            if (i == end) {
                break;
            }
            int valid = validLength(src, i, end);
            if (valid > 1) {
                System.arraycopy(src, i, dst, d, valid);
                d += valid;
                i += valid;
            } else {
                dst[d++] = R0;
                dst[d++] = R1;
                dst[d++] = R2;
                i += valid == 1 ? 1 : malformedLength(src, i, end);
            }
        }
        return d;
    }

    /**
     * The code point of the valid sequence at {@code i} (before {@code end}), or -1 when the bytes
     * there are malformed (what a decoder turns into U+FFFD).
     */
    public static int codePointAt(byte[] bytes, int i, int end) {
        int n = validLength(bytes, i, end);
        int b = bytes[i] & 0xFF;
        switch (n) {
            case 1:
                return b;
            case 2:
                return (b & 0x1F) << 6 | bytes[i + 1] & 0x3F;
            case 3:
                return (b & 0x0F) << 12 | (bytes[i + 1] & 0x3F) << 6 | bytes[i + 2] & 0x3F;
            case 4:
                return (b & 0x07) << 18 | (bytes[i + 1] & 0x3F) << 12 | (bytes[i + 2] & 0x3F) << 6 | bytes[i + 3] & 0x3F;
            default:
                return -1;
        }
    }

    /**
     * The length of the well-formed sequence at {@code i}: 1 for ASCII, 2 to 4 for a multi-byte
     * character (shortest form, no surrogate, at most U+10FFFF), 0 when malformed or cut by
     * {@code end}. NUL counts as ASCII here; {@link #copyValid} replaces it.
     */
    static int validLength(byte[] bytes, int i, int end) {
        int b = bytes[i] & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        int n = sequenceLength(b);
        if (n == 0 || i + n > end || !validPrefix(bytes, i, i + n)) {
            return 0;
        }
        return n;
    }

    /** The sequence length a lead byte announces (2 to 4), 0 for a byte that cannot lead one. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether {@code bytes[lead, end)} is a lead byte and continuations that a valid character can start with. */
    private static boolean validPrefix(byte[] bytes, int lead, int end) {
        int b = bytes[lead] & 0xFF;
        if (sequenceLength(b) == 0) {
            return false;
        }
        for (int k = lead + 1; k < end; k++) {
            if (!continuation(bytes[k])) {
                return false;
            }
        }
        if (end - lead < 2) {
            return true;
        }
        int second = bytes[lead + 1] & 0xFF;
        return secondByteAllowed(b, second);
    }

    /** The second byte's narrower range after E0 (no overlong), ED (no surrogate), F0 (no overlong), F4 (at most U+10FFFF). */
    private static boolean secondByteAllowed(int lead, int second) {
        switch (lead) {
            case 0xE0:
                return second >= 0xA0;
            case 0xED:
                return second <= 0x9F;
            case 0xF0:
                return second >= 0x90;
            case 0xF4:
                return second <= 0x8F;
            default:
                return true;
        }
    }

    /**
     * How many bytes {@code new String(bytes, UTF_8)} (JDK 17) replaces with one U+FFFD at a
     * malformed non-ASCII position {@code i}: the lead byte with the continuation bytes it still
     * accepted, all that is left when the input ends inside the sequence, and an encoded surrogate
     * (ED A0..BF xx) as a whole.
     */
    private static int malformedLength(byte[] bytes, int i, int end) {
        int b = bytes[i] & 0xFF;
        int left = end - i;
        if (b >= 0xC2 && b <= 0xDF) {
            return 1; // its second byte is not a continuation (re-read as the next character) or missing
        }
        if (b >= 0xE0 && b <= 0xEF) {
            return malformed3(bytes, i, b, left);
        }
        if (b >= 0xF0 && b <= 0xF7) {
            return malformed4(bytes, i, b, left);
        }
        return 1;
    }

    private static int malformed3(byte[] bytes, int i, int b, int left) {
        boolean secondBad = left >= 2 && (!continuation(bytes[i + 1]) || b == 0xE0 && (bytes[i + 1] & 0xFF) < 0xA0);
        if (left >= 3) {
            if (secondBad) {
                return 1;
            }
            // Both continuations present: the third one broke it off, or it is a surrogate (one U+FFFD for all three).
            return continuation(bytes[i + 2]) ? 3 : 2;
        }
        return secondBad ? 1 : left;
    }

    private static int malformed4(byte[] bytes, int i, int b, int left) {
        boolean secondBad = b > 0xF4 || left >= 2 && (!continuation(bytes[i + 1]) || !secondByteAllowed(b, bytes[i + 1] & 0xFF));
        if (secondBad) {
            return 1;
        }
        if (left >= 4) {
            return continuation(bytes[i + 2]) ? 3 : 2;
        }
        // Cut by the end: the lead and its second byte, then all the rest unless a third byte breaks it off.
        return left >= 3 && !continuation(bytes[i + 2]) ? 2 : left;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
