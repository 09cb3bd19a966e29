package io.tradeflow.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory for the life of the process that holds it: a second
 * TradeFlow on the same directory must not take the first one's PostgreSQL for a crash's leftover
 * and kill it, nor append to its journal. Taken before anything in the directory is touched; the
 * operating system releases it when the process dies (kill -9 included), so a crash leaves no stale
 * lock. The file {@code tradeflow.lock} holds the owner's process id, for the refusal's message.
 */
public final class DataDirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "tradeflow.lock";

    /** Another live process holds the directory. */
    public static final class InUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final long ownerPid;

        InUseException(Path dir, long ownerPid) {
            super("data directory " + dir + " is in use by process " + (ownerPid > 0 ? Long.toString(ownerPid) : "(unknown)")
                    + "; stop it first, or start with another --data directory");
            this.ownerPid = ownerPid;
        }

        public long ownerPid() {
            return ownerPid;
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for this process, or throws {@link InUseException}
     * naming the process that holds it, at once and without changing anything.
     */
    public static DataDirectoryLock acquire(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(FILE_NAME);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                channel.close();
                throw new InUseException(dir, ProcessHandle.current().pid());
            }
            if (lock == null) {
                long owner = readPid(channel);
                channel.close();
                throw new InUseException(dir, owner);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock data directory " + dir, e);
        }
    }

    private static long readPid(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The process exits or the channel is gone: the OS drops the lock either way.
        }
    }
}
