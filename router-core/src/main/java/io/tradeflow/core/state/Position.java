package io.tradeflow.core.state;

/** A net position of one account in one symbol. Positive quantity is long, negative short. */
public final class Position {
    private final long accountId;
    private final int symbolId;
    double quantity;
    double averagePrice;

    Position(long accountId, int symbolId) {
        this.accountId = accountId;
        this.symbolId = symbolId;
    }

    public long accountId() {
        return accountId;
    }

    public int symbolId() {
        return symbolId;
    }

    public double quantity() {
        return quantity;
    }

    public double averagePrice() {
        return averagePrice;
    }

    public boolean isFlat() {
        return quantity == 0;
    }
}
