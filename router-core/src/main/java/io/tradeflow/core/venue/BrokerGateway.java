package io.tradeflow.core.venue;

import io.tradeflow.core.event.RingEvent;

/**
 * Where the dispatch stage hands an order for a real broker. Unlike {@link ExecutionVenue} it does
 * not fill: it copies the order into a pre-allocated request for the connector's own thread and
 * returns at once; the fill (or the broker's refusal) comes back later as a BROKER_REPORT event.
 * Called on the ring thread: must not block, and should not allocate on success.
 */
public interface BrokerGateway {
    /**
     * Submits {@code signedQuantity} (positive buys) of the event's symbol for the event's account
     * under the router order id already in {@code event.orderId}. Returns false, with the event
     * rejected and a reason the trader can act on, when the order cannot be handed over (no
     * credentials, broker circuit open, queue full).
     */
    boolean submit(RingEvent event, double signedQuantity);

    /**
     * Called on the ring thread after the event that submitted is decided: {@code journaled} true
     * once it is in the journal (the order may now go to the broker), false when it could not be
     * journaled or its stage failed (the order is dropped: the client was refused). An order goes
     * to a broker only when the journal has its alert, so a restart never forgets an order it sent.
     */
    default void release(boolean journaled) {
    }

    /**
     * Hands over a change of the stop loss and take profit (absolute prices, 0 = none) of the event's
     * symbol's open position at the broker. Returns false, with the event rejected, when it cannot.
     */
    default boolean modify(RingEvent event, double stopLoss, double takeProfit) {
        event.reject(io.tradeflow.core.event.Outcome.INVALID_PAYLOAD, "action", "modify is not supported for this broker");
        return false;
    }

    /**
     * Hands over the cancellation of the event's symbol's working orders at the broker (only the
     * event's side when it has one). Returns false, with the event rejected, when it cannot.
     */
    /**
     * The account's equity as its broker last reported it (cached; refreshed in the background,
     * never fetched on the caller's thread), or NaN when not known yet. For sizing by equity or risk.
     */
    default boolean sizesByEquityOrRisk(long accountId) {
        return false;
    }

    default double brokerEquity(long accountId) {
        return Double.NaN;
    }

    /**
     * The symbol's specification as the account's broker describes it (contract size, lot step,
     * min/max, tick size and value; cached), or null when not known yet (a lookup is then started
     * in the background).
     */
    default io.tradeflow.config.InstrumentSpec brokerInstrument(long accountId, RingEvent event) {
        return null;
    }

    default boolean cancel(RingEvent event) {
        event.reject(io.tradeflow.core.event.Outcome.INVALID_PAYLOAD, "action", "cancel is not supported for this broker");
        return false;
    }
}
