package io.tradeflow.config;

/**
 * Durability of journal writes. Forcing every write to disk costs latency, so it is opt-in.
 * HOCON values: {@code none}, {@code per-write}.
 */
public enum JournalSync {
    /** Leave flushing to the operating system; an OS crash may lose the most recent entries. */
    NONE,
    /** Force each entry to the storage device before acknowledging it. */
    PER_WRITE
}
