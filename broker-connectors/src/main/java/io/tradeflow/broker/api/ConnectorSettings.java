package io.tradeflow.broker.api;

import java.time.Duration;

/**
 * Per-account failure isolation: how long one call may take, when the account's circuit opens
 * (consecutive transport failures) and for how long; for MetaTrader, how long without an EA
 * heartbeat the account counts as disconnected, and how long a command may wait for an EA that
 * has not picked it up; how long a place-order whose answer proved nothing is looked for by its
 * client tag (with back-off) before it is recorded as outcome unknown.
 */
public record ConnectorSettings(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor,
                                Duration eaHeartbeatTimeout, Duration eaPickupTimeout, Duration outcomeRecheckWindow) {
    public static final Duration DEFAULT_OUTCOME_RECHECK_WINDOW = Duration.ofSeconds(15);
    public static final ConnectorSettings DEFAULTS = new ConnectorSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(30));

    public ConnectorSettings {
        if (outcomeRecheckWindow == null || outcomeRecheckWindow.isNegative()) {
            throw new IllegalArgumentException("outcomeRecheckWindow must be >= 0");
        }
    }

    public ConnectorSettings(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor,
                             Duration eaHeartbeatTimeout, Duration eaPickupTimeout) {
        this(requestTimeout, circuitFailureThreshold, circuitOpenFor, eaHeartbeatTimeout, eaPickupTimeout,
                DEFAULT_OUTCOME_RECHECK_WINDOW);
    }

    public ConnectorSettings(Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor) {
        this(requestTimeout, circuitFailureThreshold, circuitOpenFor, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /** The same settings with another re-check window (tests shorten it). */
    public ConnectorSettings withOutcomeRecheckWindow(Duration window) {
        return new ConnectorSettings(requestTimeout, circuitFailureThreshold, circuitOpenFor, eaHeartbeatTimeout,
                eaPickupTimeout, window);
    }
}
