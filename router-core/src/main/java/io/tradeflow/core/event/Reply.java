package io.tradeflow.core.event;

/**
 * Whoever waits for an event's decision: the HTTP request that sent an alert, or a dashboard
 * command waiting until its control event is applied. Called on the ring thread after the event
 * is journaled; must not block, and must copy what it needs because the slot is then reused.
 */
@FunctionalInterface
public interface Reply {
    void complete(RingEvent decided);

    /**
     * The batch this reply's answers wait in until the ring's consumer flushes it at the end of the
     * Disruptor batch, or null (the default) when {@link #complete} delivers the answer itself.
     */
    default ReplyBatch batch() {
        return null;
    }
}
