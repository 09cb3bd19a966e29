package io.tradeflow.config;

import java.time.Duration;

/**
 * Settings for projecting journal entries into the database off the hot path.
 *
 * @param batchSize    journal entries written per database batch (1..10000)
 * @param pollInterval pause between polls when the journal has nothing new (positive)
 */
public record ProjectionConfig(int batchSize, Duration pollInterval) {
}
