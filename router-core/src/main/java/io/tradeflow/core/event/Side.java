package io.tradeflow.core.event;

/** Order side. */
public enum Side {
    BUY("buy", 1),
    SELL("sell", -1);

    private final String wireName;
    private final int sign;

    Side(String wireName, int sign) {
        this.wireName = wireName;
        this.sign = sign;
    }

    public String wireName() {
        return wireName;
    }

    /** +1 for buy, -1 for sell: the sign of the position change. */
    public int sign() {
        return sign;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }

    public static Side of(int ordinal) {
        return ordinal == 0 ? BUY : SELL;
    }
}
