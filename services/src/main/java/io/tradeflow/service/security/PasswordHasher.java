package io.tradeflow.service.security;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt password hashes. The server uses {@code auth.bcrypt-cost} (12 by default, ~250 ms here);
 * the no-argument constructor (tests) uses 10. A check against an unknown email still runs
 * one bcrypt verification, so response time does not reveal which emails are registered.
 */
public final class PasswordHasher {
    /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MIN_PASSWORD_LENGTH = 8;
    private static final int DEFAULT_COST = 10;

    private final int cost;
    private final String dummyHash;

    public PasswordHasher() {
        this(DEFAULT_COST);
    }

    /** Hashes new passwords with the bcrypt cost {@code cost} (config {@code auth.bcrypt-cost}); old hashes keep theirs. */
    public PasswordHasher(int cost) {
        this.cost = cost;
        this.dummyHash = hash("not-a-real-password-" + System.nanoTime());
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    /**
     * The password rules of a new password chosen by reset (the simulator document's rules): 8 to 72 bytes
     * with an uppercase letter, a lowercase letter and a digit. Null when acceptable, else what is missing.
     */
    public static String strengthProblem(String password) {
        if (!acceptableLength(password)) {
            return "must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_BYTES + " bytes long";
        }
        if (password.chars().noneMatch(Character::isUpperCase)) {
            return "must contain an uppercase letter";
        }
        if (password.chars().noneMatch(Character::isLowerCase)) {
            return "must contain a lowercase letter";
        }
        if (password.chars().noneMatch(Character::isDigit)) {
            return "must contain a digit";
        }
        return null;
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
