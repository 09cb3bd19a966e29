package io.tradeflow.broker.api;

/**
 * What the broker made of a placed order. {@code filledQuantity} is unsigned; 0 while the order
 * works (limit, stop). {@code reconciled} says the result was found by client tag after a call
 * whose answer was lost.
 */
public record OrderResult(String brokerOrderId, boolean filled, double filledQuantity, double fillPrice,
                          boolean reconciled) {
}
