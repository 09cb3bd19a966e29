package io.tradeflow.http;

import org.agrona.collections.Long2LongHashMap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Counts requests per client address in fixed windows, so one address cannot flood the ring
 * before its alerts are even parsed (the per-key limit only applies once a key is known). IPv6
 * clients are counted per /64, the block one subscriber usually holds. Confined to one event-loop
 * thread: no locks. One window is shared by all addresses; it starts with the first request after
 * the previous one ended, and starting it clears the counts, which bounds the memory to the
 * addresses seen in one window.
 */
final class PerIpRateLimiter {
    private static final long NO_COUNT = 0;

    private final int maxPerWindow;
    private final long windowMillis;
    private final Long2LongHashMap counts = new Long2LongHashMap(NO_COUNT);
    private long windowStartMillis;
    private boolean windowOpen;

    PerIpRateLimiter(int maxPerWindow, long windowMillis) {
        this.maxPerWindow = maxPerWindow;
        this.windowMillis = windowMillis;
    }

    /**
     * Counts one request from {@code remote} at {@code nowMillis}; returns 0 when it is allowed,
     * otherwise the whole seconds until the window ends (for {@code Retry-After}).
     */
    int acquire(SocketAddress remote, long nowMillis) {
        if (!windowOpen || nowMillis - windowStartMillis >= windowMillis) {
            windowOpen = true;
            windowStartMillis = nowMillis;
            counts.clear();
        }
        long client = clientKey(remote);
        long used = counts.get(client) + 1;
        if (used > maxPerWindow) {
            long remainingMillis = windowStartMillis + windowMillis - nowMillis;
            return (int) Math.max(1, (remainingMillis + 999) / 1000);
        }
        counts.put(client, used);
        return 0;
    }

    /** IPv4 address as a number, or the first 64 bits of an IPv6 address; unknown peers share one key. */
    static long clientKey(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress) || ((InetSocketAddress) remote).getAddress() == null) {
            return -1;
        }
        InetAddress address = ((InetSocketAddress) remote).getAddress();
        byte[] bytes = address.getAddress();
        int prefix = Math.min(bytes.length, 8);
        long key = 0;
        for (int i = 0; i < prefix; i++) {
            key = (key << 8) | (bytes[i] & 0xFF);
        }
        // Distinguishes an IPv4 address from an IPv6 prefix with the same leading bytes.
        return bytes.length == 4 ? key : key | Long.MIN_VALUE;
    }
}
