package io.tradeflow.service.account;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates API keys: 192 random bits, URL-safe so they also work as {@code ?key=}. */
public final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "tf_";
    /** How much of a key is stored in clear for display ("tf_AbC12…"): too little to guess the rest. */
    private static final int DISPLAY_PREFIX_LENGTH = 8;

    private ApiKeys() {
    }

    public static String generate() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, key.length()));
    }
}
