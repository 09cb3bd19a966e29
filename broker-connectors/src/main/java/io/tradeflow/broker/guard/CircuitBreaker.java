package io.tradeflow.broker.guard;

import io.tradeflow.broker.api.CircuitState;

import java.util.function.LongSupplier;

/**
 * A small per-account circuit breaker. After {@code failureThreshold} consecutive transport
 * failures (timeouts, refused connections, 5xx) it opens for {@code openMillis}: calls fail at once
 * without touching the broker. Then one probe call is let through (half-open); its success closes
 * the circuit, its failure opens it again. Business rejections are answers, so they count as
 * success. {@link #isOpen()} is a volatile read, cheap enough for the ring thread.
 *
 * <p>Reads and writes (orders, closes, cancels) are counted apart: a broker whose reads work while
 * every order fails must still open the circuit, so a read's success clears only read failures.
 * A write's success clears both (the broker is reachable and acting). While writes have failed
 * {@code failureThreshold} times in a row the breaker stays half-open after its open period even
 * if reads succeed: one call at a time, and the next failed write opens it again at once.
 */
public final class CircuitBreaker implements CircuitState {
    private final int failureThreshold;
    private final long openMillis;
    private final LongSupplier clock;
    private int readFailures;
    private int writeFailures;
    private boolean probing;
    private volatile long openUntil = Long.MIN_VALUE;
    private volatile String openReason = "";
    private volatile java.util.function.Consumer<String> onOpen = reason -> {
    };

    public CircuitBreaker(int failureThreshold, long openMillis, LongSupplier clock) {
        if (failureThreshold < 1 || openMillis < 1) {
            throw new IllegalArgumentException("failureThreshold and openMillis must be >= 1");
        }
        this.failureThreshold = failureThreshold;
        this.openMillis = openMillis;
        this.clock = clock;
    }

    @Override
    public boolean isOpen() {
        return clock.getAsLong() < openUntil;
    }

    @Override
    public String openReason() {
        return openReason;
    }

    /** Whether a call may go to the broker now; in half-open state only one probe at a time. */
    public synchronized boolean tryAcquire() {
        if (isOpen()) {
            return false;
        }
        if (readFailures >= failureThreshold || writeFailures >= failureThreshold) {
            if (probing) {
                return false;
            }
            probing = true;
        }
        return true;
    }

    /** A call that is not a write succeeded (or was answered with a business refusal). */
    public void onSuccess() {
        onSuccess(false);
    }

    public synchronized void onSuccess(boolean write) {
        readFailures = 0;
        if (write) {
            writeFailures = 0;
        }
        probing = false;
        if (writeFailures < failureThreshold) {
            openUntil = Long.MIN_VALUE;
        }
    }

    /** A call that is not a write failed in transport. */
    public void onFailure(String reason) {
        onFailure(reason, false);
    }

    public synchronized void onFailure(String reason, boolean write) {
        int failures = write ? ++writeFailures : ++readFailures;
        probing = false;
        if (failures >= failureThreshold) {
            boolean wasOpen = isOpen();
            openReason = reason;
            openUntil = clock.getAsLong() + openMillis;
            if (!wasOpen) {
                onOpen.accept(reason);
            }
        }
    }

    /** Told (with the failure's reason) each time the circuit opens; must not block. */
    public void onOpen(java.util.function.Consumer<String> listener) {
        this.onOpen = listener;
    }
}
