package io.tradeflow.persistence.projection;

import io.tradeflow.config.ProjectionConfig;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.journal.JournalReader;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies journaled decisions into PostgreSQL on its own thread, in batches, each batch in one
 * transaction that also records the last journal index applied. Routing never waits for it: when
 * the database is down the writer backs off and, once it is back, resumes after the last committed
 * index, so the projection catches up with no gaps and no duplicates.
 *
 * <p>Batches hold up to {@code batchSize} events. A full batch (a backlog) is followed at once by
 * the next; after a partial one the writer waits one poll interval, so under a steady load it
 * commits about once per interval rather than after every few events, and it never spins while
 * the journal is idle. A dashboard therefore sees an event at most one poll interval plus one
 * write after it was journaled.
 *
 * <p>Close it before the journal it reads.
 */
public final class ProjectionWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionWriter.class);
    private static final String THREAD_NAME = "tradeflow-projection";
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Beyond the drain, time for a database call in flight to return (the pool times out in 3 s). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(4);

    private final Journal journal;
    private final ProjectionStore store;
    private final int batchSize;
    private final long pollNanos;
    private final ProjectionBatch batch = new ProjectionBatch();

    private volatile long lastAppliedIndex;
    private volatile boolean databaseAvailable = true;
    private volatile boolean stopping;
    private volatile long drainDeadlineNanos;
    private Thread thread;

    public ProjectionWriter(Jdbi jdbi, Journal journal, ProjectionConfig config) {
        this.journal = journal;
        this.store = new ProjectionStore(jdbi);
        this.batchSize = config.batchSize();
        this.pollNanos = config.pollInterval().toNanos();
    }

    /** Starts the writer thread, which resumes after the index recorded in {@code projection_state}. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the projection writer is already started");
        }
        thread = new Thread(this::run, THREAD_NAME);
        // The journal is the source of truth: an unclosed writer must not keep the JVM alive.
        thread.setDaemon(true);
        thread.start();
    }

    /** The journal index of the last event committed to the database (0 before the first). */
    public long lastAppliedIndex() {
        return lastAppliedIndex;
    }

    /** False while writes fail (the database is down or unreachable); true again after the next commit. */
    public boolean databaseAvailable() {
        return databaseAvailable;
    }

    /** Waits until the event at {@code journalIndex} (and all before it) is in the database. */
    public boolean awaitApplied(long journalIndex, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastAppliedIndex < journalIndex) {
            if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /**
     * Writes what is already in the journal (for up to 5 s; the rest is projected on the next
     * start), then stops the thread.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = thread;
            if (running == null || stopping) {
                return;
            }
            drainDeadlineNanos = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            stopping = true;
        }
        LockSupport.unpark(running);
        try {
            running.join(DRAIN_TIMEOUT.plus(STOP_GRACE).toMillis());
            if (running.isAlive()) {
                running.interrupt();
                running.join(STOP_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("The projection writer did not stop; it applied through journal index {}", lastAppliedIndex);
        }
    }

    private void run() {
        RingEvent event = new RingEvent();
        JournalReader reader = null;
        long backoffNanos = MIN_BACKOFF_NANOS;
        boolean failing = false;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (stopping && System.nanoTime() - drainDeadlineNanos >= 0) {
                    LOG.warn("Stopped projecting at journal index {} before reaching the end of the journal;"
                            + " the rest is projected on the next start", lastAppliedIndex);
                    return;
                }
                try {
                    if (reader == null) {
                        long committed = store.lastAppliedIndex();
                        lastAppliedIndex = committed;
                        reader = journal.readerAfter(committed);
                    }
                    while (batch.size() < batchSize && reader.next(event)) {
                        batch.add(event);
                    }
                    if (batch.isEmpty()) {
                        if (stopping) {
                            return;
                        }
                        LockSupport.parkNanos(pollNanos);
                        continue;
                    }
                    boolean caughtUp = batch.size() < batchSize;
                    store.write(batch);
                    lastAppliedIndex = batch.lastIndex();
                    batch.clear();
                    if (failing) {
                        databaseAvailable = true;
                        LOG.info("Projection resumed; applied through journal index {}", lastAppliedIndex);
                        failing = false;
                        backoffNanos = MIN_BACKOFF_NANOS;
                    }
                    if (caughtUp && !stopping) {
                        // Let the next batch fill for one poll interval instead of writing the few
                        // events that arrived during this write: under a steady load each
                        // transaction's fixed cost then covers a poll interval's worth of events.
                        LockSupport.parkNanos(pollNanos);
                    }
                } catch (RuntimeException e) {
                    if (!failing) {
                        logFailure(e);
                        failing = true;
                        databaseAvailable = false;
                    }
                    // The batch was read but not committed: read it again from the last committed
                    // index, which only the database knows for sure.
                    batch.clear();
                    reader = closeQuietly(reader);
                    if (stopping) {
                        return;
                    }
                    LockSupport.parkNanos(backoffNanos);
                    backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
                }
            }
        } finally {
            closeQuietly(reader);
        }
    }

    private void logFailure(RuntimeException e) {
        SQLException sql = sqlCause(e);
        if (sql != null) {
            LOG.warn("Projection paused at journal index {}: database unavailable ({}); routing continues,"
                    + " retrying", lastAppliedIndex, sql.getMessage());
        } else {
            LOG.error("Projection paused at journal index {}; retrying", lastAppliedIndex, e);
        }
    }

    /** The database's own error, without the statement and arguments JDBI wraps around it. */
    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                SQLException sql = (SQLException) t;
                // A failed batch reports the statement that failed as its next exception.
                return sql.getNextException() != null ? sql.getNextException() : sql;
            }
        }
        return null;
    }

    private static JournalReader closeQuietly(JournalReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the journal reader failed", e);
            }
        }
        return null;
    }
}
