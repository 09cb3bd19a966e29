package io.tradeflow.service.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per email and per client address in a fixed window, so passwords cannot be
 * guessed quickly from one place or against one account. The answer to a throttled attempt is as
 * generic as a wrong password's, apart from its status.
 */
public final class LoginThrottle {
    public static final int MAX_FAILURES_PER_EMAIL = 5;
    public static final int MAX_FAILURES_PER_ADDRESS = 20;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** Above this many tracked keys, expired windows are dropped so memory stays bounded. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final Map<String, Window> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    private record Window(long startMillis, int count) {
    }

    /** Whether another attempt is allowed for this email from this address. */
    public boolean allowed(String email, String address) {
        long now = clock.millis();
        return count("e:" + email, now) < MAX_FAILURES_PER_EMAIL && count("a:" + address, now) < MAX_FAILURES_PER_ADDRESS;
    }

    public void failed(String email, String address) {
        long now = clock.millis();
        if (failures.size() > PRUNE_ABOVE) {
            failures.values().removeIf(w -> now - w.startMillis() >= WINDOW.toMillis());
        }
        increment("e:" + email, now);
        increment("a:" + address, now);
    }

    /** A successful login clears the email's failures (not the address's: one success proves little). */
    public void succeeded(String email) {
        failures.remove("e:" + email);
    }

    private int count(String key, long now) {
        Window w = failures.get(key);
        return w == null || now - w.startMillis() >= WINDOW.toMillis() ? 0 : w.count();
    }

    private void increment(String key, long now) {
        failures.compute(key, (k, w) -> w == null || now - w.startMillis() >= WINDOW.toMillis()
                ? new Window(now, 1) : new Window(w.startMillis(), w.count() + 1));
    }
}
