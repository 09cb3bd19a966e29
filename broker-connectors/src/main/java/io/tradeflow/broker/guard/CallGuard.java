package io.tradeflow.broker.guard;

import io.tradeflow.broker.api.BrokerException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs one account's broker calls through its circuit breaker and the route's rate limiter, and
 * backs off on 429 (a 429 means the broker did not act, so repeating is safe even for a
 * place-order). Waiting is done with a delayed executor, never by sleeping a thread.
 */
public final class CallGuard {
    static final int MAX_RATE_LIMIT_RETRIES = 3;
    private static final long DEFAULT_BACKOFF_MILLIS = 1_000;

    private final CircuitBreaker breaker;
    private final LongSupplier clock;
    private final Executor executor;
    private final String brokerName;

    public CallGuard(String brokerName, CircuitBreaker breaker, LongSupplier clock, Executor executor) {
        this.brokerName = brokerName;
        this.breaker = breaker;
        this.clock = clock;
        this.executor = executor;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** A read (or a login): its success does not clear failed writes. */
    public <T> CompletableFuture<T> call(RateLimiter limiter, Supplier<CompletableFuture<T>> attempt) {
        return call(limiter, false, attempt);
    }

    /** A call; {@code write} for one that changes something at the broker (orders, closes, cancels, modifies). */
    public <T> CompletableFuture<T> call(RateLimiter limiter, boolean write, Supplier<CompletableFuture<T>> attempt) {
        if (!breaker.tryAcquire()) {
            return CompletableFuture.failedFuture(new BrokerException(BrokerException.Kind.CIRCUIT_OPEN,
                    brokerName + " unavailable (circuit open): " + breaker.openReason()));
        }
        return attempt(limiter, write, attempt, 0);
    }

    private <T> CompletableFuture<T> attempt(RateLimiter limiter, boolean write, Supplier<CompletableFuture<T>> attempt,
                                             int retries) {
        long wait = limiter.reserve(clock.getAsLong());
        CompletableFuture<T> result = wait <= 0 ? attempt.get()
                : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, executor))
                        .thenCompose(ignored -> attempt.get());
        return result.handle((value, failure) -> {
            if (failure == null) {
                breaker.onSuccess(write);
                return CompletableFuture.completedFuture(value);
            }
            BrokerException error = BrokerException.of(failure);
            switch (error.kind()) {
                case RATE_LIMITED:
                    if (retries < MAX_RATE_LIMIT_RETRIES) {
                        long backoff = error.retryAfterMillis() > 0 ? error.retryAfterMillis()
                                : DEFAULT_BACKOFF_MILLIS << retries;
                        limiter.pauseUntil(clock.getAsLong() + backoff);
                        return this.<T>attempt(limiter, write, attempt, retries + 1);
                    }
                    breaker.onSuccess(write);
                    break;
                case TIMEOUT:
                case UNAVAILABLE:
                case BAD_ANSWER:
                    breaker.onFailure(error.getMessage(), write);
                    break;
                default:
                    breaker.onSuccess(write);
            }
            return CompletableFuture.<T>failedFuture(error);
        }).thenCompose(Function.identity());
    }
}
