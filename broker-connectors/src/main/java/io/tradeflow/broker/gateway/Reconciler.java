package io.tradeflow.broker.gateway;

import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.core.ring.BrokerReportPublisher;
import io.tradeflow.core.stage.BrokerReportStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Periodically follows each account's working limit and stop orders to their fills, then asks the
 * broker for its open positions and sends each net position into
 * the ring as a position check, where it is compared with the router's own book (the only place
 * that may read it). Symbols the router traded but the broker no longer holds are checked as 0.
 * Drift is journaled with the check, logged, and kept here for the dashboard.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final int MAX_KEPT = 1000;

    /** One difference found between the broker and the router. */
    public record Drift(long accountId, String symbol, double brokerQuantity, double routerQuantity, long atMillis) {
    }

    private final AccountConnectors accounts;
    private final ConnectorGateway gateway;
    private final BrokerReportPublisher reports;
    private final List<Drift> drifts = new CopyOnWriteArrayList<>();
    // The drift each account shows now, by symbol: set by a check that differs, cleared by one in sync.
    private final Map<Long, Map<String, Drift>> current = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tradeflow-reconcile");
        t.setDaemon(true);
        return t;
    });

    public Reconciler(AccountConnectors accounts, ConnectorGateway gateway, BrokerReportPublisher reports) {
        this.accounts = accounts;
        this.gateway = gateway;
        this.reports = reports;
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::reconcileAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<Drift> drifts() {
        return List.copyOf(drifts);
    }

    /**
     * The account's differences with its broker as of the last check of each symbol: a position at
     * the broker the router did not open, one that vanished, or a different size. For the account view.
     */
    public List<Drift> currentDrifts(long accountId) {
        Map<String, Drift> bySymbol = current.get(accountId);
        return bySymbol == null ? List.of() : bySymbol.values().stream()
                .sorted(java.util.Comparator.comparing(Drift::symbol)).toList();
    }

    /** Forgets a deleted account's drift. */
    public void forget(long accountId) {
        current.remove(accountId);
    }

    /** One pass over every account; each account's failure is its own. */
    public void reconcileAll() {
        for (long accountId : accounts.accountIds()) {
            BrokerConnector connector = accounts.get(accountId);
            if (connector == null || connector.circuit().isOpen()) {
                continue;
            }
            // Fills of working orders first, so a position check does not see them as drift.
            gateway.followWorkingOrders(accountId, connector).thenCompose(ignored -> connector.positions())
                    .whenComplete((positions, failure) -> {
                if (failure != null) {
                    LOG.warn("reconciliation of account {} skipped: {}", accountId, BrokerException.of(failure).getMessage());
                    return;
                }
                check(accountId, positions);
            });
        }
    }

    private void check(long accountId, List<BrokerPosition> positions) {
        Map<String, Double> net = new HashMap<>();
        for (BrokerPosition p : positions) {
            net.merge(p.symbol(), p.quantity(), Double::sum);
        }
        for (String symbol : gateway.tradedSymbols(accountId)) {
            net.putIfAbsent(symbol, 0.0);
        }
        net.forEach((symbol, quantity) -> reports.positionCheck(accountId, symbol, quantity, decided -> {
            if (!BrokerReportStage.isDrift(decided)) {
                Map<String, Drift> bySymbol = current.get(accountId);
                if (bySymbol != null) {
                    bySymbol.remove(symbol);
                }
            }
            if (BrokerReportStage.isDrift(decided)) {
                // Runs on the ring thread: record and log only, never block.
                Drift drift = new Drift(accountId, symbol, quantity, decided.positionQuantity, decided.receivedAtMillis);
                if (drifts.size() < MAX_KEPT) {
                    drifts.add(drift);
                }
                current.computeIfAbsent(accountId, id -> new java.util.concurrent.ConcurrentHashMap<>()).put(symbol, drift);
                LOG.warn("position drift on account {} {}: broker {} router {}", accountId, symbol, quantity,
                        decided.positionQuantity);
            }
        }));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
