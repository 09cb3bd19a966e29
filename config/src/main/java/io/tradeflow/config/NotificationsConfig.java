package io.tradeflow.config;

import java.time.Duration;

/**
 * Delivery of notifications (email and outbound webhooks).
 *
 * @param retryBase         wait before the first retry of a failed delivery; doubles with each attempt (capped at 1 hour)
 * @param maxAttempts       deliveries tried before one is marked failed
 * @param allowPrivateUrls  whether webhook URLs may point at loopback, private or link-local addresses (tests, labs);
 *                          off in production so a user cannot make the server call internal services
 */
public record NotificationsConfig(Duration retryBase, int maxAttempts, boolean allowPrivateUrls) {
}
