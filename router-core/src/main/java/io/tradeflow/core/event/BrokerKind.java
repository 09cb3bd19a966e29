package io.tradeflow.core.event;

/** The brokers an account can route to. */
public enum BrokerKind {
    PAPER("paper"),
    TRADELOCKER("tradelocker"),
    PROJECTX("projectx"),
    MTX("mtx");

    private static final BrokerKind[] VALUES = values();

    private final String wireName;

    BrokerKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static BrokerKind of(int ordinal) {
        return VALUES[ordinal];
    }

    /** The broker with this wire name (case-insensitive), or null. */
    public static BrokerKind fromWireName(CharSequence name) {
        for (BrokerKind kind : VALUES) {
            if (Ascii.equalsIgnoreCase(name, kind.wireName)) {
                return kind;
            }
        }
        return null;
    }
}
