package io.tradeflow.persistence;

import java.util.StringJoiner;

/**
 * Wall time of consecutive start-up phases, for the log: an operator reads where a restart's seconds
 * went ("accounts 3 ms, positions 1 ms, …") without a profiler. Not thread-safe; one per start.
 */
public final class PhaseTimes {
    private final long startNanos = System.nanoTime();
    private long lapNanos = startNanos;
    private final StringJoiner laps = new StringJoiner(", ");

    /** Ends the current phase under {@code name} and returns its milliseconds. */
    public long lap(String name) {
        long now = System.nanoTime();
        long millis = (now - lapNanos) / 1_000_000;
        lapNanos = now;
        laps.add(name + " " + millis + " ms");
        return millis;
    }

    /** Milliseconds since this was made. */
    public long totalMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return laps.toString();
    }
}
