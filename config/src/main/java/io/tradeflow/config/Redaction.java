package io.tradeflow.config;

/** Keeps secrets out of log lines and error messages while still showing whether one was set. */
final class Redaction {

    /** Shown instead of a secret's value. */
    static final String REDACTED = "<redacted>";

    private Redaction() {
    }

    /** Returns {@code ""} (quoted) for an empty secret so "unset" stays visible, otherwise a fixed placeholder. */
    static String redact(String secret) {
        return secret.isEmpty() ? "\"\"" : REDACTED;
    }
}
