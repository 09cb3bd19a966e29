package io.tradeflow.broker.api;

/** A broker call that did not succeed, with what kind of failure it was (which decides what to do next). */
public final class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The failure kinds; only transport failures count against the circuit breaker. */
    public enum Kind {
        /** The broker answered and said no (bad symbol, insufficient funds, ...): do not retry. */
        REJECTED,
        /** Credentials refused: the user must fix them. */
        AUTH,
        /** Too many requests; retry after {@link #retryAfterMillis()}. */
        RATE_LIMITED,
        /** No answer in time, or the connection dropped: the broker may or may not have acted. */
        TIMEOUT,
        /** The broker could not be reached or failed (5xx, refused connection). */
        UNAVAILABLE,
        /** Refused without calling the broker because its circuit is open. */
        CIRCUIT_OPEN,
        /**
         * The broker answered, but with a 5xx or a body that cannot be read: a gateway's 502/503/504
         * can come after the broker acted, so for a write this proves nothing either way.
         */
        BAD_ANSWER,
        /**
         * A place-order whose outcome stayed unknown: its answer proved nothing and the order was not
         * found by its client tag within the re-check window. Never re-sent; reconciliation settles it.
         */
        OUTCOME_UNKNOWN
    }

    private final Kind kind;
    private final long retryAfterMillis;

    public BrokerException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public BrokerException(Kind kind, String message, Throwable cause) {
        this(kind, message, 0, cause);
    }

    public BrokerException(Kind kind, String message, long retryAfterMillis, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfterMillis = retryAfterMillis;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the broker may have acted on the call although it failed: no answer in time, a dropped
     * connection, a 5xx or an unreadable answer. Only a refused connection (nothing sent), an explicit
     * refusal, a 401 or a 429 prove a write was not carried out.
     */
    public boolean mayHaveActed() {
        return kind == Kind.TIMEOUT || kind == Kind.BAD_ANSWER || kind == Kind.OUTCOME_UNKNOWN;
    }

    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** Unwraps CompletionException layers to the BrokerException inside, or wraps an unexpected failure. */
    public static BrokerException of(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof BrokerException) {
            return (BrokerException) c;
        }
        return new BrokerException(Kind.UNAVAILABLE, c.toString(), c);
    }
}
