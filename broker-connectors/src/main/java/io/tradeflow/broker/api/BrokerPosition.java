package io.tradeflow.broker.api;

/** An open position at the broker; {@code quantity} is signed (negative = short). */
public record BrokerPosition(String positionId, String symbol, double quantity, double averagePrice) {
}
