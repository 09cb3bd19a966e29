package io.tradeflow.config;

import java.time.Duration;

/**
 * Order ring-buffer settings.
 *
 * @param size         number of slots; always a power of two (64..4194304) so indexing can use a bit mask
 * @param waitStrategy how consumers wait for new events
 * @param spin         with {@link WaitStrategyKind#SPIN_THEN_PARK}, how long the consumer spins on an empty ring before
 *                     it parks; ignored by the other strategies
 */
public record RingConfig(int size, WaitStrategyKind waitStrategy, Duration spin) {
    /** The default spin of {@link WaitStrategyKind#SPIN_THEN_PARK}. */
    public static final Duration DEFAULT_SPIN = Duration.ofNanos(20_000);

    public RingConfig(int size, WaitStrategyKind waitStrategy) {
        this(size, waitStrategy, DEFAULT_SPIN);
    }
}
