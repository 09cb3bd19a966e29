package io.tradeflow.core.ring;

import com.lmax.disruptor.EventHandler;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.ReplyBatch;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.ReplayCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ring's consumer: decide (the fused stages), journal the event with its decision, then
 * answer. An event is acknowledged only after it is in the journal, so every 200 survives a
 * crash. A failure on one event is contained to that event.
 *
 * <p>Then, when the event carried a price (a feed tick, or a paper alert with a price), the trigger
 * pass runs and each fill it makes is journaled as its own TRIGGERED record, in the order the fills
 * were applied, before the next event is handled. The alert is answered before its trigger pass:
 * its own decision is already journaled, and the fills it set off (often other orders of the
 * account) are not part of its answer, so TradingView does not wait for them.
 *
 * <p>An order for a real broker is handed over only once its event is in the journal. A journal
 * append that fails stops the router (fail-stop): the event's effects are already in the in-memory
 * state but not in the journal, so the running state and the one a restart replays would disagree.
 * From then on every event is refused at once with 503 (nothing decided, nothing journaled, no
 * order sent) and {@link #failStopReason()} says why (for {@code /ready}) until a restart replays
 * the journal into a consistent state.
 *
 * <p>Answers are handed over a Disruptor batch at a time: a reply with a {@link ReplyBatch} (the
 * webhook's) only queues its answer, and the batches touched are flushed once at the end of the
 * Disruptor batch (and every {@value #MAX_ANSWERS_PER_FLUSH} answers within a long one, so an early
 * answer does not wait for a whole backlog). Each flush may wake the HTTP event loop; one per batch
 * instead of one per answer is what makes a busy ring cheaper per alert.
 */
public final class RoutingHandler implements EventHandler<RingEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingHandler.class);

    private final RoutingPipeline pipeline;
    private final Journal journal;
    private final DecisionObserver observer;
    private final AtomicLong processed = new AtomicLong();
    /** The record each triggered fill is written into, reused (the trigger pass runs only on this thread). */
    private final RingEvent triggered = new RingEvent();
    /** The record each follower's copy of a master's alert is decided and journaled in, reused (copy trading). */
    private final RingEvent copy = new RingEvent();
    private final CountDownLatch started = new CountDownLatch(1);
    private long errorSequence;
    /** Answers queued in a {@link ReplyBatch} before the batch is flushed anyway, so early answers do not wait long. */
    static final int MAX_ANSWERS_PER_FLUSH = 32;
    /** The reply batches with answers queued since the last flush (a few: one per HTTP event loop). */
    private final ReplyBatch[] unflushed = new ReplyBatch[8];
    private int unflushedCount;
    private int answersSinceFlush;
    private volatile String failStopReason;
    /** Where running replay checkpoints go (null: none are taken); set before the ring starts. */
    private volatile CheckpointSink checkpoints;
    /** Ring thread only: the journal index of the last checkpoint taken (an idle router takes no new one). */
    private long checkpointedIndex;

    /** Receives a replay checkpoint the ring thread took, to write it elsewhere (the ring thread must not wait on a disk). */
    @FunctionalInterface
    public interface CheckpointSink {
        /**
         * @param journalIndex the last journal record the checkpoint includes
         * @param checkpoint   the file's bytes ({@link ReplayCheckpoint#encode})
         * @param tookNanos    how long the ring thread spent encoding it (no alert was decided meanwhile)
         */
        void taken(long journalIndex, ByteBuffer checkpoint, long tookNanos);
    }

    public RoutingHandler(RoutingPipeline pipeline, Journal journal) {
        this(pipeline, journal, DecisionObserver.NONE);
    }

    public RoutingHandler(RoutingPipeline pipeline, Journal journal, DecisionObserver observer) {
        this.pipeline = pipeline;
        this.journal = journal;
        this.observer = observer;
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    /**
     * Waits until the consumer thread runs. The Disruptor's shutdown only drains consumers that
     * are already running, so closing right after starting would otherwise drop published events.
     */
    boolean awaitStarted(long timeout, TimeUnit unit) throws InterruptedException {
        return started.await(timeout, unit);
    }

    /** Sends the checkpoints asked for by {@link EventType#CHECKPOINT} events to {@code sink}; before the ring starts. */
    public void checkpointsTo(CheckpointSink sink) {
        this.checkpoints = sink;
    }

    /** Why the router stopped deciding (a journal append failed), or null while it runs. */
    public String failStopReason() {
        return failStopReason;
    }

    public boolean isFailStopped() {
        return failStopReason != null;
    }

    private void failStop(long sequence, RuntimeException cause) {
        if (failStopReason == null) {
            failStopReason = "journal append failed (" + cause + "); every event is refused until a restart";
            LOG.error("FAIL-STOP: the journal append of event {} failed; the in-memory state may hold effects the journal"
                    + " does not, so every event is refused with 503 until TradeFlow is restarted (the restart replays"
                    + " the journal)", sequence, cause);
        }
    }

    @Override
    public void onEvent(RingEvent e, long sequence, boolean endOfBatch) {
        try {
            handle(e, sequence);
        } finally {
            if (endOfBatch || answersSinceFlush >= MAX_ANSWERS_PER_FLUSH) {
                flushAnswers();
            }
        }
    }

    private void handle(RingEvent e, long sequence) {
        if (failStopReason != null) {
            // Nothing is decided, journaled or sent: the state is no longer the journal's.
            e.reject(Outcome.OVERLOADED, null, "router stopped: " + failStopReason);
            e.orderId = 0;
            answer(e, sequence);
            processed.lazySet(sequence + 1);
            return;
        }
        if (e.type == EventType.CHECKPOINT) {
            checkpoint();
            processed.lazySet(sequence + 1);
            return;
        }
        boolean stageFailed = false;
        try {
            pipeline.process(e);
        } catch (RuntimeException ex) {
            stageFailed = true;
            String errorId = "err_" + e.receivedAtMillis + "_" + (++errorSequence);
            LOG.error("stage failed on event {} ({}); answered as {}", sequence, e.type, errorId, ex);
            e.reject(Outcome.INTERNAL_ERROR, null, "internal error " + errorId);
        }
        e.decisionNanos = System.nanoTime() - e.receivedAtNanos;
        boolean journaled = false;
        try {
            e.journalIndex = journal.append(e);
            journaled = true;
            pipeline.onJournaled(e);
        } catch (RuntimeException ex) {
            if (!journaled) {
                failStop(sequence, ex);
                e.reject(Outcome.OVERLOADED, null, "journal unavailable; the alert was not accepted");
                e.orderId = 0;
            } else {
                LOG.error("after journaling event {}", sequence, ex);
            }
        }
        try {
            // Only an accepted event's orders go out (a refused close_all may have staged some legs).
            pipeline.releaseBrokerOrders(journaled && !stageFailed && e.outcome == Outcome.ACCEPTED);
        } catch (RuntimeException ex) {
            LOG.error("handing the orders of event {} to the broker failed", sequence, ex);
        }
        try {
            observer.onDecided(e);
        } catch (RuntimeException ex) {
            LOG.error("decision observer failed on event {}", sequence, ex);
        }
        // A master's alert is answered after its followers' copies, so the answer can summarise them.
        boolean fanOut = journaled && !stageFailed && beginCopies(e, sequence);
        if (!fanOut) {
            answer(e, sequence);
        }
        if (journaled && pipeline.triggers().carriesPrice(e)) {
            runTriggers(e, sequence);
        }
        if (fanOut) {
            runCopies(e, sequence);
            answer(e, sequence);
        }
        processed.lazySet(sequence + 1);
    }

    private boolean beginCopies(RingEvent e, long sequence) {
        try {
            return pipeline.copies().begin(e);
        } catch (RuntimeException ex) {
            LOG.error("copy trading: starting the fan-out of event {} failed", sequence, ex);
            return false;
        }
    }

    /**
     * Copy trading: each follower's copy of the master's alert is decided, journaled (its own INTENT
     * record, after the master's and its trigger fills), its broker order handed over, and its own
     * trigger pass run, before the next follower's; replay reads the records in the same order.
     */
    private void runCopies(RingEvent master, long sequence) {
        try {
            while (pipeline.copies().next(master, copy)) {
                copy.decisionNanos = System.nanoTime() - copy.receivedAtNanos;
                try {
                    copy.journalIndex = journal.append(copy);
                } catch (RuntimeException ex) {
                    LOG.error("journal append failed on a follower's copy of event {}", sequence, ex);
                    failStop(sequence, ex);
                    pipeline.releaseBrokerOrders(false);
                    return;
                }
                try {
                    pipeline.onJournaled(copy);
                } catch (RuntimeException ex) {
                    LOG.error("after journaling a follower's copy of event {}", sequence, ex);
                }
                try {
                    pipeline.releaseBrokerOrders(copy.outcome == Outcome.ACCEPTED);
                } catch (RuntimeException ex) {
                    LOG.error("handing a follower's copy of event {} to the broker failed", sequence, ex);
                }
                try {
                    observer.onDecided(copy);
                } catch (RuntimeException ex) {
                    LOG.error("decision observer failed on a follower's copy of event {}", sequence, ex);
                }
                if (pipeline.triggers().carriesPrice(copy)) {
                    runTriggers(copy, sequence);
                }
            }
        } catch (RuntimeException ex) {
            LOG.error("copy trading: the fan-out of event {} failed", sequence, ex);
        }
    }

    /**
     * Encodes the unprojected state as of the last journal record. Here, between two events, it is exactly the
     * state a replay of the journal up to that record rebuilds: only this thread changes it.
     */
    private void checkpoint() {
        CheckpointSink sink = checkpoints;
        long index = sink == null || !journal.isDurable() ? 0 : journal.lastIndex();
        if (index <= checkpointedIndex) {
            // Nothing journaled since the last one: the same state again would cost the same pause for nothing.
            return;
        }
        long start = System.nanoTime();
        try {
            ByteBuffer bytes = ReplayCheckpoint.encode(pipeline.state(), index);
            checkpointedIndex = index;
            sink.taken(index, bytes, System.nanoTime() - start);
        } catch (RuntimeException ex) {
            LOG.warn("replay checkpoint at journal index {} not taken", index, ex);
        }
    }

    private void answer(RingEvent e, long sequence) {
        Reply reply = e.replyTo;
        if (reply != null) {
            try {
                reply.complete(e);
                ReplyBatch batch = reply.batch();
                if (batch != null) {
                    queued(batch);
                }
            } catch (RuntimeException ex) {
                LOG.error("answering event {} failed", sequence, ex);
            }
            e.replyTo = null;
        }
    }

    /** Remembers a batch that now holds an answer, to flush it at the end of the Disruptor batch. */
    private void queued(ReplyBatch batch) {
        answersSinceFlush++;
        for (int i = 0; i < unflushedCount; i++) {
            if (unflushed[i] == batch) {
                return;
            }
        }
        if (unflushedCount == unflushed.length) {
            flushAnswers();
        }
        unflushed[unflushedCount++] = batch;
    }

    /** Hands every queued answer over: one wake-up per reply batch (event loop) at most. */
    private void flushAnswers() {
        for (int i = 0; i < unflushedCount; i++) {
            try {
                unflushed[i].flush();
            } catch (RuntimeException ex) {
                LOG.error("handing answers over failed", ex);
            }
            unflushed[i] = null;
        }
        unflushedCount = 0;
        answersSinceFlush = 0;
    }

    private void runTriggers(RingEvent cause, long sequence) {
        try {
            while (pipeline.triggers().next(cause, triggered)) {
                try {
                    triggered.journalIndex = journal.append(triggered);
                } catch (RuntimeException ex) {
                    LOG.error("journal append failed on a fill triggered by event {}", sequence, ex);
                    failStop(sequence, ex);
                    return;
                }
                try {
                    observer.onDecided(triggered);
                } catch (RuntimeException ex) {
                    LOG.error("decision observer failed on a fill triggered by event {}", sequence, ex);
                }
            }
        } catch (RuntimeException ex) {
            LOG.error("trigger pass failed after event {} ({})", sequence, cause.type, ex);
        }
    }

    /**
     * How many ring sequences have been fully handled (journaled and answered; an answer queued in a
     * {@link ReplyBatch} is handed over at the end of its Disruptor batch).
     */
    public long processedCount() {
        return processed.get();
    }
}
