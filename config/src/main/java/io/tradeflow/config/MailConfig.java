package io.tradeflow.config;

/**
 * Outgoing mail over SMTP (password resets, email verification, email one-time codes, notifications).
 * An empty {@code host} disables mail: the features that need it answer that mail is not configured.
 *
 * @param host     SMTP server, or {@code ""} for no mail
 * @param port     SMTP port
 * @param from     sender address, e.g. {@code TradeFlow <no-reply@example.com>}
 * @param username SMTP login, or {@code ""} for none
 * @param password SMTP password, or {@code ""}
 * @param starttls whether to require STARTTLS
 */
public record MailConfig(String host, int port, String from, String username, String password, boolean starttls) {

    public boolean enabled() {
        return !host.isEmpty();
    }

    /** Redacts the password, because configs get logged at start-up. */
    @Override
    public String toString() {
        return "MailConfig[host=" + host + ", port=" + port + ", from=" + from + ", username=" + username
                + ", password=" + Redaction.redact(password) + ", starttls=" + starttls + "]";
    }
}
