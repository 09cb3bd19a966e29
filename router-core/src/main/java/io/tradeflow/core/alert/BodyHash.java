package io.tradeflow.core.alert;

/**
 * 64-bit FNV-1a of a webhook body with trailing blanks ignored (TradingView adds a newline some
 * clients do not), so "same key, same body" survives that difference. Not a security hash: it only
 * tells an honest retry from a different alert sent under a reused idempotency key.
 */
public final class BodyHash {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private BodyHash() {
    }

    public static long of(byte[] body, int offset, int length) {
        int end = offset + length;
        while (end > offset && (body[end - 1] == ' ' || body[end - 1] == '\n' || body[end - 1] == '\r' || body[end - 1] == '\t')) {
            end--;
        }
        long h = OFFSET_BASIS;
        for (int i = offset; i < end; i++) {
            h ^= body[i] & 0xFF;
            h *= PRIME;
        }
        return h;
    }
}
