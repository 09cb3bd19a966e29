package io.tradeflow.core.event;

/** How an alert's size is expressed; the dispatch stage turns every mode into a quantity. */
public enum SizeMode {
    /** Units or lots, as given. */
    QTY("qty"),
    /** A percentage of the account's equity, spent as notional. */
    PERCENT_EQUITY("percent_equity"),
    /** A percentage of equity lost if the stop loss is hit (needs a stop loss). */
    RISK_PERCENT("risk_percent"),
    /** An amount of money spent as notional. */
    NOTIONAL("notional"),
    /** An amount of money lost if the stop loss is hit (TradersPost risk_dollar_amount). */
    RISK_AMOUNT("risk_amount");

    private static final SizeMode[] VALUES = values();

    private final String wireName;

    SizeMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the quantity depends on the stop-loss distance. */
    public boolean needsStopLoss() {
        return this == RISK_PERCENT || this == RISK_AMOUNT;
    }

    public static SizeMode of(int ordinal) {
        return VALUES[ordinal];
    }

    public static SizeMode[] all() {
        return VALUES;
    }
}
