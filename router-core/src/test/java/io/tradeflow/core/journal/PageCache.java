package io.tradeflow.core.journal;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the kernel's page-cache counters of a file with Linux {@code cachestat(2)} (kernel 6.5+,
 * unprivileged): how many of its pages are cached, dirty (written, not yet on the device) and
 * under write-back. A page a process wrote — through {@code write} or a shared memory mapping
 * such as Chronicle's — counts as dirty until the kernel has written it to the device; an
 * {@code fsync}/{@code fdatasync}/{@code msync(MS_SYNC)} that covers it returns only after that.
 * So "no dirty page and none under write-back right after the call" is what "forced to disk"
 * means, observed from outside the code under test.
 */
final class PageCache {
    /** cachestat's number in the generic syscall table (x86_64 and arm64 alike). */
    private static final long SYS_CACHESTAT = 451;
    private static final int O_RDONLY = 0;

    record Stat(long cached, long dirty, long writeback) {
        long notOnDisk() {
            return dirty + writeback;
        }
    }

    private PageCache() {
    }

    static Stat of(Path file) {
        Function open = Function.getFunction("c", "open", Function.THROW_LAST_ERROR);
        Function close = Function.getFunction("c", "close");
        Function syscall = Function.getFunction("c", "syscall", Function.THROW_LAST_ERROR);
        int fd = open.invokeInt(new Object[] {file.toString(), O_RDONLY});
        try {
            Memory range = new Memory(16); // struct cachestat_range { __u64 off; __u64 len; }, len 0 = to the end
            range.clear();
            Memory stat = new Memory(40); // struct cachestat { nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted }
            stat.clear();
            syscall.invokeLong(new Object[] {SYS_CACHESTAT, (long) fd, range, stat, 0L});
            return new Stat(stat.getLong(0), stat.getLong(8), stat.getLong(16));
        } finally {
            close.invokeInt(new Object[] {fd});
        }
    }

    /**
     * Null when the check can be trusted in {@code dir}: cachestat exists, a freshly written page
     * shows as dirty, and an fdatasync cleans it (not so on tmpfs, whose pages never reach a
     * device). Otherwise the reason it cannot.
     */
    static String whyUnusableIn(Path dir) {
        Path probe = dir.resolve("page-cache-probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[4096]));
            Stat written = of(probe);
            channel.force(false);
            Stat forced = of(probe);
            if (written.dirty() == 0) {
                return "a written page is not counted dirty in " + dir + ": " + written;
            }
            if (forced.notOnDisk() != 0) {
                return "fdatasync does not clean pages in " + dir + " (tmpfs?): " + forced;
            }
            return null;
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return "no cachestat(2) here (needs Linux 6.5+): " + e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // the directory is deleted with the test
            }
        }
    }
}
