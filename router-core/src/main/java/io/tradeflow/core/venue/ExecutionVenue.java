package io.tradeflow.core.venue;

import io.tradeflow.core.event.RingEvent;

/**
 * Where the dispatch stage sends an order that must be decided on the ring thread (the paper
 * broker). An implementation must not block and must be deterministic given the event, so a
 * replay fills the same way.
 */
public interface ExecutionVenue {
    /**
     * Fills a market order of {@code signedQuantity} (positive buys) at a price derived from
     * {@code referencePrice}; writes {@code fillPrice} and {@code commission} into the event.
     * Returns false, with the event rejected, when the order cannot be filled.
     */
    boolean fillMarket(RingEvent event, double referencePrice, double signedQuantity);

    /**
     * Fills a limit order (a pending limit, a take profit) at exactly {@code price}: no spread, no
     * slippage, the venue's commission. The default fills as a market order and then sets the price,
     * which is right for venues whose market fills cost nothing on top of the reference price.
     */
    default boolean fillLimit(RingEvent event, double price, double signedQuantity) {
        if (!fillMarket(event, price, signedQuantity)) {
            return false;
        }
        event.fillPrice = price;
        return true;
    }

    /**
     * The leverage the router checks margin with before an order that adds exposure: the account's
     * positions at their last prices, times contract size, divided by this, must stay within its
     * equity. 0 = no check here (a real broker checks its own margin).
     */
    default double leverage() {
        return 0;
    }
}
