package io.tradeflow.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-address window: counts per IPv4 address or IPv6 /64, Retry-After to the window's end. */
class PerIpRateLimiterTest {
    private static final long T0 = 1_000_000;

    private static InetSocketAddress at(String address) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(address), 40000);
    }

    @Test
    void shouldRefuseBeyondTheLimitUntilTheWindowEnds() throws UnknownHostException {
        PerIpRateLimiter limiter = new PerIpRateLimiter(3, 60_000);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(at("203.0.113.7"), T0 + i)).isZero();
        }
        assertThat(limiter.acquire(at("203.0.113.7"), T0 + 10)).isEqualTo(60);
        assertThat(limiter.acquire(at("203.0.113.7"), T0 + 59_001)).isEqualTo(1);
        assertThat(limiter.acquire(at("203.0.113.8"), T0 + 59_001)).as("another address has its own count").isZero();
        assertThat(limiter.acquire(at("203.0.113.7"), T0 + 60_000)).as("a new window").isZero();
    }

    @Test
    void shouldCountAnIpv6Slash64AsOneClient() throws UnknownHostException {
        PerIpRateLimiter limiter = new PerIpRateLimiter(2, 60_000);
        assertThat(limiter.acquire(at("2001:db8:1:2::1"), T0)).isZero();
        assertThat(limiter.acquire(at("2001:db8:1:2:ffff::9"), T0)).isZero();
        assertThat(limiter.acquire(at("2001:db8:1:2:abcd::1"), T0)).as("same /64").isPositive();
        assertThat(limiter.acquire(at("2001:db8:1:3::1"), T0)).as("next /64").isZero();
    }

    @Test
    void shouldNotConfuseAnIpv4AddressWithAnIpv6PrefixOfTheSameBits() throws UnknownHostException {
        assertThat(PerIpRateLimiter.clientKey(at("10.0.0.1")))
                .isNotEqualTo(PerIpRateLimiter.clientKey(at("::a00:1")));
    }
}
