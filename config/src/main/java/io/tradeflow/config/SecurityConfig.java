package io.tradeflow.config;

/**
 * Secrets. Both are required in the production profile; in the demo profile an empty value means "generate one".
 *
 * @param credentialKey key that encrypts stored broker credentials, or {@code ""} (demo only)
 * @param jwtSecret     secret that signs session tokens, or {@code ""} (demo only)
 */
public record SecurityConfig(String credentialKey, String jwtSecret) {

    /** Redacts both secrets, because configs get logged at start-up. */
    @Override
    public String toString() {
        return "SecurityConfig[credentialKey=" + Redaction.redact(credentialKey)
                + ", jwtSecret=" + Redaction.redact(jwtSecret) + "]";
    }
}
