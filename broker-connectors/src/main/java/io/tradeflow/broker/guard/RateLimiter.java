package io.tradeflow.broker.guard;

/**
 * A sliding-window limit of {@code limit} calls per {@code windowMillis} (the shape both
 * TradeLocker's {@code rateLimits} and ProjectX's "200 requests / 60 s" take). A caller reserves a
 * slot and is told how long to wait before using it; a 429 pauses the limiter until the broker's
 * Retry-After.
 */
public final class RateLimiter {
    private final long windowMillis;
    private final long[] slots;
    private int next;
    private long pausedUntil = Long.MIN_VALUE;

    public RateLimiter(int limit, long windowMillis) {
        if (limit < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("limit and windowMillis must be >= 1");
        }
        this.windowMillis = windowMillis;
        this.slots = new long[limit];
        java.util.Arrays.fill(slots, Long.MIN_VALUE / 2);
    }

    /** Reserves the next call slot and returns the millis to wait before making the call (0 = now). */
    public synchronized long reserve(long nowMillis) {
        long oldest = slots[next];
        long at = Math.max(nowMillis, Math.max(oldest + windowMillis, pausedUntil));
        slots[next] = at;
        next = (next + 1) % slots.length;
        return at - nowMillis;
    }

    /** The broker said 429: no call before {@code untilMillis}. */
    public synchronized void pauseUntil(long untilMillis) {
        pausedUntil = Math.max(pausedUntil, untilMillis);
    }

    public int limit() {
        return slots.length;
    }

    public long windowMillis() {
        return windowMillis;
    }
}
