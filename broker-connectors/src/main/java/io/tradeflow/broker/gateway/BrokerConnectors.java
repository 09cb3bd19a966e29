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

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The real brokers, assembled: one shared HTTP client, the connector of each registered account,
 * the gateway the ring hands orders to, and the periodic reconciliation.
 */
public final class BrokerConnectors implements AutoCloseable {
    private final ConnectorSettings settings;
    private final BrokerHttpClients http = new BrokerHttpClients(2, Duration.ofSeconds(5));
    private final ObjectMapper mapper = new ObjectMapper();
    private final AccountConnectors accounts = new AccountConnectors();
    private final ConnectorGateway gateway = new ConnectorGateway(accounts);
    private final MtxBridges mtxBridges = new MtxBridges();
    private final Function<String, InstrumentSpec> instruments;
    private Reconciler reconciler;

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

    /** The account's connector, or null when it has none (no credentials, or their login failed). */
    public BrokerConnector connector(long accountId) {
        return accounts.get(accountId);
    }

    /** Routes the account's orders through this (connected) connector from now on. */
    public void attach(long accountId, BrokerConnector connector) {
        BrokerConnector replaced = accounts.put(accountId, connector);
        if (replaced != null) {
            discard(replaced);
        }
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
        if (reconciler != null) {
            reconciler.close();
        }
        gateway.close();
        accounts.closeAll();
        http.close();
    }
}
