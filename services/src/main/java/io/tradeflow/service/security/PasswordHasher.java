package io.tradeflow.service.security;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt password hashes. A cost of 10 (~50-100 ms here) keeps logins responsive on a two-core
 * machine while making offline guessing expensive. A check against an unknown email still runs
 * one bcrypt verification, so response time does not reveal which emails are registered.
 */
public final class PasswordHasher {
    /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MIN_PASSWORD_LENGTH = 8;
    private static final int COST = 10;

    private final String dummyHash = hash("not-a-real-password-" + System.nanoTime());

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    /** Whether the password matches; {@code storedHash} null means "no such user" (still costs one check). */
    public boolean matches(String password, String storedHash) {
        String hash = storedHash == null ? dummyHash : storedHash;
        boolean verified = BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
        return storedHash != null && verified;
    }

    public static boolean acceptableLength(String password) {
        return password.length() >= MIN_PASSWORD_LENGTH
                && password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES;
    }
}
