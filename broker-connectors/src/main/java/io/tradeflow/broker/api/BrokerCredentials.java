package io.tradeflow.broker.api;

/**
 * What the user gives the router to trade one broker account. Implementations are records whose
 * {@code toString()} hides every secret, so credentials never reach a log in clear.
 */
public interface BrokerCredentials {
}
