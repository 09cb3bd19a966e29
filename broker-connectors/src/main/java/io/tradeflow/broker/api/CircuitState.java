package io.tradeflow.broker.api;

/** What the ring thread may ask a connector's circuit breaker without blocking or allocating. */
public interface CircuitState {
    /** True while calls are refused without trying the broker. */
    boolean isOpen();

    /** Why the circuit opened (the last failure), for the refusal's message. */
    String openReason();
}
