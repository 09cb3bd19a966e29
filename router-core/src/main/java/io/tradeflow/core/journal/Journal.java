package io.tradeflow.core.journal;

import io.tradeflow.core.event.RingEvent;

/**
 * The append-only record of every ring event with its decision, in ring order: the source of
 * truth from which routing state and the database projection can be rebuilt.
 */
public interface Journal extends AutoCloseable {
    /** Appends the event (called only by the ring consumer thread) and returns its index. */
    long append(RingEvent event);

    /** A reader positioned after {@code index} (0 = from the start), for the calling thread. */
    JournalReader readerAfter(long index);

    /** The index of the last record (0 when empty); safe to call from any thread. */
    long lastIndex();

    /** Whether this journal records anything (false when disabled for benchmarks). */
    boolean isDurable();

    @Override
    void close();
}
