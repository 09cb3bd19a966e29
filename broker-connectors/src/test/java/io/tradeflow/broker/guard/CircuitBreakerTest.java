package io.tradeflow.broker.guard;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(2, 5_000, now::get);

    @Test
    void shouldOpenAfterConsecutiveFailuresAndRememberWhy() {
        breaker.onFailure("timeout 1");
        assertThat(breaker.isOpen()).isFalse();
        breaker.onFailure("timeout 2");

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.openReason()).isEqualTo("timeout 2");
    }

    @Test
    void shouldTellItsListenerOnceEachTimeItOpens() {
        java.util.List<String> opened = new java.util.ArrayList<>();
        breaker.onOpen(opened::add);
        breaker.onFailure("a");
        breaker.onFailure("b");
        breaker.onFailure("c");
        assertThat(opened).containsExactly("b");
        now.addAndGet(5_000);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure("probe failed");
        assertThat(opened).containsExactly("b", "probe failed");
    }

    @Test
    void shouldLetOneProbeThroughAfterTheOpenPeriodAndCloseOnItsSuccess() {
        breaker.onFailure("a");
        breaker.onFailure("b");
        now.addAndGet(5_000);

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onSuccess();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void shouldOpenAgainWhenTheProbeFails() {
        breaker.onFailure("a");
        breaker.onFailure("b");
        now.addAndGet(5_000);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.onFailure("still down");

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.openReason()).isEqualTo("still down");
    }

    @Test
    void shouldResetTheCountOnSuccess() {
        breaker.onFailure("a");
        breaker.onSuccess();
        breaker.onFailure("b");

        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void shouldNotLetAReadsSuccessClearFailedWrites() {
        breaker.onFailure("place-order 503", true);
        breaker.onSuccess(false);
        breaker.onFailure("place-order 503 again", true);

        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.openReason()).isEqualTo("place-order 503 again");
    }

    @Test
    void shouldStayHalfOpenAfterAReadProbeWhileWritesStillFail() {
        breaker.onFailure("a", true);
        breaker.onFailure("b", true);
        now.addAndGet(5_000);

        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess(false);
        // Writes have not recovered: one call at a time, and the next failed write opens it at once.
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onFailure("c", true);
        assertThat(breaker.isOpen()).isTrue();
    }

    @Test
    void shouldCloseOnceAWriteSucceeds() {
        breaker.onFailure("a", true);
        breaker.onFailure("b", true);
        now.addAndGet(5_000);
        assertThat(breaker.tryAcquire()).isTrue();

        breaker.onSuccess(true);

        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure("one more", true);
        assertThat(breaker.isOpen()).isFalse();
    }
}
