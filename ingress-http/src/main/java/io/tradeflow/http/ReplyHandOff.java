package io.tradeflow.http;

import io.netty.util.concurrent.EventExecutor;
import io.tradeflow.core.event.ReplyBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands webhook answers from the ring thread to one HTTP event loop a Disruptor batch at a time, with
 * at most one wake-up of the loop per batch instead of one task per answer.
 *
 * <p>The ring thread queues each encoded answer ({@link #add}) into a chain of its own, then at the
 * end of the batch ({@link #flush}) pushes the chain onto {@link #handedOver} with one compare-and-set.
 * Only a push onto an empty stack schedules the drain task: a non-empty stack means a drain is
 * already scheduled and will take the new answers too (the drain empties the stack before it writes,
 * so an answer pushed while it writes schedules the next one). The answers are linked through
 * {@link WebhookReply#next} (a reply is queued at most once at a time: its connection has one alert on
 * the ring), so handing them over allocates nothing.
 *
 * <p>One per event loop ({@link #of}); the drain writes the answers in the order the ring completed them.
 */
final class ReplyHandOff implements ReplyBatch, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyHandOff.class);
    /** The hand-off of the loop this thread is (each event loop has one thread, and creates its connections' replies). */
    private static final ThreadLocal<ReplyHandOff> PER_THREAD = new ThreadLocal<>();

    private final EventExecutor loop;
    /** Ring thread only: the answers completed since the last flush, newest first, and the oldest of them. */
    private WebhookReply newest;
    private WebhookReply oldest;
    /** Flushed answers the loop has not taken yet, newest first; null when it has taken them all. */
    private final AtomicReference<WebhookReply> handedOver = new AtomicReference<>();
    /** Drain tasks scheduled so far (written by the ring thread only): the wake-ups this hand-off cost. */
    private volatile long wakeUps;

    ReplyHandOff(EventExecutor loop) {
        this.loop = loop;
    }

    /** The hand-off to {@code loop}, shared by every reply created on the loop's thread. */
    static ReplyHandOff of(EventExecutor loop) {
        ReplyHandOff handOff = PER_THREAD.get();
        if (handOff == null || handOff.loop != loop) {
            // Not the loop's own thread, or a thread that serves several (tests' embedded channels): a new one.
            handOff = new ReplyHandOff(loop);
            PER_THREAD.set(handOff);
        }
        return handOff;
    }

    /** On the ring thread: queues a reply whose answer is encoded, to be handed over at the next {@link #flush}. */
    void add(WebhookReply reply) {
        reply.next = newest;
        newest = reply;
        if (oldest == null) {
            oldest = reply;
        }
    }

    /** On the ring thread, at the end of a Disruptor batch: hands the queued answers to the loop, waking it at most once. */
    @Override
    public void flush() {
        WebhookReply chain = newest;
        if (chain == null) {
            return;
        }
        WebhookReply last = oldest;
        newest = null;
        oldest = null;
        WebhookReply before;
        do {
            before = handedOver.get();
            last.next = before;
        } while (!handedOver.compareAndSet(before, chain));
        if (before == null) {
            wakeUps++;
            try {
                loop.execute(this);
            } catch (RejectedExecutionException stopped) {
                // The loop is shutting down with its connections: nothing will write these answers.
                discard();
            }
        }
    }

    /** On the event loop: writes every answer handed over so far, oldest first. */
    @Override
    public void run() {
        WebhookReply reply = oldestFirst(handedOver.getAndSet(null));
        while (reply != null) {
            WebhookReply next = reply.next;
            // Unlinked before it runs: writing the answer may publish the connection's next alert, and the ring
            // thread may then queue this reply again.
            reply.next = null;
            try {
                reply.run();
            } catch (RuntimeException e) {
                LOG.error("writing a webhook answer failed", e);
            }
            reply = next;
        }
    }

    private void discard() {
        WebhookReply reply = handedOver.getAndSet(null);
        while (reply != null) {
            WebhookReply next = reply.next;
            reply.next = null;
            reply.discard();
            reply = next;
        }
    }

    /** Reverses a newest-first chain in place. */
    private static WebhookReply oldestFirst(WebhookReply newestFirst) {
        WebhookReply reversed = null;
        WebhookReply reply = newestFirst;
        while (reply != null) {
            WebhookReply next = reply.next;
            reply.next = reversed;
            reversed = reply;
            reply = next;
        }
        return reversed;
    }

    /** How many times a flush scheduled the drain task on the loop (one per wake-up at most). */
    long wakeUps() {
        return wakeUps;
    }
}
