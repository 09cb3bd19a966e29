package io.tradeflow.broker.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerCredentials;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.http.BrokerHttpClients;
import io.tradeflow.broker.http.JsonHttp;
import io.tradeflow.broker.mtx.MtxBridge;
import io.tradeflow.broker.mtx.MtxBridges;
import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.broker.projectx.ProjectXConnector;
import io.tradeflow.broker.projectx.ProjectXCredentials;
import io.tradeflow.broker.tradelocker.TradeLockerConnector;
import io.tradeflow.broker.tradelocker.TradeLockerCredentials;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.ring.BrokerReportPublisher;
import io.tradeflow.core.venue.BrokerGateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The real brokers, assembled: one shared HTTP client, the connector of each registered account,
 * the gateway the ring hands orders to, and the periodic reconciliation.
 */
public final class BrokerConnectors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnectors.class);
    private final ConnectorSettings settings;
    private final BrokerHttpClients http = new BrokerHttpClients(2, Duration.ofSeconds(5));
    private final ObjectMapper mapper = new ObjectMapper();
    private final AccountConnectors accounts = new AccountConnectors();
    private final ConnectorGateway gateway = new ConnectorGateway(accounts);
    private final MtxBridges mtxBridges = new MtxBridges();
    private volatile io.tradeflow.core.venue.ConnectionAlerts connectionAlerts = io.tradeflow.core.venue.ConnectionAlerts.NONE;
    private static final long EA_WATCH_SECONDS = 5;
    /** Whether each MetaTrader account's EA was connected at the last look (watchEas). */
    private final Map<Long, Boolean> eaConnected = new java.util.concurrent.ConcurrentHashMap<>();
    /** MetaTrader accounts whose EA the user stopped (copy trading / issue 18's EA start-stop). */
    private final java.util.Set<Long> stoppedEas = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Function<String, InstrumentSpec> instruments;
    private Reconciler reconciler;
    private final Map<Long, LoginState> logins = new java.util.concurrent.ConcurrentHashMap<>();
    // The login attempt chain that may attach a connector to each account; replaced or removed to stop it.
    private final Map<Long, Object> loginOwners = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService loginTimer =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tradeflow-broker-login-retry");
                t.setDaemon(true);
                return t;
            });

    /** How the account's login stands: connected, retrying after a transient failure, or refused (credentials). */
    public enum LoginStatus {
        CONNECTED, RETRYING, REFUSED
    }

    /**
     * The account's last login: {@code reason} is the broker's (never the credentials),
     * {@code attempts} counts failed tries, {@code nextAttemptAtMillis} is 0 unless retrying.
     */
    public record LoginState(LoginStatus status, String reason, int attempts, long nextAttemptAtMillis) {
    }

    static final long FIRST_LOGIN_RETRY_MILLIS = 1_000;
    static final long MAX_LOGIN_RETRY_MILLIS = 60_000;

    public BrokerConnectors(ConnectorSettings settings) {
        this(settings, Map.of());
    }

    /** {@code instruments}: the router's instrument table, which MetaTrader stops are converted with. */
    public BrokerConnectors(ConnectorSettings settings, Map<String, InstrumentSpec> instruments) {
        this.settings = settings;
        this.instruments = MtxBridge.instrumentLookup(instruments);
    }

    /** The gateway per broker kind, for the dispatch stage. */
    public Map<BrokerKind, BrokerGateway> gateways() {
        Map<BrokerKind, BrokerGateway> map = new EnumMap<>(BrokerKind.class);
        map.put(BrokerKind.TRADELOCKER, gateway);
        map.put(BrokerKind.PROJECTX, gateway);
        map.put(BrokerKind.MTX, gateway);
        return map;
    }

    /** Starts sending orders and reconciling every {@code reconcileEvery}; reports go into the ring. */
    public void start(BrokerReportPublisher reports, Duration reconcileEvery) {
        gateway.start(reports);
        reconciler = new Reconciler(accounts, gateway, reports);
        reconciler.start(reconcileEvery);
        loginTimer.scheduleWithFixedDelay(this::watchEas, EA_WATCH_SECONDS, EA_WATCH_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * An EA that stops sending heartbeats makes no call that could say so: every few seconds each
     * MetaTrader account's connection is compared with the last look, and a lost one is reported.
     */
    private void watchEas() {
        try {
            for (long accountId : accounts.accountIds()) {
                if (accounts.get(accountId) instanceof MtxBridge bridge) {
                    boolean connected = bridge.isConnected();
                    Boolean before = eaConnected.put(accountId, connected);
                    if (Boolean.TRUE.equals(before) && !connected) {
                        connectionAlerts.brokerDisconnected(accountId, BrokerKind.MTX.wireName(), bridge.openReason());
                    }
                }
            }
            eaConnected.keySet().retainAll(accounts.accountIds());
        } catch (RuntimeException e) {
            LOG.warn("watching the MetaTrader EAs failed: {}", e.toString());
        }
    }

    /** The MetaTrader bridges, for the EA's HTTP endpoints. */
    public MtxBridges mtxBridges() {
        return mtxBridges;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    /**
     * A connector for the credentials, logged in: the future fails with the broker's reason when
     * they are refused (the dashboard's credential check), or when they are not for {@code broker}.
     */
    public CompletableFuture<BrokerConnector> connect(BrokerKind broker, BrokerCredentials credentials) {
        BrokerConnector connector;
        try {
            connector = create(credentials);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (connector.kind() != broker) {
            discard(connector);
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "credentials for " + connector.kind().wireName() + " given for a " + broker.wireName() + " account"));
        }
        return connector.authenticate().handle((ok, failure) -> {
            if (failure != null) {
                discard(connector);
                throw BrokerException.of(failure);
            }
            return connector;
        });
    }

    /** Closes a connector that will not be attached (a login that came too late, an account that was not created). */
    public void discard(BrokerConnector connector) {
        connector.close();
        if (connector instanceof MtxBridge) {
            mtxBridges.unregister((MtxBridge) connector);
        }
    }

    /**
     * Whether the account's broker is usable now: credentials registered and its circuit closed
     * (for MetaTrader: the EA is sending heartbeats). For the dashboard's account status.
     */
    public boolean isConnected(long accountId) {
        BrokerConnector connector = accounts.get(accountId);
        return connector != null && !connector.circuit().isOpen();
    }

    /**
     * Starts or stops a MetaTrader account's EA (kept for a bridge attached later, e.g. after a
     * restart); the bridge refuses orders while stopped and tells the EA on every poll.
     */
    public void eaRunning(long accountId, boolean running) {
        if (running) {
            stoppedEas.remove(accountId);
        } else {
            stoppedEas.add(accountId);
        }
        if (accounts.get(accountId) instanceof MtxBridge bridge) {
            bridge.run(running);
        }
    }

    /** Whether the user lets the account's EA trade (true for every account not stopped). */
    public boolean eaRunning(long accountId) {
        return !stoppedEas.contains(accountId);
    }

    /** The account's connector, or null when it has none (no credentials, or their login failed). */
    public BrokerConnector connector(long accountId) {
        return accounts.get(accountId);
    }

    /** Routes the account's orders through this (connected) connector from now on; a pending login retry stops. */
    /** Where lost connections and opened circuits are reported (the notifications); set once at start. */
    public void connectionAlerts(io.tradeflow.core.venue.ConnectionAlerts listener) {
        this.connectionAlerts = listener;
    }

    public void attach(long accountId, BrokerConnector connector) {
        String wireName = connector.kind().wireName();
        if (connector.circuit() instanceof io.tradeflow.broker.guard.CircuitBreaker breaker) {
            breaker.onOpen(reason -> connectionAlerts.circuitOpened(accountId, wireName, reason));
        }
        if (connector instanceof MtxBridge bridge) {
            bridge.onCannotTrade(reason -> connectionAlerts.brokerDisconnected(accountId, wireName, reason));
            bridge.run(!stoppedEas.contains(accountId));
        }
        loginOwners.remove(accountId);
        logins.put(accountId, new LoginState(LoginStatus.CONNECTED, "", 0, 0));
        gateway.forgetBrokerData(accountId);
        BrokerConnector replaced = accounts.put(accountId, connector);
        if (replaced != null) {
            discard(replaced);
        }
        // The balance sizing needs, loaded now so the first sized alert does not wait for it
        // (MetaTrader accounts take fixed quantities: nothing to load).
        if (connector.kind() != BrokerKind.MTX) {
            gateway.preload(accountId);
        }
    }

    /**
     * Loads the account's balance and these symbols' specifications from its broker for sizing
     * (they are otherwise loaded on first use and refreshed in the background).
     */
    public CompletableFuture<Void> preloadSizing(long accountId, String... symbols) {
        return gateway.preload(accountId, symbols);
    }

    /**
     * The account is deleted (or its broker removed): its connector stops and is closed, any login
     * retry stops, and its alerts are refused as having no credentials.
     */
    public void detach(long accountId) {
        loginOwners.remove(accountId);
        logins.remove(accountId);
        gateway.forgetBrokerData(accountId);
        if (reconciler != null) {
            reconciler.forget(accountId);
        }
        BrokerConnector removed = accounts.remove(accountId);
        if (removed != null) {
            discard(removed);
        }
    }

    /**
     * Closes, directly at the broker, every open position of the account in a symbol the router
     * holds nothing of ({@code routerSymbols}): what an emergency stop must not leave open. The
     * router's own positions are closed through the ring. Completes with the symbols closed.
     */
    public CompletableFuture<List<String>> closeUnknownPositions(long accountId, java.util.Set<String> routerSymbols) {
        BrokerConnector connector = accounts.get(accountId);
        if (connector == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return connector.positions().thenCompose(open -> {
            java.util.Set<String> unknown = new java.util.TreeSet<>();
            for (io.tradeflow.broker.api.BrokerPosition p : open) {
                if (!routerSymbols.contains(p.symbol()) && p.quantity() != 0) {
                    unknown.add(p.symbol());
                }
            }
            List<CompletableFuture<String>> closes = new java.util.ArrayList<>();
            for (String symbol : unknown) {
                LOG.warn("emergency stop: closing the {} position of account {} the router did not open", symbol, accountId);
                closes.add(connector.closePosition(symbol, 0).thenApply(v -> symbol));
            }
            return CompletableFuture.allOf(closes.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> closes.stream().map(CompletableFuture::join).toList());
        });
    }

    /**
     * The client tags of the account's orders whose outcome is still unknown (the broker's answer
     * proved nothing and it has not listed them yet): for the account view, so the trader checks them.
     */
    public java.util.Set<String> ordersWithUnknownOutcome(long accountId) {
        return gateway.unsettledTags(accountId);
    }

    /** The account's login state, or null when it never had stored credentials logged in. */
    public LoginState loginState(long accountId) {
        return logins.get(accountId);
    }

    /**
     * Logs the account in with its stored credentials and attaches the connector; the future
     * completes after the first attempt. A failure that proves nothing about the credentials (the
     * broker down, slow, 5xx, rate limited) is retried with a doubling back-off from 1 s up to one
     * minute between tries, for as long as the account exists and nobody attached other credentials;
     * a refusal of the credentials is not retried (the user must register them again). Each failure
     * is logged with the broker's reason; a success after failures is logged too.
     */
    public CompletableFuture<Void> connectWithRetry(long accountId, BrokerKind broker, BrokerCredentials credentials) {
        Object owner = new Object();
        loginOwners.put(accountId, owner);
        return attempt(accountId, broker, credentials, owner, 1);
    }

    private CompletableFuture<Void> attempt(long accountId, BrokerKind broker, BrokerCredentials credentials, Object owner,
                                            int attempt) {
        return connect(broker, credentials).handle((connector, failure) -> {
            if (loginOwners.get(accountId) != owner) {
                // Deleted, or new credentials attached meanwhile: theirs win.
                if (connector != null) {
                    discard(connector);
                }
                return null;
            }
            if (failure == null) {
                if (accounts.get(accountId) == null) {
                    attach(accountId, connector);
                } else {
                    loginOwners.remove(accountId, owner);
                    discard(connector);
                }
                if (attempt > 1) {
                    LOG.warn("broker account {} ({}) connected after {} failed login attempts", accountId,
                            broker.wireName(), attempt - 1);
                } else {
                    LOG.info("broker account {} ({}) connected", accountId, broker.wireName());
                }
                return null;
            }
            BrokerException e = failure instanceof IllegalArgumentException
                    ? new BrokerException(BrokerException.Kind.REJECTED, failure.getMessage())
                    : BrokerException.of(failure);
            if (e.kind() == BrokerException.Kind.AUTH || e.kind() == BrokerException.Kind.REJECTED) {
                loginOwners.remove(accountId, owner);
                logins.put(accountId, new LoginState(LoginStatus.REFUSED, e.getMessage(), attempt, 0));
                LOG.warn("broker account {} ({}) not connected: the broker refused the stored credentials ({});"
                        + " register them again", accountId, broker.wireName(), e.getMessage());
                connectionAlerts.brokerDisconnected(accountId, broker.wireName(),
                        "the broker refused the stored credentials: " + e.getMessage());
                return null;
            }
            long delay = Math.min(MAX_LOGIN_RETRY_MILLIS, FIRST_LOGIN_RETRY_MILLIS << Math.min(16, attempt - 1));
            logins.put(accountId, new LoginState(LoginStatus.RETRYING, e.getMessage(), attempt,
                    System.currentTimeMillis() + delay));
            LOG.warn("broker account {} ({}) not connected (attempt {}): {}; trying again in {} ms", accountId,
                    broker.wireName(), attempt, e.getMessage(), delay);
            if (attempt == 1) {
                connectionAlerts.brokerDisconnected(accountId, broker.wireName(), "cannot log in to the broker: " + e.getMessage()
                        + "; retrying");
            }
            try {
                loginTimer.schedule(() -> attempt(accountId, broker, credentials, owner, attempt + 1), delay,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // Shutting down.
            }
            return null;
        });
    }

    private BrokerConnector create(BrokerCredentials credentials) {
        if (credentials instanceof TradeLockerCredentials) {
            return new TradeLockerConnector((TradeLockerCredentials) credentials, new JsonHttp(http.client(), mapper, "tradelocker"),
                    settings, System::currentTimeMillis, http.executor());
        }
        if (credentials instanceof ProjectXCredentials) {
            return new ProjectXConnector((ProjectXCredentials) credentials, new JsonHttp(http.client(), mapper, "projectx"),
                    settings, System::currentTimeMillis, http.executor());
        }
        if (credentials instanceof MtxCredentials) {
            MtxBridge bridge = new MtxBridge((MtxCredentials) credentials, settings, System::currentTimeMillis, http.executor(),
                    instruments);
            mtxBridges.register(bridge);
            return bridge;
        }
        throw new IllegalArgumentException("no connector for " + credentials.getClass().getSimpleName());
    }

    @Override
    public void close() {
        loginTimer.shutdownNow();
        loginOwners.clear();
        if (reconciler != null) {
            reconciler.close();
        }
        gateway.close();
        accounts.closeAll();
        http.close();
    }
}
