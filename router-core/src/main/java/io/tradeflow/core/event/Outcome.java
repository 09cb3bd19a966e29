package io.tradeflow.core.event;

/**
 * The decision for an event, with the HTTP status the webhook answers with. The codes are the
 * public error codes of the webhook contract.
 */
public enum Outcome {
    PENDING(0),
    ACCEPTED(200),
    INVALID_PAYLOAD(400),
    UNAUTHORIZED(401),
    ACCOUNT_DISABLED(403),
    TRIAL_LIMIT(403),
    TRIAL_EXPIRED(403),
    RISK_REJECTED(403),
    DUPLICATE(409),
    PAYLOAD_TOO_LARGE(413),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500),
    BROKER_ERROR(502),
    OVERLOADED(503),
    // Journal codes live in io.tradeflow.core.journal.JournalCodes, whatever the order here.
    /** A used idempotency key arrived with a different body. */
    IDEMPOTENCY_CONFLICT(422),
    /** The signal's own time is older than the account's max signal age. */
    STALE_SIGNAL(422),
    /** The alert came from an address outside the account's allowed sources. */
    SOURCE_NOT_ALLOWED(403),
    /**
     * A real broker's place-order answer proved nothing (timeout, reset, 5xx, unreadable) and the
     * order was not found by its client tag within the re-check window: it may or may not exist at
     * the broker. Never re-sent; reconciliation settles it.
     */
    BROKER_OUTCOME_UNKNOWN(502),
    /** The user's plan lapsed (a failed payment's grace period ended, or the subscription ended): entries refused. */
    PLAN_LAPSED(403),
    /** The plan's entry alerts per day are used up. */
    PLAN_LIMIT(403),
    /** An admin suspended the user: every alert is refused. */
    USER_SUSPENDED(403);

    private static final Outcome[] VALUES = values();

    private final int httpStatus;

    Outcome(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean isAccepted() {
        return this == ACCEPTED;
    }

    public static Outcome of(int ordinal) {
        return VALUES[ordinal];
    }
}
