package io.tradeflow.http.ws;

import java.time.Duration;

/**
 * Limits of the live stream.
 *
 * @param handoffCapacity decided events the ring may hand over before the event loop takes them (a power of two);
 *                        beyond it updates are dropped and every client is told to reload
 * @param replayWindow    messages each stream keeps for clients resuming with {@code since}
 * @param clientBuffer    messages queued for one client whose connection is not writable; one more closes it (4008)
 * @param authTimeout     time a client has to send its token after the handshake (then 4408)
 * @param retention       how long a stream (its sequence and replay window) outlives its last client
 * @param sessionRecheck  how often the connected clients' sessions are checked again: one that ended (a password
 *                        change) closes its clients with 4401; a suspension closes them at once, from the ring
 */
public record LiveSettings(int handoffCapacity, int replayWindow, int clientBuffer, Duration authTimeout,
                           Duration retention, Duration sessionRecheck) {
    public static final LiveSettings DEFAULT = new LiveSettings(8192, 512, 1024, Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    /** With sessions checked again every 30 s. */
    public LiveSettings(int handoffCapacity, int replayWindow, int clientBuffer, Duration authTimeout, Duration retention) {
        this(handoffCapacity, replayWindow, clientBuffer, authTimeout, retention, Duration.ofSeconds(30));
    }

    public LiveSettings {
        if (handoffCapacity <= 0 || Integer.bitCount(handoffCapacity) != 1) {
            throw new IllegalArgumentException("handoffCapacity must be a power of two: " + handoffCapacity);
        }
        if (sessionRecheck.isNegative() || sessionRecheck.isZero()) {
            throw new IllegalArgumentException("sessionRecheck must be positive");
        }
        if (replayWindow < 1 || clientBuffer < 1) {
            throw new IllegalArgumentException("replayWindow and clientBuffer must be positive");
        }
    }
}
