package io.tradeflow.core.feed;

/**
 * A source of market prices for the paper broker's triggers (pending orders, stops, targets,
 * trails). Runs on its own thread: {@link #start} returns at once; {@link #close} stops it and
 * waits for its thread, so the server stops the feed before the ring it publishes into.
 */
public interface PriceFeed extends AutoCloseable {
    void start(PriceSink sink);

    @Override
    void close();
}
