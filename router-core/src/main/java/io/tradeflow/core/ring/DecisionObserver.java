package io.tradeflow.core.ring;

import io.tradeflow.core.event.RingEvent;

/**
 * Sees every decided, journaled event on the ring thread, e.g. to count outcomes and record
 * latency. Must be cheap and must not block or allocate in steady state.
 */
@FunctionalInterface
public interface DecisionObserver {
    DecisionObserver NONE = event -> {
    };

    void onDecided(RingEvent event);
}
