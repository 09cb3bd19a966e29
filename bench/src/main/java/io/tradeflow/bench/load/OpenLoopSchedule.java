package io.tradeflow.bench.load;

/**
 * When each request of an open-loop phase is due: request {@code i} is planned at
 * {@code start + i / rate}, whatever happened to the requests before it. Latency is measured from
 * this planned time, so a stalled server is charged for every request it delayed (no coordinated
 * omission), and a request that waits for a free connection is charged for the wait.
 */
public final class OpenLoopSchedule {
    private final long startNanos;
    private final double intervalNanos;
    private final long total;
    private final long recordFrom;

    /**
     * @param startNanos    planned time of request 0 ({@link System#nanoTime()} clock)
     * @param ratePerSecond constant request rate, &gt; 0
     * @param durationNanos length of the phase; {@code round(rate × duration)} requests are planned
     * @param warmupNanos   requests planned before {@code start + warmup} are sent but not recorded
     */
    public OpenLoopSchedule(long startNanos, double ratePerSecond, long durationNanos, long warmupNanos) {
        if (!(ratePerSecond > 0) || durationNanos <= 0 || warmupNanos < 0 || warmupNanos >= durationNanos) {
            throw new IllegalArgumentException("need rate > 0 and 0 <= warmup < duration");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
        this.total = Math.max(1, Math.round(ratePerSecond * durationNanos / 1e9));
        this.recordFrom = Math.min(total, (long) Math.ceil(warmupNanos / intervalNanos));
    }

    public long startNanos() {
        return startNanos;
    }

    /** How many requests the phase plans. */
    public long total() {
        return total;
    }

    /** The first request whose latency is recorded (requests before it are warm-up). */
    public long recordFrom() {
        return recordFrom;
    }

    public boolean recorded(long index) {
        return index >= recordFrom;
    }

    public long plannedNanos(long index) {
        return startNanos + (long) (index * intervalNanos);
    }

    /** How many requests are due (planned at or before {@code nowNanos}), at most {@link #total()}. */
    public long dueAt(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long due = (long) ((nowNanos - startNanos) / intervalNanos) + 1;
        // Guard the floating-point edge: request `due` must not be planned at or before now.
        while (due < total && plannedNanos(due) <= nowNanos) {
            due++;
        }
        while (due > 0 && plannedNanos(due - 1) > nowNanos) {
            due--;
        }
        return Math.min(due, total);
    }

    /** Planned time of the last request. */
    public long endNanos() {
        return plannedNanos(total - 1);
    }
}
