package io.tradeflow.core.journal;

import io.tradeflow.core.event.RingEvent;

/**
 * A journal that keeps nothing, for benchmarking the ring without disk (config
 * {@code journal.enabled = false}). Nothing survives a restart and nothing is projected.
 */
public final class DisabledJournal implements Journal {
    private volatile long index;

    @Override
    public long append(RingEvent event) {
        long next = index + 1;
        index = next;
        return next;
    }

    @Override
    public long lastIndex() {
        return index;
    }

    @Override
    public JournalReader readerAfter(long index) {
        return new JournalReader() {
            @Override
            public boolean next(RingEvent into) {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public void close() {
    }
}
