package io.tradeflow.core.venue;

/**
 * Where a broker connector reports that an account lost its broker: a login the broker refused or
 * that keeps failing, an EA that reports it cannot trade, a circuit breaker that opened. Lives here,
 * below the connectors and the services, so connectors can report without seeing who listens (the
 * notifications, in the services). Implementations must not block: they are called from connector
 * threads in the middle of broker I/O.
 */
public interface ConnectionAlerts {
    ConnectionAlerts NONE = new ConnectionAlerts() {
        @Override
        public void brokerDisconnected(long accountId, String broker, String reason) {
        }

        @Override
        public void circuitOpened(long accountId, String broker, String reason) {
        }
    };

    /** The account's broker (or its EA) is not connected, for {@code reason}. */
    void brokerDisconnected(long accountId, String broker, String reason);

    /** The account's circuit breaker opened after repeated failures: orders are refused at once for a while. */
    void circuitOpened(long accountId, String broker, String reason);
}
