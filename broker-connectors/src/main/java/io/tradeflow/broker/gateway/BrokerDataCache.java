package io.tradeflow.broker.gateway;

import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.config.InstrumentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What sizing on a real broker needs, cached so the ring thread never waits for a broker: each
 * account's equity (as the broker last reported it; refreshed in the background when older than
 * {@code maxAgeMillis} at a read, after every fill, and when the account's connector is attached)
 * and each symbol's specification as the account's broker describes it (fetched once, in the
 * background, on the first read that misses). Reads are lock-free map lookups.
 */
final class BrokerDataCache {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerDataCache.class);

    private static final class Equity {
        volatile double value = Double.NaN;
        volatile long fetchedAtMillis = Long.MIN_VALUE / 2;
        volatile CompletableFuture<Double> loading;
    }

    private final AccountConnectors accounts;
    private final LongSupplier clock;
    private final long maxAgeMillis;
    private final Map<Long, Equity> equities = new ConcurrentHashMap<>();
    private final Map<String, InstrumentSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<InstrumentSpec>> loadingSpecs = new ConcurrentHashMap<>();

    BrokerDataCache(AccountConnectors accounts, LongSupplier clock, long maxAgeMillis) {
        this.accounts = accounts;
        this.clock = clock;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** The cached equity (NaN when never loaded); starts a refresh when it is stale. Never blocks. */
    double equity(long accountId) {
        Equity e = equities.computeIfAbsent(accountId, id -> new Equity());
        if (clock.getAsLong() - e.fetchedAtMillis > maxAgeMillis) {
            refreshEquity(accountId);
        }
        return e.value;
    }

    /** Reloads the account's equity from its broker (deduplicated while one load runs). */
    CompletableFuture<Double> refreshEquity(long accountId) {
        BrokerConnector connector = accounts.get(accountId);
        Equity e = equities.computeIfAbsent(accountId, id -> new Equity());
        if (connector == null) {
            return CompletableFuture.completedFuture(e.value);
        }
        synchronized (e) {
            if (e.loading != null && !e.loading.isDone()) {
                return e.loading;
            }
            CompletableFuture<Double> load = new CompletableFuture<>();
            e.loading = load;
            connector.accountState().whenComplete((snapshot, failure) -> {
                if (failure != null) {
                    LOG.warn("loading the balance of account {} failed: {}", accountId, BrokerException.of(failure).getMessage());
                } else {
                    e.value = snapshot.equity();
                    e.fetchedAtMillis = clock.getAsLong();
                }
                load.complete(e.value);
            });
            return load;
        }
    }

    /** The cached specification, or null (a load is then started in the background). Never blocks. */
    InstrumentSpec instrument(long accountId, String symbol) {
        InstrumentSpec spec = specs.get(key(accountId, symbol));
        if (spec == null) {
            loadInstrument(accountId, symbol);
        }
        return spec;
    }

    /** Loads the symbol's specification from the account's broker (deduplicated while one load runs). */
    CompletableFuture<InstrumentSpec> loadInstrument(long accountId, String symbol) {
        String key = key(accountId, symbol);
        InstrumentSpec cached = specs.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        BrokerConnector connector = accounts.get(accountId);
        if (connector == null) {
            return CompletableFuture.completedFuture(null);
        }
        // Registered before the load starts, and removed when it ends, outside any map operation: a connector
        // that answers at once completes the load on this thread, and removing the key from inside
        // computeIfAbsent's function would be a recursive update of the map.
        CompletableFuture<InstrumentSpec> load = new CompletableFuture<>();
        CompletableFuture<InstrumentSpec> running = loadingSpecs.putIfAbsent(key, load);
        if (running != null) {
            return running;
        }
        connector.instrumentSpec(symbol).whenComplete((spec, failure) -> {
            if (failure != null) {
                LOG.warn("loading the instrument details of {} for account {} failed: {}", symbol, accountId,
                        BrokerException.of(failure).getMessage());
            } else {
                specs.put(key, spec);
            }
            loadingSpecs.remove(key, load);
            load.complete(failure != null ? null : spec);
        });
        return load;
    }

    /** Forgets the account (its connector changed or was detached). */
    void forget(long accountId) {
        equities.remove(accountId);
        specs.keySet().removeIf(k -> k.startsWith(accountId + ":"));
    }

    private static String key(long accountId, String symbol) {
        return accountId + ":" + symbol;
    }
}
