package io.tradeflow.app;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.state.ReplayCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Replay checkpoints taken while the router runs ({@code journal.checkpoint-every}), so a restart after a crash
 * reads the journal only after the latest one instead of since the last clean stop.
 *
 * <p>Every interval this thread publishes a {@link EventType#CHECKPOINT} event; the ring thread, which alone
 * may read the routing state, encodes the checkpoint between two events and hands the bytes back
 * ({@link RoutingHandler.CheckpointSink}). This thread then waits until the database projection has applied the
 * checkpoint's journal index before it writes the file: start-up uses a checkpoint only at or before the
 * projection's index (the events in between are re-read to rebuild only what the database does not hold), so
 * a checkpoint ahead of the projection would be ignored after a crash. The file is replaced atomically, so a
 * crash while writing leaves the previous checkpoint.
 */
final class RunningCheckpoints implements RoutingHandler.CheckpointSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningCheckpoints.class);
    private static final long POLL_MILLIS = 100;

    private final RingBuffer<RingEvent> ring;
    private final LongSupplier projectedIndex;
    private final Path dir;
    private final Duration every;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("tradeflow-checkpoint", true));

    RunningCheckpoints(RingBuffer<RingEvent> ring, LongSupplier projectedIndex, Path dir, Duration every) {
        this.ring = ring;
        this.projectedIndex = projectedIndex;
        this.dir = dir;
        this.every = every;
    }

    void start() {
        long millis = every.toMillis();
        thread.scheduleWithFixedDelay(this::request, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks the ring thread for a checkpoint, unless the ring is full (the next interval asks again). One thread
     * runs both this and the writes, so a checkpoint still waiting for the projection delays the next request.
     */
    private void request() {
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return;
        }
        try {
            ring.get(sequence).begin(EventType.CHECKPOINT, System.currentTimeMillis(), System.nanoTime());
        } finally {
            ring.publish(sequence);
        }
    }

    /** On the ring thread: hands the checkpoint to this thread to write once the projection has caught up. */
    @Override
    public void taken(long journalIndex, ByteBuffer checkpoint, long tookNanos) {
        try {
            thread.execute(() -> writeWhenProjected(journalIndex, checkpoint, tookNanos));
        } catch (RejectedExecutionException stopped) {
            LOG.debug("replay checkpoint at journal index {} not written: stopping", journalIndex);
        }
    }

    private void writeWhenProjected(long journalIndex, ByteBuffer checkpoint, long tookNanos) {
        try {
            long deadline = System.nanoTime() + every.toNanos();
            while (projectedIndex.getAsLong() < journalIndex) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("replay checkpoint at journal index {} dropped: the projection is still at {}",
                            journalIndex, projectedIndex.getAsLong());
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
            ReplayCheckpoint.writeEncoded(checkpoint, dir);
            LOG.info("replay checkpoint written at journal index {} ({} KiB, {} ms on the ring thread)", journalIndex,
                    checkpoint.remaining() / 1024, TimeUnit.NANOSECONDS.toMillis(tookNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("replay checkpoint at journal index {} not written: {}", journalIndex, e.toString());
        }
    }

    /** Stops taking checkpoints; one being written is finished or abandoned (the file is replaced atomically). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
