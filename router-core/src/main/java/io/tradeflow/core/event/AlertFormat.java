package io.tradeflow.core.event;

/** The alert language a webhook body was written in (ALERTS.md); detected from the body. */
public enum AlertFormat {
    UNIFY("unify.v1"),
    TRADERSPOST("traderspost"),
    PINECONNECTOR("pineconnector");

    private static final AlertFormat[] VALUES = values();

    private final String wireName;

    AlertFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AlertFormat of(int ordinal) {
        return VALUES[ordinal];
    }
}
