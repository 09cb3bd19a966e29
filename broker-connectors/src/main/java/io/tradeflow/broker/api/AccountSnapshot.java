package io.tradeflow.broker.api;

/** The account's money as the broker reports it. */
public record AccountSnapshot(String brokerAccountId, String currency, double balance, double equity) {
}
