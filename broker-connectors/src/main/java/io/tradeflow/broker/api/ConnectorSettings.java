package io.tradeflow.broker.api;

import java.time.Duration;

/**
 * Per-account failure isolation: how long one call may take, and when the account's circuit
 * opens (consecutive transport failures) and for how long.
 */
public record ConnectorSettings(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor) {
    public static final ConnectorSettings DEFAULTS = new ConnectorSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(30));
}
