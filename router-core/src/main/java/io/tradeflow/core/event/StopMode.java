package io.tradeflow.core.event;

/** How a stop-loss or take-profit value is expressed (ALERTS.md). */
public enum StopMode {
    NONE("none"),
    PRICE("price"),
    PIPS("pips"),
    TICKS("ticks"),
    PERCENT("percent"),
    RR("rr"),
    TRAIL("trail"),
    /** A distance in price units from the entry (TradersPost {@code amount}). */
    OFFSET("offset");

    private static final StopMode[] VALUES = values();

    private final String wireName;

    StopMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static StopMode of(int ordinal) {
        return VALUES[ordinal];
    }

    public static StopMode[] all() {
        return VALUES;
    }
}
