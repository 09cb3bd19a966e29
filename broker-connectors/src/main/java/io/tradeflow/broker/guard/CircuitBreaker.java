package io.tradeflow.broker.guard;

import io.tradeflow.broker.api.CircuitState;

import java.util.function.LongSupplier;

/**
 * A small per-account circuit breaker. After {@code failureThreshold} consecutive transport
 * failures (timeouts, refused connections, 5xx) it opens for {@code openMillis}: calls fail at once
 * without touching the broker. Then one probe call is let through (half-open); its success closes
 * the circuit, its failure opens it again. Business rejections are answers, so they count as
 * success. {@link #isOpen()} is a volatile read, cheap enough for the ring thread.
 */
public final class CircuitBreaker implements CircuitState {
    private final int failureThreshold;
    private final long openMillis;
    private final LongSupplier clock;
    private int consecutiveFailures;
    private boolean probing;
    private volatile long openUntil = Long.MIN_VALUE;
    private volatile String openReason = "";

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
        if (consecutiveFailures >= failureThreshold) {
            if (probing) {
                return false;
            }
            probing = true;
        }
        return true;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
        probing = false;
        openUntil = Long.MIN_VALUE;
    }

    public synchronized void onFailure(String reason) {
        consecutiveFailures++;
        probing = false;
        if (consecutiveFailures >= failureThreshold) {
            openReason = reason;
            openUntil = clock.getAsLong() + openMillis;
        }
    }
}
