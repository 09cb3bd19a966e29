package io.tradeflow.core.alert;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of API keys, reusing one digest and scratch buffer: one instance per thread. The router
 * never keeps or journals a key, only this hash.
 */
public final class KeyHasher {
    private static final int MAX_KEY_LENGTH = 256;

    private final MessageDigest sha256;
    private final byte[] scratch = new byte[MAX_KEY_LENGTH];

    public KeyHasher() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** Hashes the ASCII key in {@code chars[offset, offset+length)} into {@code out}; false if it is not a plausible key. */
    public boolean hash(char[] chars, int offset, int length, byte[] out) {
        if (length == 0 || length > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c <= ' ' || c > '~') {
                return false;
            }
            scratch[i] = (byte) c;
        }
        return digest(scratch, 0, length, out);
    }

    public boolean hash(CharSequence key, byte[] out) {
        return hash(key, 0, key.length(), out);
    }

    /** Hashes {@code key[start, end)} without copying it into a new string (the webhook's Authorization header). */
    public boolean hash(CharSequence key, int start, int end, byte[] out) {
        int length = end - start;
        if (length <= 0 || length > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = key.charAt(start + i);
            if (c <= ' ' || c > '~') {
                return false;
            }
            scratch[i] = (byte) c;
        }
        return digest(scratch, 0, length, out);
    }

    private boolean digest(byte[] bytes, int offset, int length, byte[] out) {
        sha256.update(bytes, offset, length);
        try {
            sha256.digest(out, 0, out.length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /** Convenience for the slow path (dashboard, launcher): a fresh 32-byte hash. */
    public static byte[] sha256(String key) {
        byte[] out = new byte[32];
        if (!new KeyHasher().hash(key, out)) {
            throw new IllegalArgumentException("not a valid API key");
        }
        return out;
    }
}
