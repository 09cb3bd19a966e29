package io.tradeflow.config;

/**
 * Order ring-buffer settings.
 *
 * @param size         number of slots; always a power of two (64..4194304) so indexing can use a bit mask
 * @param waitStrategy how consumers wait for new events
 */
public record RingConfig(int size, WaitStrategyKind waitStrategy) {
}
