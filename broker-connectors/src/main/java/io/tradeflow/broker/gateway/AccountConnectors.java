package io.tradeflow.broker.gateway;

import io.tradeflow.broker.api.BrokerConnector;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The connector of each registered broker account. Read by the ring thread on every broker order,
 * written rarely (an account registers credentials): copy-on-write behind a volatile reference, so
 * reads take no lock and allocate nothing.
 */
public final class AccountConnectors {
    private volatile Long2ObjectHashMap<BrokerConnector> byAccount = new Long2ObjectHashMap<>();

    /** The account's connector, or null when it has none. */
    public BrokerConnector get(long accountId) {
        return byAccount.get(accountId);
    }

    /** Routes the account through {@code connector}; returns the connector it replaced, or null. */
    public synchronized BrokerConnector put(long accountId, BrokerConnector connector) {
        Long2ObjectHashMap<BrokerConnector> copy = new Long2ObjectHashMap<>(byAccount);
        BrokerConnector previous = copy.put(accountId, connector);
        byAccount = copy;
        return previous == connector ? null : previous;
    }

    /** Stops routing the account through any connector; returns the one it had, or null. */
    public synchronized BrokerConnector remove(long accountId) {
        if (!byAccount.containsKey(accountId)) {
            return null;
        }
        Long2ObjectHashMap<BrokerConnector> copy = new Long2ObjectHashMap<>(byAccount);
        BrokerConnector previous = copy.remove(accountId);
        byAccount = copy;
        return previous;
    }

    public List<Long> accountIds() {
        List<Long> ids = new ArrayList<>();
        Long2ObjectHashMap<BrokerConnector>.KeyIterator keys = byAccount.keySet().iterator();
        while (keys.hasNext()) {
            ids.add(keys.nextLong());
        }
        return ids;
    }

    public synchronized void closeAll() {
        byAccount.values().forEach(BrokerConnector::close);
        byAccount = new Long2ObjectHashMap<>();
    }
}
