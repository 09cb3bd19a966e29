package io.tradeflow.config;

import java.net.URI;
import java.time.Duration;

/**
 * Failure handling for real-broker accounts, applied per account.
 *
 * @param requestTimeout          longest a single broker call may take
 * @param circuitFailureThreshold consecutive transport failures that open an account's circuit
 * @param circuitOpenFor          how long an open circuit refuses orders before one probe is let through
 * @param reconcileInterval       how often broker positions are compared with the router's
 * @param eaHeartbeatTimeout      how long a MetaTrader account stays connected without an EA heartbeat
 * @param eaPickupTimeout         how long a command waits for the EA's poll before it is withdrawn
 * @param tradeLockerDemoUrl      the TradeLocker backend a dashboard account with {@code environment: demo} logs in to
 * @param tradeLockerLiveUrl      the TradeLocker backend for {@code environment: live}
 * @param projectXUrl             the ProjectX gateway dashboard ProjectX accounts log in to
 * @param outcomeRecheckWindow    how long a place-order whose answer proved nothing is looked for by its client tag
 * @param tradeLockerServer       the TradeLocker server name a registration logs in to when it names only the
 *                                environment ({@code "server": "demo.tradelocker.com"}); {@code ""} refuses such a
 *                                registration with a 400 asking for the server name
 */
public record BrokersConfig(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor,
                            Duration reconcileInterval, Duration eaHeartbeatTimeout, Duration eaPickupTimeout,
                            URI tradeLockerDemoUrl, URI tradeLockerLiveUrl, URI projectXUrl, Duration outcomeRecheckWindow,
                            String tradeLockerServer) {
}
