package io.tradeflow.config;

/**
 * Database connection settings.
 *
 * @param url      JDBC URL, or {@code ""} to run an embedded PostgreSQL under the data directory
 * @param user     database user (ignored by the embedded database)
 * @param password database password (ignored by the embedded database)
 * @param poolSize JDBC connections kept open (1..64)
 */
public record DatabaseConfig(String url, String user, String password, int poolSize) {

    /** Whether to start an embedded PostgreSQL, which is the case when no URL was configured. */
    public boolean embedded() {
        return url.isBlank();
    }

    /** Redacts the password, because configs get logged at start-up. */
    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", password=" + Redaction.redact(password)
                + ", poolSize=" + poolSize + "]";
    }
}
