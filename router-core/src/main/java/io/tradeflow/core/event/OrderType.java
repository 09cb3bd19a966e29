package io.tradeflow.core.event;

/** Order type (unify.v1 {@code intent.type}). */
public enum OrderType {
    MARKET("market"),
    LIMIT("limit"),
    STOP("stop");

    private static final OrderType[] VALUES = values();

    private final String wireName;

    OrderType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static OrderType of(int ordinal) {
        return VALUES[ordinal];
    }
}
