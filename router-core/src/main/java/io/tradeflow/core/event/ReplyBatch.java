package io.tradeflow.core.event;

/**
 * Where replies leave their answers so the ring thread can hand a whole Disruptor batch over at once:
 * {@link Reply#complete} only queues the answer, and the ring's consumer calls {@link #flush()} once at
 * the end of the batch (and every so many answers within a long one). Handing the answers over costs
 * one wake-up of the thread that writes them per flush instead of one per answer.
 *
 * <p>Called on the ring thread only; must not block.
 */
public interface ReplyBatch {
    /** Hands every answer completed since the last flush to the thread that delivers them, in completion order. */
    void flush();
}
