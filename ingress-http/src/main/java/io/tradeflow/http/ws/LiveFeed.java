package io.tradeflow.http.ws;

import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.ring.DecisionObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The ring's side of the live stream: a {@link DecisionObserver} that copies each decided event an
 * account's clients care about into a preallocated slot of a bounded single-producer/single-consumer
 * hand-off and, when the consumer is idle, asks the Netty event loop to drain it. On the ring thread
 * it does O(1) work: one {@link RingEvent#copyFrom}, one ordered store, at most one task submission;
 * it never blocks, never waits for a client and allocates nothing but that occasional task. A full
 * hand-off drops the update and counts it: the event loop then tells every client to reload.
 *
 * <p>Sequence numbers, JSON and fan-out happen on the event loop ({@link LiveHub}).
 */
public final class LiveFeed implements DecisionObserver {
    private final RingEvent[] slots;
    private final int mask;
    /** Written by the ring thread only. */
    private final AtomicLong published = new AtomicLong();
    /** Written by the event loop only. */
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Written by the ring thread only. */
    private volatile long droppedTotal;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile Executor executor;
    private volatile Consumer<RingEvent> sink;
    private volatile Consumer<Long> onDropped;
    private volatile Watched watched = (accountId, userId) -> true;

    public LiveFeed(int capacity) {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        slots = new RingEvent[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new RingEvent();
        }
        mask = capacity - 1;
    }

    /** Connects the consumer: {@code sink} and {@code lost} run on {@code executor} (one thread) only. */
    void attach(Executor loop, Consumer<RingEvent> updates, Consumer<Long> lost) {
        attach(loop, updates, lost, (accountId, userId) -> true);
    }

    /** Who has a stream: whose decisions are worth copying. */
    @FunctionalInterface
    interface Watched {
        boolean watches(long accountId, long userId);
    }

    /**
     * As {@link #attach(Executor, Consumer, Consumer)}, copying only decisions of accounts or users that
     * {@code watched} says have a stream: with nobody watching, an alert costs the ring no copy and the live
     * loop no wake-up.
     */
    void attach(Executor loop, Consumer<RingEvent> updates, Consumer<Long> lost, Watched watched) {
        this.watched = watched;
        this.sink = updates;
        this.onDropped = lost;
        this.executor = loop;
    }

    /** Updates dropped because the hand-off was full, since the start. */
    public long droppedTotal() {
        return droppedTotal;
    }

    @Override
    public void onDecided(RingEvent e) {
        Executor loop = executor;
        if (loop == null || !relevant(e) || !suspension(e) && !watched.watches(e.accountId, e.userId)) {
            return;
        }
        long tail = published.get();
        if (tail - consumed.get() >= slots.length) {
            dropped.incrementAndGet();
            droppedTotal = droppedTotal + 1;
        } else {
            RingEvent slot = slots[(int) tail & mask];
            slot.copyFrom(e);
            slot.replyTo = null;
            published.lazySet(tail + 1);
        }
        if (!drainScheduled.get() && drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException stopping) {
                drainScheduled.set(false);
            }
        }
    }

    /**
     * What a client of the account can see: alerts, broker answers and the fills prices set off; and a
     * user's suspension, which ends their streams.
     */
    static boolean relevant(RingEvent e) {
        return e.accountId != 0 && (e.type == EventType.INTENT || e.type == EventType.BROKER_REPORT
                || e.type == EventType.TRIGGERED) || suspension(e);
    }

    /** An admin suspended the user (accepted by the ring): every stream of theirs is closed 4401. */
    static boolean suspension(RingEvent e) {
        return e.type == EventType.CONTROL && e.controlType == ControlType.USER_SUSPENDED && e.controlFlag
                && e.outcome == Outcome.ACCEPTED && e.userId != 0;
    }

    private void drain() {
        // Cleared before reading the cursor: an update published after the read schedules another drain.
        drainScheduled.set(false);
        Consumer<RingEvent> updates = sink;
        long head = consumed.get();
        long tail = published.get();
        while (head < tail) {
            updates.accept(slots[(int) head & mask]);
            head++;
            consumed.lazySet(head);
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            onDropped.accept(lost);
        }
    }
}
