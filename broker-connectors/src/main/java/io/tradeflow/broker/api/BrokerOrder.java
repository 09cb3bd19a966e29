package io.tradeflow.broker.api;

/**
 * An order at the broker as listed by it; {@code status} is the broker's word, lower-cased;
 * {@code side} is {@code buy}, {@code sell} or empty when the listing does not say.
 */
public record BrokerOrder(String brokerOrderId, String symbol, String clientTag, String status, double quantity,
                          double filledQuantity, double averageFillPrice, String side) {

    public BrokerOrder(String brokerOrderId, String symbol, String clientTag, String status, double quantity,
                       double filledQuantity, double averageFillPrice) {
        this(brokerOrderId, symbol, clientTag, status, quantity, filledQuantity, averageFillPrice, "");
    }

    public boolean isFilled() {
        return "filled".equals(status);
    }

    /** Whether the order can change no more (filled, cancelled, rejected or expired). */
    public boolean isFinal() {
        switch (status) {
            case "filled":
            case "cancelled":
            case "canceled":
            case "rejected":
            case "expired":
                return true;
            default:
                return false;
        }
    }
}
