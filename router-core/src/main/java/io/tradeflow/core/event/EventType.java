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
    TIMER,
    // Journal codes live in io.tradeflow.core.journal.JournalCodes, whatever the order here.
    /** A price of a symbol from the operator's price feed; triggers every paper account's orders and stops. */
    PRICE,
    /**
     * A fill the router made itself when a price reached a pending order, a stop loss, a take
     * profit or a trailing stop. Never published on the ring: the routing handler journals it right
     * after the event whose price caused it, with its absolute results, so replay restores it.
     */
    TRIGGERED,
    /**
     * Asks the ring thread for a running replay checkpoint ({@code RoutingHandler.checkpointsTo}). Never journaled and
     * never decided: it only marks the point in the ring where the state is read.
     */
    CHECKPOINT;

    private static final EventType[] VALUES = values();

    public static EventType of(int ordinal) {
        return VALUES[ordinal];
    }
}
