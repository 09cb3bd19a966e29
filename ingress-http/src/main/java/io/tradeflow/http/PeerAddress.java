package io.tradeflow.http;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The raw bytes (4 for IPv4, 16 for IPv6) of a connection's peer, which alerts carry to the ring. */
final class PeerAddress {
    private PeerAddress() {
    }

    /**
     * The peer's address bytes, or null when the channel has no IP peer (then an account with an
     * allowlist refuses its alerts). A fresh array: call it once per connection, not per request.
     */
    static byte[] of(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (remote instanceof InetSocketAddress && ((InetSocketAddress) remote).getAddress() != null) {
            return ((InetSocketAddress) remote).getAddress().getAddress();
        }
        return null;
    }
}
