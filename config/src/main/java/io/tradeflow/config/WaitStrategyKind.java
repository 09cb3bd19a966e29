package io.tradeflow.config;

/**
 * How ring-buffer consumers wait for new events; the choice trades CPU usage for latency, so it is left to the
 * operator. HOCON values: {@code blocking}, {@code sleeping}, {@code yielding}, {@code busy-spin},
 * {@code lite-blocking}, {@code spin-then-park}.
 */
public enum WaitStrategyKind {
    /** Parks on a lock; lowest CPU use, highest wake-up latency. */
    BLOCKING,
    /** Spins, then yields, then sleeps briefly; a middle ground for shared hosts. */
    SLEEPING,
    /** Spins and yields the core; low latency while leaving other threads some room. */
    YIELDING,
    /** Spins without pause; lowest latency but consumes a whole core per consumer. */
    BUSY_SPIN,
    /** Parks like {@link #BLOCKING}, but a publisher takes the lock and signals only when the consumer is parked. */
    LITE_BLOCKING,
    /** Spins for {@code ring.spin}, then parks like {@link #LITE_BLOCKING}: catches an event that follows closely. */
    SPIN_THEN_PARK
}
