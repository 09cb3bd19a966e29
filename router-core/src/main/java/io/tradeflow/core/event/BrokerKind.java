package io.tradeflow.core.event;

/** The brokers an account can route to. */
public enum BrokerKind {
    PAPER("paper", "paper"),
    TRADELOCKER("tradelocker", "tradelocker"),
    /** Topstep's platform: the product documents call it {@code topstep}. */
    PROJECTX("projectx", "topstep"),
    MTX("mtx", "mtx");

    private static final BrokerKind[] VALUES = values();

    private final String wireName;
    private final String alias;

    BrokerKind(String wireName, String alias) {
        this.wireName = wireName;
        this.alias = alias;
    }

    /** Another name the product documents use for the broker in paths and bodies (its wire name when none). */
    public String alias() {
        return alias;
    }

    public String wireName() {
        return wireName;
    }

    public static BrokerKind of(int ordinal) {
        return VALUES[ordinal];
    }

    /** The broker with this wire name or alias (case-insensitive), or null. */
    public static BrokerKind fromWireName(CharSequence name) {
        for (BrokerKind kind : VALUES) {
            if (Ascii.equalsIgnoreCase(name, kind.wireName) || Ascii.equalsIgnoreCase(name, kind.alias)) {
                return kind;
            }
        }
        return null;
    }
}
