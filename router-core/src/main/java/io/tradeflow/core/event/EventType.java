package io.tradeflow.core.event;

/** The kinds of event that travel through the ring, in one ordered stream. */
public enum EventType {
    /** A trading alert received from a webhook. */
    INTENT,
    /** A dashboard or launcher command that changes routing state (key added, account toggled, ...). */
    CONTROL,
    /** A result reported asynchronously by a broker connector. */
    BROKER_REPORT,
    /** A clock tick used by time-driven rules. */
    TIMER;

    private static final EventType[] VALUES = values();

    public static EventType of(int ordinal) {
        return VALUES[ordinal];
    }
}
