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
        CIRCUIT_OPEN
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
