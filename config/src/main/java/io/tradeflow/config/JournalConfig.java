package io.tradeflow.config;

import java.nio.file.Path;

/**
 * Order journal settings.
 *
 * @param enabled whether accepted orders are journaled
 * @param path    absolute, normalized journal directory ({@code <dataDir>/journal} unless the operator set one)
 * @param sync    how hard each write is pushed to disk
 */
public record JournalConfig(boolean enabled, Path path, JournalSync sync) {
}
