package io.tradeflow.broker.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    @Test
    void shouldDelayTheCallThatWouldExceedTheWindow() {
        RateLimiter limiter = new RateLimiter(2, 1_000);

        assertThat(limiter.reserve(10_000)).isZero();
        assertThat(limiter.reserve(10_100)).isZero();
        assertThat(limiter.reserve(10_200)).isEqualTo(800);
        assertThat(limiter.reserve(10_200)).isEqualTo(900);
    }

    @Test
    void shouldHoldEveryCallUntilThePauseA429Asked() {
        RateLimiter limiter = new RateLimiter(200, 60_000);
        limiter.pauseUntil(5_000);

        assertThat(limiter.reserve(4_000)).isEqualTo(1_000);
        assertThat(limiter.reserve(6_000)).isZero();
    }
}
