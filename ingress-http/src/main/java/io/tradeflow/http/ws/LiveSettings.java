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
 */
public record LiveSettings(int handoffCapacity, int replayWindow, int clientBuffer, Duration authTimeout,
                           Duration retention) {
    public static final LiveSettings DEFAULT = new LiveSettings(8192, 512, 1024, Duration.ofSeconds(10),
            Duration.ofMinutes(5));

    public LiveSettings {
        if (handoffCapacity <= 0 || Integer.bitCount(handoffCapacity) != 1) {
            throw new IllegalArgumentException("handoffCapacity must be a power of two: " + handoffCapacity);
        }
        if (replayWindow < 1 || clientBuffer < 1) {
            throw new IllegalArgumentException("replayWindow and clientBuffer must be positive");
        }
    }
}
