package io.tradeflow.core.journal;

import io.tradeflow.core.event.RingEvent;

/** Reads journaled events in order. Each reader belongs to the thread that created it. */
public interface JournalReader extends AutoCloseable {
    /** Decodes the next event into {@code into} (with its journal index); false when none is there yet. */
    boolean next(RingEvent into);

    @Override
    void close();
}
