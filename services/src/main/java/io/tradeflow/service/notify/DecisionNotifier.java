package io.tradeflow.service.notify;

import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.ring.DecisionObserver;
import io.tradeflow.core.venue.ConnectionAlerts;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off from the ring thread (decisions) and the connector threads (lost brokers, opened
 * circuits) to the notification dispatcher: the few events a user can be notified of are copied into
 * a small record and offered to a bounded queue, never waiting; when the queue is full the note is
 * dropped and counted, so a slow mail server or database can never slow routing.
 */
public final class DecisionNotifier implements DecisionObserver, ConnectionAlerts {
    /** What the dispatcher needs of an event; {@code userId} 0 when only the account is known. */
    public record Note(NotificationEvent event, long userId, long accountId, String dedupKey, String symbol, String side,
                       double quantity, double price, String outcome, String reason) {
    }

    private final BlockingQueue<Note> queue;
    private final AtomicLong dropped = new AtomicLong();
    /** Whose fills are copied into notes; every user's until {@link #fillsOnlyFor} narrows it. */
    private volatile java.util.function.LongPredicate fillsWanted = userId -> true;

    public DecisionNotifier(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Copies fills only of the users {@code wanted} accepts (see {@link FillRecipients}): a fill comes with
     * nearly every alert, and one that no channel would carry should cost the ring nothing.
     */
    public void fillsOnlyFor(java.util.function.LongPredicate wanted) {
        this.fillsWanted = wanted;
    }

    @Override
    public void onDecided(RingEvent e) {
        if (e.type == EventType.CONTROL) {
            if (e.controlType == ControlType.EMERGENCY_STOP && e.outcome == Outcome.ACCEPTED && e.controlUserId != 0) {
                offer(new Note(NotificationEvent.EMERGENCY_STOP, e.controlUserId, 0, "estop:" + key(e), null, null, 0, 0, null, null));
            }
            return;
        }
        if (e.userId == 0 || e.type != EventType.INTENT && e.type != EventType.BROKER_REPORT && e.type != EventType.TRIGGERED) {
            return;
        }
        boolean refused = e.type == EventType.INTENT && e.outcome != Outcome.ACCEPTED && e.outcome != Outcome.PENDING
                || e.type == EventType.BROKER_REPORT && (e.reportKind == ReportKind.REJECTED || e.reportKind == ReportKind.OUTCOME_UNKNOWN);
        boolean filled = e.outcome == Outcome.ACCEPTED && e.filledQuantity > 0
                && (e.type != EventType.BROKER_REPORT || e.reportKind == ReportKind.FILLED);
        if (refused) {
            offer(new Note(NotificationEvent.REFUSAL, e.userId, e.accountId, "refusal:" + key(e), e.symbol.toString(),
                    e.side == null ? null : e.side.name(), e.quantity, e.price, e.outcome.name(), e.reason));
        } else if (filled && fillsWanted.test(e.userId)) {
            offer(new Note(NotificationEvent.FILL, e.userId, e.accountId, "fill:" + key(e), e.symbol.toString(),
                    e.side == null ? null : e.side.name(), e.filledQuantity, e.fillPrice, null, null));
        }
    }

    @Override
    public void brokerDisconnected(long accountId, String broker, String reason) {
        // One note per account and ten minutes: a broker that flaps does not flood the user.
        offer(new Note(NotificationEvent.BROKER_DISCONNECTED, 0, accountId,
                "disconnected:" + accountId + ":" + System.currentTimeMillis() / 600_000, null, broker, 0, 0, null, reason));
    }

    @Override
    public void circuitOpened(long accountId, String broker, String reason) {
        offer(new Note(NotificationEvent.CIRCUIT_OPEN, 0, accountId,
                "circuit:" + accountId + ":" + System.currentTimeMillis() / 600_000, null, broker, 0, 0, null, reason));
    }

    private static String key(RingEvent e) {
        return e.journalIndex != 0 ? "j" + e.journalIndex : "r" + e.receivedAtNanos;
    }

    private void offer(Note note) {
        if (!queue.offer(note)) {
            dropped.incrementAndGet();
        }
    }

    /** Wakes the dispatcher (a note without an event); nothing happens when the queue is full, it is awake then. */
    void wakeUp() {
        queue.offer(new Note(null, 0, 0, null, null, null, 0, 0, null, null));
    }

    /** Notes dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    BlockingQueue<Note> queue() {
        return queue;
    }
}
