package io.tradeflow.core.ring;

import com.lmax.disruptor.RingBuffer;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;

/**
 * Publishes what broker connectors learn back into the ring as BROKER_REPORT events, so fills and
 * refusals are ordered and journaled with the alerts and applied by the ring thread alone. Called
 * from connector threads (never the ring thread); waits for a free slot, which is fine there.
 * The report's time is taken here, once, and journaled: replays book the same trading day.
 */
public final class BrokerReportPublisher {
    private final RingBuffer<RingEvent> ring;

    public BrokerReportPublisher(RingBuffer<RingEvent> ring) {
        this.ring = ring;
    }

    /** A fill of {@code signedQuantity} (positive bought) at {@code price} for a router order. */
    public void filled(long accountId, long routerOrderId, CharSequence symbol, double signedQuantity, double price,
                       double commission, CharSequence brokerOrderId, Reply onDecided) {
        long seq = ring.next();
        try {
            RingEvent e = claim(seq, ReportKind.FILLED, accountId, routerOrderId, symbol, brokerOrderId, onDecided);
            e.filledQuantity = signedQuantity;
            e.fillPrice = price;
            e.commission = commission;
        } finally {
            ring.publish(seq);
        }
    }

    /** The broker refused the order, or it could not be placed; {@code reason} says why, for the webhook log. */
    public void rejected(long accountId, long routerOrderId, CharSequence symbol, String reason, Reply onDecided) {
        long seq = ring.next();
        try {
            claim(seq, ReportKind.REJECTED, accountId, routerOrderId, symbol, "", onDecided).reason = reason;
        } finally {
            ring.publish(seq);
        }
    }

    /**
     * A place-order whose answer proved nothing and which was not found by its tag either: it may
     * exist at the broker. Recorded as BROKER_OUTCOME_UNKNOWN with {@code reason}; no position changes.
     */
    public void outcomeUnknown(long accountId, long routerOrderId, CharSequence symbol, String reason, Reply onDecided) {
        long seq = ring.next();
        try {
            claim(seq, ReportKind.OUTCOME_UNKNOWN, accountId, routerOrderId, symbol, "", onDecided).reason = reason;
        } finally {
            ring.publish(seq);
        }
    }

    /** Reconciliation: the broker's signed net position in {@code symbol}; the ring records any drift. */
    public void positionCheck(long accountId, CharSequence symbol, double brokerQuantity, Reply onDecided) {
        long seq = ring.next();
        try {
            claim(seq, ReportKind.POSITION_CHECK, accountId, 0, symbol, "", onDecided).quantity = brokerQuantity;
        } finally {
            ring.publish(seq);
        }
    }

    private RingEvent claim(long seq, ReportKind kind, long accountId, long routerOrderId, CharSequence symbol,
                            CharSequence brokerOrderId, Reply onDecided) {
        RingEvent e = ring.get(seq);
        e.reset();
        e.type = EventType.BROKER_REPORT;
        e.receivedAtMillis = System.currentTimeMillis();
        e.receivedAtNanos = System.nanoTime();
        e.reportKind = kind;
        e.accountId = accountId;
        e.orderId = routerOrderId;
        e.symbol.set(symbol);
        e.brokerOrderId.set(brokerOrderId);
        e.replyTo = onDecided;
        return e;
    }
}
