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
}
