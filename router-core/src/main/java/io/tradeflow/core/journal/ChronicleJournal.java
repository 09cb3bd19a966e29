package io.tradeflow.core.journal;

import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.RingEvent;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The journal on Chronicle Queue: memory-mapped files, so an appended record survives a process
 * crash (kill -9) as soon as the append returns; {@link JournalSync#PER_WRITE} also forces it to
 * the device, to survive a power cut.
 */
public final class ChronicleJournal implements Journal {
    private final ChronicleQueue queue;
    private ExcerptAppender appender;

    public ChronicleJournal(Path directory, JournalSync sync) {
        this.queue = SingleChronicleQueueBuilder.binary(directory)
                .syncMode(sync == JournalSync.PER_WRITE ? SyncMode.SYNC : SyncMode.NONE)
                .build();
    }

    @Override
    public long append(RingEvent event) {
        if (appender == null) {
            // Appenders are bound to the thread that creates them: the ring consumer.
            appender = queue.createAppender();
        }
        try (DocumentContext dc = appender.writingDocument()) {
            JournalCodec.write(event, dc.wire().bytes());
        }
        return appender.lastIndexAppended();
    }

    @Override
    public JournalReader readerAfter(long index) {
        ExcerptTailer tailer = queue.createTailer();
        if (index != 0 && tailer.moveToIndex(index)) {
            try (DocumentContext skip = tailer.readingDocument()) {
                // Positioned on the last applied record: consume it, so reading starts after it.
                skip.isPresent();
            }
        } else if (index != 0) {
            throw new IllegalStateException("journal has no record at index " + index
                    + "; it does not match the database projection");
        }
        return new ChronicleReader(tailer);
    }

    @Override
    public long lastIndex() {
        long last = queue.lastIndex();
        return last < 0 ? 0 : last;
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }

    private static final class ChronicleReader implements JournalReader {
        private final ExcerptTailer tailer;

        ChronicleReader(ExcerptTailer tailer) {
            this.tailer = tailer;
        }

        @Override
        public boolean next(RingEvent into) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                JournalCodec.read(dc.wire().bytes(), into);
                into.journalIndex = dc.index();
                return true;
            }
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
