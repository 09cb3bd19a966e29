package io.tradeflow.broker.projectx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.OrderResult;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.broker.http.BrokerHttpClients;
import io.tradeflow.broker.http.JsonHttp;
import io.tradeflow.broker.stub.ProjectXStub;
import io.tradeflow.broker.stub.StubHttpServer.RecordedRequest;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectXConnectorTest {
    private static final ConnectorSettings FAST = new ConnectorSettings(Duration.ofMillis(800), 2, Duration.ofSeconds(30))
            .withOutcomeRecheckWindow(Duration.ofMillis(600));

    private final ProjectXStub stub = new ProjectXStub();
    private final BrokerHttpClients clients = new BrokerHttpClients(2, Duration.ofSeconds(2));
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());

    @AfterEach
    void tearDown() {
        stub.close();
        clients.close();
    }

    private ProjectXConnector connector(ProjectXStub broker) {
        return connector(broker, FAST);
    }

    private ProjectXConnector connector(ProjectXStub broker, ConnectorSettings settings) {
        return new ProjectXConnector(new ProjectXCredentials(broker.baseUri(), ProjectXStub.USER, ProjectXStub.API_KEY, null),
                new JsonHttp(clients.client(), new ObjectMapper(), "projectx"), settings, clock::get, clients.executor());
    }

    private static BrokerException failure(CompletableFuture<?> call) throws Exception {
        Throwable t = call.handle((r, f) -> f).get(20, TimeUnit.SECONDS);
        assertThat(t).as("the call should have failed").isNotNull();
        return BrokerException.of(t);
    }

    @Test
    void shouldOpenTheCircuitWhenEveryPlacementFailsWhileReadsSucceed() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.positions());
        stub.failPlaceOrders(503);

        for (int i = 0; i < FAST.circuitFailureThreshold(); i++) {
            long id = 60 + i;
            BrokerException e = failure(connector.placeOrder(OrderCommand.market(id, "tf-7-" + id, "NQ1!", Side.BUY, 1)));
            assertThat(e.kind()).isEqualTo(BrokerException.Kind.OUTCOME_UNKNOWN);
            if (i < FAST.circuitFailureThreshold() - 1) {
                // Reads in between succeed: they must not clear the placements' failures.
                assertThat(await(connector.positions())).isEmpty();
                assertThat(connector.circuit().isOpen()).isFalse();
            }
        }

        assertThat(connector.circuit().isOpen()).isTrue();
        int posts = stub.requests("POST", "/api/Order/place").size();
        assertThat(posts).isEqualTo(FAST.circuitFailureThreshold());
        BrokerException refused = failure(connector.placeOrder(OrderCommand.market(69, "tf-7-69", "NQ1!", Side.BUY, 1)));
        assertThat(refused.kind()).isEqualTo(BrokerException.Kind.CIRCUIT_OPEN);
        assertThat(stub.requests("POST", "/api/Order/place")).hasSize(posts);
        assertThat(stub.orders()).isEmpty();
    }

    @Test
    void shouldFindAnOrderAnswered504AfterTheBrokerAcceptedItAndNeverSendItAgain() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.authenticate());
        stub.failNextPlaceOrderAfterAccepting(504);

        OrderResult result = await(connector.placeOrder(OrderCommand.market(70, "tf-7-70", "NQ1!", Side.SELL, 2)));

        assertThat(result.reconciled()).isTrue();
        assertThat(result.filledQuantity()).isEqualTo(2);
        assertThat(stub.ordersTagged("tf-7-70")).isEqualTo(1);
        assertThat(stub.requests("POST", "/api/Order/place")).hasSize(1);
        assertThat(stub.positionSize(ProjectXStub.NQ_CONTRACT)).isEqualTo(-2);
    }

    @Test
    void shouldKeepLookingWhileTheOrderSearchLagsAndEndWithExactlyOneOrder() throws Exception {
        ProjectXConnector connector = connector(stub, FAST.withOutcomeRecheckWindow(Duration.ofSeconds(8)));
        await(connector.authenticate());
        stub.historyLag(2_000);
        stub.failNextPlaceOrderAfterAccepting(504);

        OrderResult result = await(connector.placeOrder(OrderCommand.market(71, "tf-7-71", "NQ1!", Side.BUY, 1)));

        assertThat(result.reconciled()).isTrue();
        assertThat(stub.orders()).hasSize(1);
        assertThat(result.brokerOrderId()).isEqualTo(String.valueOf(stub.orders().get(0).get("id")));
        assertThat(stub.requests("POST", "/api/Order/place")).hasSize(1);
        assertThat(stub.requests("POST", "/api/Order/search").size()).isGreaterThan(1);
    }

    @Test
    void shouldReportOutcomeUnknownAndNotSendAgainWhenTheOrderNeverShowsUpInTheWindow() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.authenticate());
        stub.historyLag(60_000);
        stub.failNextPlaceOrderAfterAccepting(503);

        BrokerException e = failure(connector.placeOrder(OrderCommand.market(72, "tf-7-72", "NQ1!", Side.BUY, 1)));

        assertThat(e.kind()).isEqualTo(BrokerException.Kind.OUTCOME_UNKNOWN);
        assertThat(e.getMessage()).contains("tf-7-72").contains("503").contains("not sent again");
        assertThat(stub.ordersTagged("tf-7-72")).isEqualTo(1);
        assertThat(stub.requests("POST", "/api/Order/place")).hasSize(1);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private JsonNode placed(int i) {
        return stub.requests("POST", "/api/Order/place").get(i).body();
    }

    @Test
    void shouldPlaceMarketOrderOnTheActiveContractOfAContinuousSymbol() throws Exception {
        OrderResult result = await(connector(stub).placeOrder(OrderCommand.market(1, "tf-7-1", "NQ1!", Side.BUY, 2)));

        assertThat(result.filled()).isTrue();
        assertThat(result.filledQuantity()).isEqualTo(2);
        assertThat(result.fillPrice()).isEqualTo(21000.25);
        RecordedRequest request = stub.requests("POST", "/api/Order/place").get(0);
        assertThat(request.header("Authorization")).startsWith("Bearer px-token-");
        JsonNode body = request.body();
        assertThat(body.get("accountId").asLong()).isEqualTo(ProjectXStub.ACCOUNT_ID);
        assertThat(body.get("contractId").asText()).isEqualTo(ProjectXStub.NQ_CONTRACT);
        assertThat(body.get("type").asInt()).isEqualTo(2);
        assertThat(body.get("side").asInt()).isEqualTo(0);
        assertThat(body.get("size").asInt()).isEqualTo(2);
        assertThat(body.get("customTag").asText()).isEqualTo("tf-7-1");
        assertThat(stub.positionSize(ProjectXStub.NQ_CONTRACT)).isEqualTo(2);
        assertThat(ProjectXConnector.searchRoot("MNQ1!")).isEqualTo("MNQ");
    }

    @Test
    void shouldPlaceLimitAndStopOrdersWithBracketsInTicks() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.placeOrder(new OrderCommand(2, "tf-7-2", "MNQ1!", Side.SELL, OrderType.LIMIT, 1, 21100, 0,
                Protection.price(21110), Protection.ticks(40), 0)));
        await(connector.placeOrder(new OrderCommand(3, "tf-7-3", "NQ1!", Side.BUY, OrderType.STOP, 1, 0, 21050,
                Protection.ticks(20), null, 0)));

        JsonNode limit = placed(0);
        assertThat(limit.get("contractId").asText()).isEqualTo(ProjectXStub.MNQ_CONTRACT);
        assertThat(limit.get("type").asInt()).isEqualTo(1);
        assertThat(limit.get("side").asInt()).isEqualTo(1);
        assertThat(limit.get("limitPrice").asDouble()).isEqualTo(21100);
        assertThat(limit.at("/stopLossBracket/ticks").asInt()).isEqualTo(40);
        assertThat(limit.at("/stopLossBracket/type").asInt()).isEqualTo(4);
        assertThat(limit.at("/takeProfitBracket/ticks").asInt()).isEqualTo(40);
        JsonNode stop = placed(1);
        assertThat(stop.get("type").asInt()).isEqualTo(4);
        assertThat(stop.get("stopPrice").asDouble()).isEqualTo(21050);
        assertThat(stop.has("takeProfitBracket")).isFalse();
        assertThat(await(connector.openOrders())).extracting("clientTag").containsExactly("tf-7-2", "tf-7-3");
    }

    @Test
    void shouldRefuseFractionalContractsWithoutCallingTheBroker() {
        assertThatThrownBy(() -> await(connector(stub).placeOrder(OrderCommand.market(4, "tf-7-4", "NQ1!", Side.BUY, 1.5))))
                .hasMessageContaining("whole contracts");
        assertThat(stub.requests("POST", "/api/Order/place")).isEmpty();
    }

    @Test
    void shouldLogInAgainAfter401AndSucceed() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.authenticate());
        stub.expireTokens();

        OrderResult result = await(connector.placeOrder(OrderCommand.market(5, "tf-7-5", "NQ1!", Side.BUY, 1)));

        assertThat(result.filled()).isTrue();
        assertThat(stub.requests("POST", "/api/Auth/loginKey")).hasSize(2);
        assertThat(stub.orders()).hasSize(1);
    }

    @Test
    void shouldRenewTheTokenThroughValidateAfter23Hours() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.authenticate());
        clock.addAndGet(Duration.ofHours(23).plusMinutes(1).toMillis());

        await(connector.positions());

        assertThat(stub.requests("POST", "/api/Auth/validate")).hasSize(1);
        assertThat(stub.requests("POST", "/api/Position/searchOpen").get(0).header("Authorization"))
                .isEqualTo("Bearer px-token-2");
    }

    @Test
    void shouldBackOffOn429ThenPlaceOnce() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.authenticate());
        stub.tooManyRequests(1);

        OrderResult result = await(connector.placeOrder(OrderCommand.market(6, "tf-7-6", "NQ1!", Side.SELL, 1)));

        assertThat(result.filled()).isTrue();
        assertThat(stub.orders()).hasSize(1);
    }

    @Test
    void shouldReconcileByCustomTagWhenTheAnswerIsLost() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.authenticate());
        stub.dropNextPlaceOrderAfterAccepting();

        OrderResult result = await(connector.placeOrder(OrderCommand.market(7, "tf-7-7", "NQ1!", Side.BUY, 1)));

        assertThat(result.reconciled()).isTrue();
        assertThat(result.filled()).isTrue();
        assertThat(stub.orders()).hasSize(1);
        assertThat(stub.requests("POST", "/api/Order/place")).hasSize(1);
    }

    @Test
    void shouldNameTheLoginErrorAndNotShowTheKey() throws Exception {
        ProjectXCredentials wrong = new ProjectXCredentials(stub.baseUri(), ProjectXStub.USER, "not-the-key", null);
        ProjectXConnector connector = new ProjectXConnector(wrong, new JsonHttp(clients.client(), new ObjectMapper(), "projectx"),
                FAST, clock::get, clients.executor());

        BrokerException refused = BrokerException.of(connector.authenticate().handle((r, t) -> t).get(10, TimeUnit.SECONDS));

        assertThat(refused.kind()).isEqualTo(BrokerException.Kind.AUTH);
        assertThat(refused.getMessage()).contains("InvalidCredentials").doesNotContain("not-the-key");
        assertThat(wrong.toString()).doesNotContain("not-the-key");
    }

    @Test
    void shouldNameTheBusinessRejection() {
        stub.rejectNextOrder(3);
        ProjectXConnector connector = connector(stub);

        assertThatThrownBy(() -> await(connector.placeOrder(OrderCommand.market(8, "tf-7-8", "NQ1!", Side.BUY, 1))))
                .hasMessageContaining("InsufficientFunds");
        assertThat(connector.circuit().isOpen()).isFalse();
    }

    @Test
    void shouldOpenTheCircuitOnASlowBrokerAndRefuseFastWhileOtherAccountsTrade() throws Exception {
        try (ProjectXStub healthy = new ProjectXStub()) {
            ProjectXConnector slowOne = connector(stub);
            ProjectXConnector other = connector(healthy);
            await(slowOne.authenticate());
            stub.delay(FAST.requestTimeout().toMillis() * 3);

            for (int i = 0; i < FAST.circuitFailureThreshold(); i++) {
                assertThatThrownBy(() -> await(slowOne.positions())).hasMessageContaining("no answer within");
            }
            BrokerException refused = BrokerException.of(slowOne.positions().handle((r, t) -> t).get(1, TimeUnit.SECONDS));

            assertThat(refused.kind()).isEqualTo(BrokerException.Kind.CIRCUIT_OPEN);
            assertThat(slowOne.circuit().isOpen()).isTrue();
            assertThat(await(other.placeOrder(OrderCommand.market(9, "tf-8-9", "NQ1!", Side.BUY, 1))).filled()).isTrue();
        }
    }

    @Test
    void shouldCloseFullyOrPartlyAndCancel() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(10, "tf-7-10", "NQ1!", Side.SELL, 3)));
        OrderResult working = await(connector.placeOrder(new OrderCommand(11, "tf-7-11", "NQ1!", Side.BUY, OrderType.LIMIT,
                1, 20000, 0, null, null, 0)));

        assertThat(await(connector.positions())).singleElement().satisfies(p -> {
            assertThat(p.symbol()).isEqualTo("NQ1!");
            assertThat(p.quantity()).isEqualTo(-3);
        });
        await(connector.closePosition("NQ1!", 1));
        assertThat(stub.positionSize(ProjectXStub.NQ_CONTRACT)).isEqualTo(-2);
        await(connector.closePosition("NQ1!", 0));
        assertThat(await(connector.positions())).isEmpty();
        await(connector.cancelOrder(working.brokerOrderId()));
        assertThat(await(connector.openOrders())).isEmpty();
        assertThat(await(connector.accountState()).balance()).isEqualTo(50_000.0);
        List<RecordedRequest> partial = stub.requests("POST", "/api/Position/partialCloseContract");
        assertThat(partial.get(0).body().get("size").asInt()).isEqualTo(1);
    }

    @Test
    void shouldCloseWithCloseContractOrPartialCloseAndNeverOpenTheOtherWay() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(80, "tf-7-80", "NQ1!", Side.BUY, 3)));

        OrderResult part = await(connector.placeOrder(OrderCommand.exit(81, "tf-7-81", "NQ1!", Side.SELL, 1, 21010)));
        assertThat(part.filledQuantity()).isEqualTo(1);
        assertThat(part.fillPrice()).isEqualTo(21000.25);
        assertThat(stub.positionSize(ProjectXStub.NQ_CONTRACT)).isEqualTo(2);
        assertThat(stub.requests("POST", "/api/Position/partialCloseContract")).singleElement().satisfies(r -> {
            assertThat(r.body().get("accountId").asLong()).isEqualTo(ProjectXStub.ACCOUNT_ID);
            assertThat(r.body().get("contractId").asText()).isEqualTo(ProjectXStub.NQ_CONTRACT);
            assertThat(r.body().get("size").asInt()).isEqualTo(1);
        });

        // The router thinks 5 are left: the exit closes the broker's 2 with closeContract, nothing more.
        OrderResult rest = await(connector.placeOrder(OrderCommand.exit(82, "tf-7-82", "NQ1!", Side.SELL, 5, 21010)));
        assertThat(rest.filledQuantity()).isEqualTo(2);
        assertThat(stub.positionSize(ProjectXStub.NQ_CONTRACT)).isZero();
        assertThat(stub.requests("POST", "/api/Position/closeContract")).hasSize(1);
        assertThat(stub.requests("POST", "/api/Order/place")).hasSize(1);
        BrokerException nothing = failure(connector.placeOrder(OrderCommand.exit(83, "tf-7-83", "NQ1!", Side.SELL, 1, 21010)));
        assertThat(nothing.getMessage()).contains("no long NQ1! position");
    }

    @Test
    void shouldMoveTheBracketOrdersThroughOrderModify() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.placeOrder(new OrderCommand(84, "tf-7-84", "NQ1!", Side.BUY, OrderType.MARKET, 1, 0, 0,
                Protection.ticks(40), Protection.ticks(80), 21000)));
        assertThat(stub.openOrdersOn(ProjectXStub.NQ_CONTRACT)).hasSize(2);

        await(connector.modifyProtection("NQ1!", 20980, 21050));

        assertThat(stub.requests("POST", "/api/Order/modify")).hasSize(2)
                .allSatisfy(r -> assertThat(r.body().get("accountId").asLong()).isEqualTo(ProjectXStub.ACCOUNT_ID));
        assertThat(stub.openOrdersOn(ProjectXStub.NQ_CONTRACT)).anySatisfy(o -> {
            assertThat(o.get("type")).isEqualTo(4);
            assertThat(o.get("stopPrice")).isEqualTo(20980.0);
        }).anySatisfy(o -> {
            assertThat(o.get("type")).isEqualTo(1);
            assertThat(o.get("limitPrice")).isEqualTo(21050.0);
        });

        // Removing the target cancels its order; the stop stays.
        await(connector.modifyProtection("NQ1!", 20990, 0));
        assertThat(stub.openOrdersOn(ProjectXStub.NQ_CONTRACT)).singleElement().satisfies(o -> {
            assertThat(o.get("type")).isEqualTo(4);
            assertThat(o.get("stopPrice")).isEqualTo(20990.0);
        });
    }

    @Test
    void shouldPlaceAMissingStopLossAsAStopOrderOnTheOtherSide() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(85, "tf-7-85", "NQ1!", Side.SELL, 2)));

        await(connector.modifyProtection("NQ1!", 21100, 0));

        assertThat(stub.openOrdersOn(ProjectXStub.NQ_CONTRACT)).singleElement().satisfies(o -> {
            assertThat(o.get("type")).isEqualTo(4);
            assertThat(o.get("side")).isEqualTo(0);
            assertThat(o.get("size")).isEqualTo(2);
            assertThat(o.get("stopPrice")).isEqualTo(21100.0);
        });
    }

    @Test
    void shouldDescribeAContractForSizingFromItsTickSizeAndValue() throws Exception {
        io.tradeflow.config.InstrumentSpec spec = await(connector(stub).instrumentSpec("NQ1!"));

        assertThat(spec.tickSize()).isEqualTo(0.25);
        assertThat(spec.tickValue()).isEqualTo(5.0);
        assertThat(spec.pointValue()).isEqualTo(20.0);
        assertThat(spec.contractSize()).isEqualTo(20.0);
        assertThat(spec.lotStep()).isEqualTo(1);
        assertThat(spec.minQuantity()).isEqualTo(1);
    }

    @Test
    void shouldCountACloseAnswered504AsDoneWhenThePositionIsGoneAndNotSendItAgain() throws Exception {
        ProjectXConnector connector = connector(stub);
        await(connector.placeOrder(OrderCommand.market(90, "tf-7-90", "NQ1!", Side.SELL, 2)));
        stub.failNextCloseAfterClosing(504);

        OrderResult closed = await(connector.placeOrder(OrderCommand.exit(91, "tf-7-91", "NQ1!", Side.BUY, 2, 21000)));

        assertThat(closed.filledQuantity()).isEqualTo(2);
        assertThat(stub.positionSize(ProjectXStub.NQ_CONTRACT)).isZero();
        assertThat(stub.requests("POST", "/api/Position/closeContract")).hasSize(1);
    }
}
