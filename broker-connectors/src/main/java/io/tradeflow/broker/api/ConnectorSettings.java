package io.tradeflow.broker.api;

import java.time.Duration;

/**
 * Per-account failure isolation: how long one call may take, when the account's circuit opens
 * (consecutive transport failures) and for how long; for MetaTrader, how long without an EA
 * heartbeat the account counts as disconnected, and how long a command may wait for an EA that
 * has not picked it up.
 */
public record ConnectorSettings(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor,
                                Duration eaHeartbeatTimeout, Duration eaPickupTimeout) {
    public static final ConnectorSettings DEFAULTS = new ConnectorSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(30));

    public ConnectorSettings(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor) {
        this(requestTimeout, circuitFailureThreshold, circuitOpenFor, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
