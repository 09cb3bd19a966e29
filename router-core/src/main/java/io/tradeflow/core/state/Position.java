package io.tradeflow.core.state;

/** A net position of one account in one symbol. Positive quantity is long, negative short. */
public final class Position {
    private final long accountId;
    private final int symbolId;
    double quantity;
    double averagePrice;
    /** Entries in the current direction (1 after opening, +1 per same-direction add); 0 when flat. */
    int entries;
    /** Stop-loss and take-profit prices (0 = none); cleared when the position goes flat. */
    double stopLoss;
    double takeProfit;
    /**
     * Trailing distance in price units (0 = the stop does not trail). The stop loss follows the price
     * by this much and never moves back; the distance is journaled so it survives a restart.
     */
    double trailDistance;

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

    public double stopLoss() {
        return stopLoss;
    }

    public double takeProfit() {
        return takeProfit;
    }

    public double trailDistance() {
        return trailDistance;
    }

    /** Whether a price can close or move this position (a stop, a target or a trail is set). */
    public boolean isArmed() {
        return quantity != 0 && (stopLoss > 0 || takeProfit > 0 || trailDistance > 0);
    }

    public int entries() {
        return entries;
    }

    public boolean isFlat() {
        return quantity == 0;
    }
}
