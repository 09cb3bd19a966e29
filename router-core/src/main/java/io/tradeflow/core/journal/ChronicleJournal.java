package io.tradeflow.core.journal;

import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.RingEvent;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The journal on Chronicle Queue: memory-mapped files, so an appended record survives a process
 * crash (kill -9) as soon as the append returns; {@link JournalSync#PER_WRITE} also forces it to
 * the device before {@link #append} returns, to survive a power cut.
 *
 * <p>How per-write forces a record. Chronicle's builder {@code syncMode} alone forces nothing per
 * record: it only makes a mapped chunk msync when it is released, or when someone calls the
 * appender's {@code sync()}. {@code StoreAppender.sync()} in turn msyncs only the pages from the
 * last page it synced up to the write position ({@code MappedBytesStore.syncUpTo}). An append also
 * writes behind that range: the store header's write position at the start of the cycle file, and
 * every {@code indexSpacing}-th record an entry in an index array allocated earlier in the file;
 * on Linux an msync of a range writes only that range's dirty pages. So per-write forces the whole
 * cycle file with one {@code fdatasync} ({@link FileChannel#force(boolean) force(false)}), which
 * writes every dirty page of the file, those written through the mapping included (Linux tracks
 * shared-mapping writes as dirty page-cache pages): the record, its index entry and the header, in
 * one call. A new cycle file, and the queue's metadata file, are also forced with the directory
 * entry that names them, once, when they appear. {@code ChronicleJournalTest} checks with the
 * kernel's page-cache counters ({@code cachestat}) that nothing of the file is left dirty when an
 * append returns.
 */
public final class ChronicleJournal implements Journal {
    private final Path directory;
    private final boolean perWrite;
    private final ChronicleQueue queue;
    private ExcerptAppender appender;
    /** Per-write only: the open cycle file being forced, and its cycle. */
    private FileChannel cycleFile;
    private int cycleFileCycle = Integer.MIN_VALUE;

    public ChronicleJournal(Path directory, JournalSync sync) {
        this.directory = directory;
        this.perWrite = sync == JournalSync.PER_WRITE;
        this.queue = SingleChronicleQueueBuilder.binary(directory)
                .syncMode(perWrite ? SyncMode.SYNC : SyncMode.NONE)
                .build();
        if (perWrite) {
            // The metadata file the builder just created, and the directory entries of both.
            forceFile(directory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE));
            forceDirectory(directory);
        }
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
        if (perWrite) {
            forceCycleFile();
        }
        return appender.lastIndexAppended();
    }

    /** Forces every page of the current cycle file (record, index entry, header) to the device. */
    private void forceCycleFile() {
        try {
            int cycle = appender.cycle();
            if (cycleFile == null || cycle != cycleFileCycle) {
                File file = appender.currentFile();
                if (cycleFile != null) {
                    cycleFile.close();
                }
                cycleFile = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                cycleFileCycle = cycle;
                // A new cycle file (once a cycle): its size, the metadata file's listing of the
                // cycles (updated when a cycle file is created) and the directory entry naming it.
                cycleFile.force(true);
                forceFile(directory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE));
                forceDirectory(directory);
            }
            cycleFile.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("journal: could not force " + appender.currentFile() + " to disk", e);
        }
    }

    private static void forceFile(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("journal: could not force " + file + " to disk", e);
        }
    }

    /** fsync of the directory, so a file created in it keeps its name after a power cut (Linux). */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("journal: could not force directory " + dir + " to disk", e);
        }
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
        if (cycleFile != null) {
            try {
                cycleFile.close();
            } catch (IOException e) {
                throw new UncheckedIOException("journal: could not close " + directory, e);
            }
        }
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
