package io.tradeflow.core.feed;

/** Where a price feed delivers its prices (in production: the ring, through {@code PricePublisher}). */
@FunctionalInterface
public interface PriceSink {
    /**
     * Delivers one price of {@code symbol} (the broker's instrument name, as alerts' symbols are
     * after mapping). May wait for room; returns false when the sink is closed and takes no more.
     */
    boolean onPrice(String symbol, double price);
}
