package io.tradeflow.config;

import java.nio.file.Path;

/**
 * The operator's price feed, which triggers every paper account's pending orders, stop losses, take
 * profits and trailing stops (an alert's price triggers only its own account's).
 *
 * @param feed     which feed runs
 * @param csvPath  the CSV file a {@code csv} feed replays (absolute); null for other feeds
 * @param csvSpeed pacing of the replay: 0 publishes as fast as the ring takes the prices, otherwise
 *                 the gaps between the lines' timestamps are waited out divided by this factor
 *                 (1 = real time, 60 = a minute per second)
 */
public record PricesConfig(PriceFeedKind feed, Path csvPath, double csvSpeed) {
}
