package io.tradeflow.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Order journal settings.
 *
 * @param enabled whether accepted orders are journaled
 * @param path    absolute, normalized journal directory ({@code <dataDir>/journal} unless the operator set one)
 * @param sync    how hard each write is pushed to disk
 * @param checkpointEvery how often a replay checkpoint is taken while running, so a restart after a crash reads
 *                        only the journal written since; zero takes one only at a clean stop
 */
public record JournalConfig(boolean enabled, Path path, JournalSync sync, Duration checkpointEvery) {
    /** The default {@code checkpointEvery}. */
    public static final Duration DEFAULT_CHECKPOINT_EVERY = Duration.ofMinutes(5);

    public JournalConfig(boolean enabled, Path path, JournalSync sync) {
        this(enabled, path, sync, DEFAULT_CHECKPOINT_EVERY);
    }
}
