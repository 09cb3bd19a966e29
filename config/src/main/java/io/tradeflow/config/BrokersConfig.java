package io.tradeflow.config;

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
 */
public record BrokersConfig(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor,
                            Duration reconcileInterval, Duration eaHeartbeatTimeout, Duration eaPickupTimeout) {
}
