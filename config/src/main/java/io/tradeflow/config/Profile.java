package io.tradeflow.config;

/**
 * Deployment profile. Demo exists so a first run works with zero setup (secrets are generated on the fly);
 * production refuses to start unless the operator has supplied every secret. HOCON values: {@code demo},
 * {@code production}.
 */
public enum Profile {
    DEMO,
    PRODUCTION
}
