package io.tradeflow.broker.api;

import io.tradeflow.core.event.StopMode;

/** A stop-loss or take-profit as the alert expressed it: an absolute price or a distance. */
public record Protection(StopMode mode, double value) {
    public static final Protection NONE = new Protection(StopMode.NONE, 0);

    public boolean isSet() {
        return mode != StopMode.NONE;
    }

    public static Protection price(double price) {
        return new Protection(StopMode.PRICE, price);
    }

    public static Protection ticks(double ticks) {
        return new Protection(StopMode.TICKS, ticks);
    }
}
