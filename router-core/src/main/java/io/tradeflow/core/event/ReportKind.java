package io.tradeflow.core.event;

/** What a BROKER_REPORT event tells the router. */
public enum ReportKind {
    /** The broker filled (part of) a router order: book it like a paper fill. */
    FILLED,
    /** The broker refused a router order, or it could not be placed: record why. */
    REJECTED,
    /** Reconciliation: the broker's net position for a symbol, to compare with the router's. */
    POSITION_CHECK,
    // Journal codes live in JournalCodes: a new constant gets the next code there.
    /** A place-order whose outcome stayed unknown after looking for it by tag: record it, change nothing. */
    OUTCOME_UNKNOWN;

    private static final ReportKind[] VALUES = values();

    public static ReportKind of(int ordinal) {
        return VALUES[ordinal];
    }
}
