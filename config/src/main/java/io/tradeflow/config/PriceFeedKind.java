package io.tradeflow.config;

/** Where the router's operator price feed comes from. HOCON values: {@code none}, {@code csv}. */
public enum PriceFeedKind {
    /** No feed: paper orders and stops are triggered only by prices alerts carry. */
    NONE,
    /** Replays {@code timestamp,symbol,price} lines of a CSV file (back-tests, demos, tests). */
    CSV
}
