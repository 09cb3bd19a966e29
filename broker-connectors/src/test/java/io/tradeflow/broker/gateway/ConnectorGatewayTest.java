package io.tradeflow.broker.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.http.BrokerHttpClients;
import io.tradeflow.broker.http.JsonHttp;
import io.tradeflow.broker.projectx.ProjectXConnector;
import io.tradeflow.broker.projectx.ProjectXCredentials;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.mtx.MtxAck;
import io.tradeflow.broker.mtx.MtxBridge;
import io.tradeflow.broker.mtx.MtxCommand;
import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.config.RingConfig;
import io.tradeflow.config.WaitStrategyKind;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.ring.BrokerReportPublisher;
import io.tradeflow.core.ring.RouterRing;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.journal.DisabledJournal;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.Venues;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway between a real ring and a MetaTrader bridge (the connector that needs no network). */
class ConnectorGatewayTest {
    private static final long ACCOUNT = 3;

    private final AccountConnectors accounts = new AccountConnectors();
    private final ConnectorGateway gateway = new ConnectorGateway(accounts);
    private final List<RingEvent> decidedReports = new CopyOnWriteArrayList<>();
    private final RouterState state = stateWithAccount();
    private final RouterRing ring = new RouterRing(new RingConfig(64, WaitStrategyKind.BLOCKING),
            new RoutingHandler(new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)), new Venues(Map.of())),
                    new DisabledJournal(), e -> {
                        if (e.type == EventType.BROKER_REPORT) {
                            RingEvent copy = new RingEvent();
                            copy.copyFrom(e);
                            decidedReports.add(copy);
                        }
                    }));
    private final ExecutorService timers = Executors.newSingleThreadExecutor();
    private final MtxBridge bridge = new MtxBridge(new MtxCredentials(MtxCredentials.newLicenseToken(), ""),
            ConnectorSettings.DEFAULTS, System::currentTimeMillis, timers);

    private static RouterState stateWithAccount() {
        RouterState s = new RouterState(new RiskLimits(1000, 0, 20, "", ZoneId.of("UTC"), List.of(), 1000, Duration.ofMinutes(1)));
        s.putAccount(ACCOUNT, 30, BrokerKind.MTX, true, 0, false, 0);
        return s;
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        ring.close();
        timers.shutdownNow();
    }

    private static RingEvent order(long orderId, String symbol, OrderType type, double price) {
        RingEvent e = new RingEvent();
        e.accountId = ACCOUNT;
        e.orderId = orderId;
        e.symbol.set(symbol);
        e.side = Side.BUY;
        e.orderType = type;
        e.price = price;
        return e;
    }

    @Test
    void shouldRefuseAnAccountWithoutCredentials() {
        RingEvent e = order(1, "EURUSD", OrderType.MARKET, 1.1);

        assertThat(gateway.submit(e, 1)).isFalse();
        assertThat(e.outcome).isEqualTo(Outcome.BROKER_ERROR);
        assertThat(e.reason).isEqualTo(ConnectorGateway.NO_CONNECTOR);
    }

    @Test
    void shouldRefuseAtOnceWithTheReasonWhileTheCircuitIsOpen() {
        accounts.put(ACCOUNT, bridge);
        RingEvent e = order(2, "EURUSD", OrderType.MARKET, 1.1);

        assertThat(gateway.submit(e, 1)).isFalse();
        assertThat(e.outcome).isEqualTo(Outcome.BROKER_ERROR);
        assertThat(e.reason).contains("mtx unavailable (circuit open)").contains("has not connected");
    }

    @Test
    void shouldHandTheOrderToTheConnectorAndPublishItsFillIntoTheRing() {
        accounts.put(ACCOUNT, bridge);
        bridge.heartbeat();
        ring.start();
        gateway.start(new BrokerReportPublisher(ring.ringBuffer()));

        assertThat(gateway.submit(order(3, "XAUUSD", OrderType.LIMIT, 2600), -2)).isTrue();
        gateway.release(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !bridge.poll().isEmpty());
        MtxCommand command = bridge.poll().get(0);
        assertThat(command.id()).isEqualTo("tf-3-3");
        assertThat(command.side()).isEqualTo("sell");
        assertThat(command.orderType()).isEqualTo("limit");
        assertThat(command.price()).isEqualTo(2600);
        assertThat(command.volume()).isEqualTo(2);
        bridge.acknowledge(new MtxAck(command.id(), true, 42, 2600.5, 2, 0, null));

        await().atMost(Duration.ofSeconds(5)).until(() -> !decidedReports.isEmpty());
        RingEvent report = decidedReports.get(0);
        assertThat(report.reportKind).isEqualTo(ReportKind.FILLED);
        assertThat(report.orderId).isEqualTo(3);
        assertThat(report.filledQuantity).isEqualTo(-2);
        assertThat(report.fillPrice).isEqualTo(2600.5);
        assertThat(report.brokerOrderId.toString()).isEqualTo("42");
        assertThat(report.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(report.positionQuantity).isEqualTo(-2);
    }

    @Test
    void shouldFollowAMarketOrderTheBrokerFillsAMomentLaterAndBookItOnce() throws Exception {
        try (ProjectXStub broker = new ProjectXStub(); BrokerHttpClients http = new BrokerHttpClients(1, Duration.ofSeconds(2))) {
            broker.slowMarketFills(true);
            ProjectXConnector connector = new ProjectXConnector(new ProjectXCredentials(broker.baseUri(), ProjectXStub.USER,
                    ProjectXStub.API_KEY, null), new JsonHttp(http.client(), new ObjectMapper(), "projectx"),
                    ConnectorSettings.DEFAULTS, System::currentTimeMillis, http.executor());
            connector.authenticate().get(10, TimeUnit.SECONDS);
            accounts.put(ACCOUNT, connector);
            ring.start();
            gateway.start(new BrokerReportPublisher(ring.ringBuffer()));

            assertThat(gateway.submit(order(5, "NQ1!", OrderType.MARKET, 21000), 2)).isTrue();
            gateway.release(true);

            await().atMost(Duration.ofSeconds(10)).until(() -> !decidedReports.isEmpty());
            assertThat(decidedReports.get(0).reportKind).isEqualTo(ReportKind.FILLED);
            assertThat(decidedReports.get(0).filledQuantity).isEqualTo(2);
            assertThat(decidedReports.get(0).fillPrice).isEqualTo(21000.25);
            // Later follow-ups see nothing new: the fill is booked once.
            gateway.followWorkingOrders(ACCOUNT, connector).get(10, TimeUnit.SECONDS);
            assertThat(decidedReports).hasSize(1);
            assertThat(state.positions().quantity(ACCOUNT, state.symbols().intern("NQ1!"))).isEqualTo(2);
        }
    }

    @Test
    void shouldSendNothingForAnOrderWhoseEventCouldNotBeJournaled() throws Exception {
        accounts.put(ACCOUNT, bridge);
        bridge.heartbeat();
        ring.start();
        gateway.start(new BrokerReportPublisher(ring.ringBuffer()));

        assertThat(gateway.submit(order(8, "EURUSD", OrderType.MARKET, 1.1), 1)).isTrue();
        gateway.release(false);
        assertThat(gateway.submit(order(9, "GBPUSD", OrderType.MARKET, 1.3), 1)).isTrue();
        gateway.release(true);

        await().atMost(Duration.ofSeconds(5)).until(() -> !bridge.poll().isEmpty());
        // Only the journaled order reaches the broker (the EA); the dropped one never does.
        assertThat(bridge.poll()).extracting(MtxCommand::id).containsExactly("tf-3-9");
    }

    @Test
    void shouldPublishTheBrokersRefusalWithItsReason() {
        accounts.put(ACCOUNT, bridge);
        bridge.heartbeat();
        ring.start();
        gateway.start(new BrokerReportPublisher(ring.ringBuffer()));

        gateway.submit(order(4, "EURUSD", OrderType.MARKET, 1.1), 1);
        gateway.release(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !bridge.poll().isEmpty());
        bridge.acknowledge(new MtxAck("tf-3-4", false, 0, 0, 0, 10019, "not enough money"));

        await().atMost(Duration.ofSeconds(5)).until(() -> !decidedReports.isEmpty());
        assertThat(decidedReports.get(0).reportKind).isEqualTo(ReportKind.REJECTED);
        assertThat(decidedReports.get(0).reason).contains("not enough money");
        assertThat(decidedReports.get(0).outcome).isEqualTo(Outcome.BROKER_ERROR);
    }

    @Test
    void shouldRecordAnOrderWhoseOutcomeStaysUnknownAndSettleItWhenTheBrokerListsIt() throws Exception {
        try (ProjectXStub broker = new ProjectXStub(); BrokerHttpClients http = new BrokerHttpClients(1, Duration.ofSeconds(2))) {
            ProjectXConnector connector = new ProjectXConnector(new ProjectXCredentials(broker.baseUri(), ProjectXStub.USER,
                    ProjectXStub.API_KEY, null), new JsonHttp(http.client(), new ObjectMapper(), "projectx"),
                    ConnectorSettings.DEFAULTS.withOutcomeRecheckWindow(Duration.ofMillis(300)), System::currentTimeMillis,
                    http.executor());
            connector.authenticate().get(10, TimeUnit.SECONDS);
            accounts.put(ACCOUNT, connector);
            ring.start();
            gateway.start(new BrokerReportPublisher(ring.ringBuffer()));
            broker.historyLag(60_000);
            broker.failNextPlaceOrderAfterAccepting(504);

            assertThat(gateway.submit(order(6, "NQ1!", OrderType.MARKET, 21000), 1)).isTrue();
            gateway.release(true);

            await().atMost(Duration.ofSeconds(10)).until(() -> !decidedReports.isEmpty());
            RingEvent unknown = decidedReports.get(0);
            assertThat(unknown.reportKind).isEqualTo(ReportKind.OUTCOME_UNKNOWN);
            assertThat(unknown.outcome).isEqualTo(Outcome.BROKER_OUTCOME_UNKNOWN);
            assertThat(unknown.orderId).isEqualTo(6);
            assertThat(unknown.reason.toString()).contains("outcome unknown").contains("504");
            assertThat(state.positions().quantity(ACCOUNT, state.symbols().intern("NQ1!"))).isZero();
            assertThat(gateway.unsettledTags(ACCOUNT)).containsExactly("tf-3-6");

            // Reconciliation while the broker still does not list it changes nothing; once it does, the fill is booked.
            gateway.followWorkingOrders(ACCOUNT, connector).get(10, TimeUnit.SECONDS);
            assertThat(decidedReports).hasSize(1);
            broker.historyLag(0);
            gateway.followWorkingOrders(ACCOUNT, connector).get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> decidedReports.size() == 2);
            assertThat(decidedReports.get(1).reportKind).isEqualTo(ReportKind.FILLED);
            assertThat(decidedReports.get(1).filledQuantity).isEqualTo(1);
            assertThat(state.positions().quantity(ACCOUNT, state.symbols().intern("NQ1!"))).isEqualTo(1);
            assertThat(gateway.unsettledTags(ACCOUNT)).isEmpty();
            assertThat(broker.ordersTagged("tf-3-6")).isEqualTo(1);
            assertThat(broker.requests("POST", "/api/Order/place")).hasSize(1);
        }
    }
}
