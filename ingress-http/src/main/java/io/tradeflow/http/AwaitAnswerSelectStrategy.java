package io.tradeflow.http;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * Lets the HTTP event loop yield the CPU to the ring for a few microseconds, instead of sleeping in
 * {@code epoll_wait}, while an alert it published is still being decided.
 *
 * <p>Why: with the default strategy every alert costs the loop two trips through the kernel's wait:
 * it sleeps after publishing, the ring's answer wakes it through the loop's eventfd (a write by the
 * ring thread, a read and a second {@code epoll_wait} return by the loop), and it sleeps again after
 * writing the answer. On a machine where the loop and the ring share a CPU, a {@code sched_yield}
 * hands the CPU straight to the ring (woken by the publish); the ring's answer then finds the loop
 * awake, so Netty's {@code wakeup()} writes nothing, and the loop writes the answer when the yield
 * returns. When the answer does not come within {@code spinNanos} the loop sleeps as before, so the
 * cost of a slow decision is bounded. Only taken when an answer is due ({@link ReplyHandOff#awaiting()}).
 */
final class AwaitAnswerSelectStrategy implements SelectStrategy {
    private final long spinNanos;
    /** This loop's hand-off, found on first use (the strategy runs on the loop's thread only). */
    private ReplyHandOff handOff;

    private AwaitAnswerSelectStrategy(long spinNanos) {
        this.spinNanos = spinNanos;
    }

    /** For tests: a strategy for a given hand-off. */
    AwaitAnswerSelectStrategy(long spinNanos, ReplyHandOff handOff) {
        this.spinNanos = spinNanos;
        this.handOff = handOff;
    }

    /** A factory for the event loops; {@code spinNanos} ≤ 0 never yields (Netty's default strategy). */
    static SelectStrategyFactory factory(long spinNanos) {
        return () -> new AwaitAnswerSelectStrategy(spinNanos);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        if (spinNanos <= 0) {
            return SELECT;
        }
        ReplyHandOff h = handOff != null ? handOff : (handOff = ReplyHandOff.current());
        if (h != null && h.awaiting() > 0) {
            long deadline = System.nanoTime() + spinNanos;
            do {
                Thread.yield();
                if (h.hasAnswers()) {
                    // The drain task is queued (without a wake-up): run it now.
                    return CONTINUE;
                }
            } while (System.nanoTime() - deadline < 0);
        }
        return SELECT;
    }
}
