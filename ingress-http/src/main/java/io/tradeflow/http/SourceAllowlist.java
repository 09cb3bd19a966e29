package io.tradeflow.http;

import io.tradeflow.config.CidrBlock;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The addresses webhooks are accepted from ({@code http.webhook-allowed-sources}), e.g.
 * TradingView's published senders; an empty list accepts any. One instance per connection: the
 * peer address cannot change, so it is checked once and the verdict kept.
 */
final class SourceAllowlist {
    private final CidrBlock[] blocks;
    private Boolean verdict;

    SourceAllowlist(List<CidrBlock> blocks) {
        this.blocks = blocks.toArray(new CidrBlock[0]);
    }

    boolean allows(SocketAddress remote) {
        if (blocks.length == 0) {
            return true;
        }
        if (verdict == null) {
            verdict = check(remote);
        }
        return verdict;
    }

    private boolean check(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress) || ((InetSocketAddress) remote).getAddress() == null) {
            return false;
        }
        long[] address = CidrBlock.words(((InetSocketAddress) remote).getAddress().getAddress());
        for (CidrBlock block : blocks) {
            if (block.contains(address[0], address[1])) {
                return true;
            }
        }
        return false;
    }
}
