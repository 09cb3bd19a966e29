package io.tradeflow.core.ring;

import com.lmax.disruptor.EventTranslatorThreeArg;
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
        ring.publishEvent(REPORT, ReportKind.FILLED,
                new Report(accountId, routerOrderId, symbol, brokerOrderId, signedQuantity, price, commission, null, 0),
                onDecided);
    }

    /** The broker refused the order, or it could not be placed; {@code reason} says why, for the webhook log. */
    public void rejected(long accountId, long routerOrderId, CharSequence symbol, String reason, Reply onDecided) {
        ring.publishEvent(REPORT, ReportKind.REJECTED, new Report(accountId, routerOrderId, symbol, "", 0, 0, 0, reason, 0),
                onDecided);
    }

    /**
     * A place-order whose answer proved nothing and which was not found by its tag either: it may
     * exist at the broker. Recorded as BROKER_OUTCOME_UNKNOWN with {@code reason}; no position changes.
     */
    public void outcomeUnknown(long accountId, long routerOrderId, CharSequence symbol, String reason, Reply onDecided) {
        ring.publishEvent(REPORT, ReportKind.OUTCOME_UNKNOWN,
                new Report(accountId, routerOrderId, symbol, "", 0, 0, 0, reason, 0), onDecided);
    }

    /** Reconciliation: the broker's signed net position in {@code symbol}; the ring records any drift. */
    public void positionCheck(long accountId, CharSequence symbol, double brokerQuantity, Reply onDecided) {
        ring.publishEvent(REPORT, ReportKind.POSITION_CHECK, new Report(accountId, 0, symbol, "", 0, 0, 0, null, brokerQuantity),
                onDecided);
    }

    /** What a connector learnt, carried to the translator (one small object per report: broker I/O, not the hot path). */
    private record Report(long accountId, long routerOrderId, CharSequence symbol, CharSequence brokerOrderId,
                          double signedQuantity, double price, double commission, String reason, double brokerQuantity) {
    }

    /** Writes a report into its slot; static, so publishing captures nothing. Waits for a free slot (connector threads may). */
    private static final EventTranslatorThreeArg<RingEvent, ReportKind, Report, Reply> REPORT = (e, seq, kind, r, onDecided) -> {
        e.begin(EventType.BROKER_REPORT, System.currentTimeMillis(), System.nanoTime());
        e.reportKind = kind;
        e.accountId = r.accountId();
        e.orderId = r.routerOrderId();
        e.symbol.set(r.symbol());
        e.brokerOrderId.set(r.brokerOrderId());
        e.filledQuantity = r.signedQuantity();
        e.fillPrice = r.price();
        e.commission = r.commission();
        e.reason = r.reason();
        e.quantity = r.brokerQuantity();
        e.replyTo = onDecided;
    };
}
