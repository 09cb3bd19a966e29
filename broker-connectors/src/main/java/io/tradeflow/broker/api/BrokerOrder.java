package io.tradeflow.broker.api;

/** An order at the broker as listed by it; {@code status} is the broker's word, lower-cased. */
public record BrokerOrder(String brokerOrderId, String symbol, String clientTag, String status, double quantity,
                          double filledQuantity, double averageFillPrice) {

    public boolean isFilled() {
        return "filled".equals(status);
    }
}
