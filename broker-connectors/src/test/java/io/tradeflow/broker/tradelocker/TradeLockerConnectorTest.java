package io.tradeflow.broker.tradelocker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.OrderResult;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.broker.http.BrokerHttpClients;
import io.tradeflow.broker.http.JsonHttp;
import io.tradeflow.broker.stub.StubHttpServer.RecordedRequest;
import io.tradeflow.broker.stub.TradeLockerStub;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TradeLockerConnectorTest {
    private static final ConnectorSettings FAST = new ConnectorSettings(Duration.ofMillis(800), 2, Duration.ofSeconds(30))
            .withOutcomeRecheckWindow(Duration.ofMillis(600));

    private final TradeLockerStub stub = new TradeLockerStub();
    private final BrokerHttpClients clients = new BrokerHttpClients(2, Duration.ofSeconds(2));

    @AfterEach
    void tearDown() {
        stub.close();
        clients.close();
    }

    private TradeLockerConnector connector(TradeLockerStub broker) {
        return connector(broker, FAST);
    }

    private TradeLockerConnector connector(TradeLockerStub broker, ConnectorSettings settings) {
        URI base = URI.create(broker.baseUri() + "/backend-api");
        return new TradeLockerConnector(new TradeLockerCredentials(base, TradeLockerStub.EMAIL, TradeLockerStub.PASSWORD,
                TradeLockerStub.SERVER, null), new JsonHttp(clients.client(), new ObjectMapper(), "tradelocker"),
                settings, System::currentTimeMillis, clients.executor());
    }

    private static BrokerException failure(CompletableFuture<?> call) throws Exception {
        Throwable t = call.handle((r, f) -> f).get(20, TimeUnit.SECONDS);
        assertThat(t).as("the call should have failed").isNotNull();
        return BrokerException.of(t);
    }

    @Test
    void shouldOpenTheCircuitWhenEveryPlacementFailsWhileReadsSucceed() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.failPlaceOrders(503);

        for (int i = 0; i < FAST.circuitFailureThreshold(); i++) {
            long id = 60 + i;
            // Each market order reads positions first (a success), then the place-order fails.
            BrokerException e = failure(connector.placeOrder(OrderCommand.market(id, "tf-5-" + id, "EURUSD", Side.BUY, 1)));
            assertThat(e.kind()).isEqualTo(BrokerException.Kind.OUTCOME_UNKNOWN);
        }

        assertThat(connector.circuit().isOpen()).isTrue();
        assertThat(stub.requests("GET", "/backend-api/trade/accounts/7080/positions")).isNotEmpty();
        int posts = stub.requests("POST", "/backend-api/trade/accounts/7080/orders").size();
        assertThat(posts).isEqualTo(FAST.circuitFailureThreshold());
        BrokerException refused = failure(connector.placeOrder(OrderCommand.market(69, "tf-5-69", "EURUSD", Side.BUY, 1)));
        assertThat(refused.kind()).isEqualTo(BrokerException.Kind.CIRCUIT_OPEN);
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(posts);
        assertThat(stub.orders()).isEmpty();
    }

    @Test
    void shouldFindAnOrderAnswered504AfterTheBrokerAcceptedItAndNeverSendItAgain() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.failNextPlaceOrderAfterAccepting(504);

        OrderResult result = await(connector.placeOrder(OrderCommand.market(70, "tf-5-70", "EURUSD", Side.BUY, 1)));

        assertThat(result.reconciled()).isTrue();
        assertThat(result.filled()).isTrue();
        assertThat(result.filledQuantity()).isEqualTo(1);
        assertThat(stub.ordersTagged("tf-5-70")).isEqualTo(1);
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(1);
        assertThat(stub.positionQuantity("EURUSD")).isEqualTo(1);
    }

    @Test
    void shouldKeepLookingWhileTheOrderHistoryLagsAndEndWithExactlyOneOrder() throws Exception {
        TradeLockerConnector connector = connector(stub, FAST.withOutcomeRecheckWindow(Duration.ofSeconds(8)));
        await(connector.authenticate());
        stub.historyLag(2_000);
        stub.failNextPlaceOrderAfterAccepting(504);

        OrderResult result = await(connector.placeOrder(OrderCommand.market(71, "tf-5-71", "EURUSD", Side.BUY, 1)));

        assertThat(result.reconciled()).isTrue();
        assertThat(result.brokerOrderId()).isEqualTo(stub.orders().get(0).get("id"));
        assertThat(stub.ordersTagged("tf-5-71")).isEqualTo(1);
        assertThat(stub.orders()).hasSize(1);
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(1);
        // More than one look: the first ones found nothing.
        assertThat(stub.requests("GET", "/backend-api/trade/accounts/7080/ordersHistory").size()).isGreaterThan(1);
    }

    @Test
    void shouldReportOutcomeUnknownAndNotSendAgainWhenTheOrderNeverShowsUpInTheWindow() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.historyLag(60_000);
        stub.failNextPlaceOrderAfterAccepting(502);

        BrokerException e = failure(connector.placeOrder(OrderCommand.market(72, "tf-5-72", "EURUSD", Side.BUY, 1)));

        assertThat(e.kind()).isEqualTo(BrokerException.Kind.OUTCOME_UNKNOWN);
        assertThat(e.getMessage()).contains("outcome unknown").contains("tf-5-72").contains("502").contains("not sent again");
        assertThat(stub.ordersTagged("tf-5-72")).isEqualTo(1);
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(1);
        stub.historyLag(0);
        assertThat(await(connector.orderByTag("tf-5-72")).filledQuantity()).isEqualTo(1);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldPlaceMarketOrderWithTheDocumentedRequestAndReportItsFill() throws Exception {
        OrderResult result = await(connector(stub).placeOrder(OrderCommand.market(1, "tf-5-1", "EURUSD", Side.BUY, 0.5)));

        assertThat(result.filled()).isTrue();
        assertThat(result.filledQuantity()).isEqualTo(0.5);
        assertThat(result.fillPrice()).isEqualTo(1.0850);
        assertThat(result.reconciled()).isFalse();
        List<RecordedRequest> posts = stub.requests("POST", "/backend-api/trade/accounts/7080/orders");
        assertThat(posts).hasSize(1);
        RecordedRequest post = posts.get(0);
        assertThat(post.header("Authorization")).startsWith("Bearer at-");
        assertThat(post.header("accNum")).isEqualTo("1");
        assertThat(post.body().get("qty").asDouble()).isEqualTo(0.5);
        assertThat(post.body().get("side").asText()).isEqualTo("buy");
        assertThat(post.body().get("type").asText()).isEqualTo("market");
        assertThat(post.body().get("validity").asText()).isEqualTo("IOC");
        assertThat(post.body().get("tradableInstrumentId").asLong()).isEqualTo(278);
        assertThat(post.body().get("routeId").asText()).isEqualTo("9001");
        assertThat(post.body().get("strategyId").asText()).isEqualTo("tf-5-1");
        assertThat(stub.requests("GET", "/backend-api/auth/jwt/all-accounts").get(0).header("accNum")).isNull();
        assertThat(stub.positionQuantity("EURUSD")).isEqualTo(0.5);
    }

    @Test
    void shouldCloseTheOppositePositionFirstAndOpenOnlyTheRest() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(50, "tf-5-50", "EURUSD", Side.BUY, 3)));

        OrderResult reversal = await(connector.placeOrder(OrderCommand.market(51, "tf-5-51", "EURUSD", Side.SELL, 5)));

        assertThat(reversal.filled()).isTrue();
        assertThat(reversal.filledQuantity()).isEqualTo(5);
        assertThat(reversal.fillPrice()).isEqualTo(1.0850);
        assertThat(stub.requests().stream().filter(r -> r.method().equals("DELETE")
                && r.path().startsWith("/backend-api/trade/positions/"))).singleElement()
                .satisfies(r -> assertThat(r.body().get("qty").asDouble()).isZero());
        List<RecordedRequest> placed = stub.requests("POST", "/backend-api/trade/accounts/7080/orders");
        assertThat(placed).hasSize(2);
        assertThat(placed.get(1).body().get("qty").asDouble()).isEqualTo(2);
        assertThat(placed.get(1).body().get("strategyId").asText()).isEqualTo("tf-5-51");
        assertThat(stub.positionQuantity("EURUSD")).isEqualTo(-2);
    }

    @Test
    void shouldPlaceLimitOrderWithAbsoluteStopLossAndTakeProfit() throws Exception {
        OrderCommand limit = new OrderCommand(2, "tf-5-2", "EURUSD", Side.SELL, OrderType.LIMIT, 1, 1.0900, 0,
                Protection.price(1.0950), Protection.price(1.0800), 0);

        OrderResult result = await(connector(stub).placeOrder(limit));

        assertThat(result.filled()).isFalse();
        assertThat(result.brokerOrderId()).isNotEmpty();
        var body = stub.requests("POST", "/backend-api/trade/accounts/7080/orders").get(0).body();
        assertThat(body.get("type").asText()).isEqualTo("limit");
        assertThat(body.get("validity").asText()).isEqualTo("GTC");
        assertThat(body.get("price").asDouble()).isEqualTo(1.0900);
        assertThat(body.get("stopLoss").asDouble()).isEqualTo(1.0950);
        assertThat(body.get("stopLossType").asText()).isEqualTo("absolute");
        assertThat(body.get("takeProfit").asDouble()).isEqualTo(1.0800);
        assertThat(body.get("takeProfitType").asText()).isEqualTo("absolute");
    }

    @Test
    void shouldPlaceStopOrderWithOffsetStops() throws Exception {
        OrderCommand stop = new OrderCommand(3, "tf-5-3", "XAUUSD", Side.BUY, OrderType.STOP, 2, 0, 2700,
                new Protection(StopMode.PIPS, 50), new Protection(StopMode.PIPS, 100), 0);

        OrderResult result = await(connector(stub).placeOrder(stop));

        assertThat(result.filled()).isFalse();
        var body = stub.requests("POST", "/backend-api/trade/accounts/7080/orders").get(0).body();
        assertThat(body.get("type").asText()).isEqualTo("stop");
        assertThat(body.get("stopPrice").asDouble()).isEqualTo(2700);
        assertThat(body.get("tradableInstrumentId").asLong()).isEqualTo(312);
        assertThat(body.get("stopLossType").asText()).isEqualTo("offset");
        assertThat(body.get("takeProfitType").asText()).isEqualTo("offset");
        assertThat(await(connector(stub).openOrders())).extracting("clientTag").containsExactly("tf-5-3");
    }

    @Test
    void shouldRefreshTheTokenWhenLessThanHalfAnHourRemains() throws Exception {
        stub.tokenLifetime(Duration.ofMinutes(10).toMillis());
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());

        await(connector.placeOrder(OrderCommand.market(4, "tf-5-4", "EURUSD", Side.BUY, 1)));

        assertThat(stub.requests("POST", "/backend-api/auth/jwt/refresh")).isNotEmpty();
        assertThat(stub.loginCount()).isEqualTo(1);
        assertThat(stub.orders()).hasSize(1);
    }

    @Test
    void shouldLogInAgainAfterTheTokenExpiredAndThenSucceed() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.expireAccessTokens();

        OrderResult result = await(connector.placeOrder(OrderCommand.market(5, "tf-5-5", "EURUSD", Side.SELL, 1)));

        assertThat(result.filled()).isTrue();
        assertThat(stub.orders()).hasSize(1);
        assertThat(stub.requests("POST", "/backend-api/auth/jwt/refresh").size() + stub.loginCount()).isGreaterThan(1);
    }

    @Test
    void shouldBackOffOn429AndPlaceExactlyOnce() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.tooManyRequests(1);

        OrderResult result = await(connector.placeOrder(OrderCommand.market(6, "tf-5-6", "EURUSD", Side.BUY, 1)));

        assertThat(result.filled()).isTrue();
        assertThat(stub.orders()).hasSize(1);
        assertThat(connector.circuit().isOpen()).isFalse();
    }

    @Test
    void shouldApplyTheRateLimitsTheBrokerAnnounces() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());

        assertThat(connector.limiterFor("PLACE_ORDER").limit()).isEqualTo(5);
        assertThat(connector.limiterFor("PLACE_ORDER").windowMillis()).isEqualTo(1_000);
        assertThat(connector.limiterFor("GET_POSITIONS").windowMillis()).isEqualTo(60_000);
    }

    @Test
    void shouldReconcileByTagWhenTheAnswerIsLostAfterTheBrokerAccepted() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.dropNextPlaceOrderAfterAccepting();

        OrderResult result = await(connector.placeOrder(OrderCommand.market(7, "tf-5-7", "EURUSD", Side.BUY, 1)));

        assertThat(result.reconciled()).isTrue();
        assertThat(result.filled()).isTrue();
        assertThat(stub.orders()).hasSize(1);
        assertThat(stub.orders().get(0).get("strategyId")).isEqualTo("tf-5-7");
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(1);
    }

    @Test
    void shouldNeverSendAgainWhenTheAnswerIsLostAndTheLookupFailsToo() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.authenticate());
        stub.dropNextPlaceOrderAfterAcceptingThenGoDown();

        BrokerException unknown = BrokerException.of(connector.placeOrder(OrderCommand.market(8, "tf-5-8", "EURUSD", Side.BUY, 1))
                .handle((r, t) -> t).get(10, TimeUnit.SECONDS));

        assertThat(unknown.getMessage()).contains("outcome unknown").contains("not sent again");
        assertThat(stub.orders()).hasSize(1);
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(1);
    }

    @Test
    void shouldReportABusinessRejectionWithTheBrokersMessageWithoutOpeningTheCircuit() throws Exception {
        TradeLockerConnector connector = connector(stub);
        for (int i = 0; i < 3; i++) {
            stub.rejectNextOrder("Insufficient margin");
            CompletableFuture<OrderResult> placed = connector.placeOrder(OrderCommand.market(8 + i, "tf-5-r" + i, "EURUSD", Side.BUY, 1));
            assertThatThrownBy(() -> await(placed)).hasCauseInstanceOf(BrokerException.class)
                    .hasMessageContaining("Insufficient margin");
        }
        assertThat(connector.circuit().isOpen()).isFalse();
        assertThatThrownBy(() -> await(connector.placeOrder(OrderCommand.market(20, "tf-5-20", "GBPJPY", Side.BUY, 1))))
                .hasMessageContaining("no instrument GBPJPY");
    }

    @Test
    void shouldOpenTheCircuitWhenTheBrokerIsDownAndRefuseFastWhileOtherAccountsTrade() throws Exception {
        try (TradeLockerStub healthy = new TradeLockerStub()) {
            TradeLockerConnector dead = connector(stub);
            TradeLockerConnector alive = connector(healthy);
            await(dead.authenticate());
            stub.down(true);

            for (int i = 0; i < FAST.circuitFailureThreshold(); i++) {
                long id = 30 + i;
                assertThatThrownBy(() -> await(dead.placeOrder(OrderCommand.market(id, "tf-5-" + id, "EURUSD", Side.BUY, 1))))
                        .hasCauseInstanceOf(BrokerException.class);
            }
            assertThat(dead.circuit().isOpen()).isTrue();
            int seen = stub.requests().size();
            BrokerException refused = BrokerException.of(
                    dead.placeOrder(OrderCommand.market(39, "tf-5-39", "EURUSD", Side.BUY, 1)).handle((r, t) -> t)
                            .get(1, TimeUnit.SECONDS));
            assertThat(refused.kind()).isEqualTo(BrokerException.Kind.CIRCUIT_OPEN);
            assertThat(refused.getMessage()).contains("tradelocker unavailable");
            assertThat(stub.requests()).hasSize(seen);

            OrderResult other = await(alive.placeOrder(OrderCommand.market(32, "tf-6-32", "EURUSD", Side.BUY, 1)));
            assertThat(other.filled()).isTrue();
            assertThat(alive.circuit().isOpen()).isFalse();
        }
    }

    @Test
    void shouldListAndCloseFullyOrPartlyAndCancel() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(40, "tf-5-40", "EURUSD", Side.BUY, 3)));
        OrderResult working = await(connector.placeOrder(new OrderCommand(41, "tf-5-41", "XAUUSD", Side.BUY, OrderType.LIMIT,
                1, 2600, 0, null, null, 0)));

        List<BrokerPosition> positions = await(connector.positions());
        assertThat(positions).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("EURUSD");
            assertThat(p.quantity()).isEqualTo(3);
            assertThat(p.averagePrice()).isEqualTo(1.0850);
        });
        await(connector.closePosition("EURUSD", 1));
        assertThat(stub.positionQuantity("EURUSD")).isEqualTo(2);
        await(connector.closePosition("EURUSD", 0));
        assertThat(stub.positionQuantity("EURUSD")).isZero();
        await(connector.cancelOrder(working.brokerOrderId()));
        assertThat(await(connector.openOrders())).isEmpty();
        assertThat(await(connector.accountState()).balance()).isEqualTo(2024.75);
    }

    @Test
    void shouldCloseOnlyWhatTheBrokerHoldsOnAnExitAndNeverOpenTheOtherWay() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(80, "tf-5-80", "EURUSD", Side.BUY, 2)));
        int posts = stub.requests("POST", "/backend-api/trade/accounts/7080/orders").size();

        // The router thinks 3 are open: the exit closes the 2 the broker holds and opens nothing short.
        OrderResult closed = await(connector.placeOrder(OrderCommand.exit(81, "tf-5-81", "EURUSD", Side.SELL, 3, 1.09)));

        assertThat(closed.filledQuantity()).isEqualTo(2);
        assertThat(closed.fillPrice()).isEqualTo(1.0850);
        assertThat(stub.positionQuantity("EURUSD")).isZero();
        assertThat(stub.requests("POST", "/backend-api/trade/accounts/7080/orders")).hasSize(posts);
        assertThat(stub.requests().stream().filter(r -> r.method().equals("DELETE")
                && r.path().startsWith("/backend-api/trade/positions/")).toList()).singleElement()
                .satisfies(r -> assertThat(r.body().get("qty").asDouble()).isZero());
        BrokerException nothing = failure(connector.placeOrder(OrderCommand.exit(82, "tf-5-82", "EURUSD", Side.SELL, 1, 1.09)));
        assertThat(nothing.kind()).isEqualTo(BrokerException.Kind.REJECTED);
        assertThat(nothing.getMessage()).contains("no long EURUSD position");
    }

    @Test
    void shouldClosePartOfAPositionWithItsQuantity() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(83, "tf-5-83", "EURUSD", Side.SELL, 3)));

        OrderResult closed = await(connector.placeOrder(OrderCommand.exit(84, "tf-5-84", "EURUSD", Side.BUY, 1, 1.09)));

        assertThat(closed.filledQuantity()).isEqualTo(1);
        assertThat(stub.positionQuantity("EURUSD")).isEqualTo(-2);
        assertThat(stub.requests().stream().filter(r -> r.method().equals("DELETE")).toList()).singleElement()
                .satisfies(r -> assertThat(r.body().get("qty").asDouble()).isEqualTo(1));
    }

    @Test
    void shouldModifyTheStopLossAndTakeProfitThroughPatchPosition() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(85, "tf-5-85", "EURUSD", Side.BUY, 1)));

        await(connector.modifyProtection("EURUSD", 1.0800, 1.0950));

        List<RecordedRequest> patches = stub.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
        assertThat(patches).singleElement().satisfies(r -> {
            assertThat(r.path()).startsWith("/backend-api/trade/positions/");
            assertThat(r.header("accNum")).isEqualTo("1");
            assertThat(r.body().get("stopLoss").asDouble()).isEqualTo(1.0800);
            assertThat(r.body().get("takeProfit").asDouble()).isEqualTo(1.0950);
        });
        assertThat(stub.positionField("EURUSD", "stopLoss")).isEqualTo("1.08");
        assertThat(stub.positionField("EURUSD", "takeProfit")).isEqualTo("1.095");

        await(connector.modifyProtection("EURUSD", 1.0810, 0));
        assertThat(stub.positionField("EURUSD", "stopLoss")).isEqualTo("1.081");
        assertThat(stub.positionField("EURUSD", "takeProfit")).isEmpty();
        assertThatThrownBy(() -> await(connector.modifyProtection("XAUUSD", 2600, 0))).hasMessageContaining("no open XAUUSD");
    }

    @Test
    void shouldCancelOnlyTheRoutersWorkingOrdersOfTheSymbolAndSide() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(new OrderCommand(86, "tf-5-86", "XAUUSD", Side.BUY, OrderType.LIMIT, 1, 2600, 0, null, null, 0)));
        await(connector.placeOrder(new OrderCommand(87, "tf-5-87", "XAUUSD", Side.SELL, OrderType.LIMIT, 1, 2700, 0, null, null, 0)));
        await(connector.placeOrder(new OrderCommand(88, "manual", "XAUUSD", Side.BUY, OrderType.LIMIT, 1, 2500, 0, null, null, 0)));

        assertThat(await(connector.cancelOrders("XAUUSD", Side.BUY))).isEqualTo(1);

        assertThat(await(connector.openOrders())).extracting(o -> o.clientTag()).containsExactlyInAnyOrder("tf-5-87", "manual");
        assertThat(await(connector.cancelOrders("XAUUSD", null))).isEqualTo(1);
        assertThat(await(connector.openOrders())).extracting(o -> o.clientTag()).containsExactly("manual");
    }

    @Test
    void shouldReadTheInstrumentDetailsForSizing() throws Exception {
        io.tradeflow.config.InstrumentSpec spec = await(connector(stub).instrumentSpec("EURUSD"));

        assertThat(spec.contractSize()).isEqualTo(100_000);
        assertThat(spec.lotStep()).isEqualTo(0.01);
        assertThat(spec.minQuantity()).isEqualTo(0.01);
        assertThat(spec.maxQuantity()).isEqualTo(100);
        assertThat(spec.tickSize()).isEqualTo(0.00001);
        assertThat(spec.tickValue()).isEqualTo(1.0);
        assertThat(spec.pointValue()).isEqualTo(100_000, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(stub.requests("GET", "/backend-api/trade/instruments/278")).singleElement()
                .satisfies(r -> assertThat(r.header("accNum")).isEqualTo("1"));
    }

    @Test
    void shouldCountACloseAnswered504AsDoneWhenThePositionIsGoneAndNotSendItAgain() throws Exception {
        TradeLockerConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(90, "tf-5-90", "EURUSD", Side.BUY, 2)));
        stub.failNextCloseAfterClosing(504);

        OrderResult closed = await(connector.placeOrder(OrderCommand.exit(91, "tf-5-91", "EURUSD", Side.SELL, 2, 1.09)));

        assertThat(closed.filledQuantity()).isEqualTo(2);
        assertThat(stub.positionQuantity("EURUSD")).isZero();
        assertThat(stub.requests().stream().filter(r -> r.method().equals("DELETE")).count()).isEqualTo(1);
    }
}
