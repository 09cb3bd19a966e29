package io.tradeflow.broker.mtx;

import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.OrderResult;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MtxBridgeTest {
    private static final String TOKEN = MtxCredentials.newLicenseToken();

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final ExecutorService timers = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        timers.shutdownNow();
    }

    private MtxBridge bridge(Duration pickup) {
        ConnectorSettings settings = new ConnectorSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(30),
                Duration.ofSeconds(30), pickup);
        return new MtxBridge(new MtxCredentials(TOKEN, ".m"), settings, clock::get, timers, MtxBridge.instrumentLookup(INSTRUMENTS));
    }

    /** The router's instrument table as reference.conf has it, for the instruments these tests trade. */
    private static final Map<String, InstrumentSpec> INSTRUMENTS = Map.of(
            "EURUSD", InstrumentSpec.parse("EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50"),
            "XAUUSD", InstrumentSpec.parse("XAUUSD contract=100 pip=0.1 tick=0.01 tick-value=1 step=0.01 min=0.01 max=50"),
            "NAS100", InstrumentSpec.parse("NAS100 contract=1 pip=1 tick=0.1 tick-value=0.1 step=0.1 min=0.1 max=500"),
            "BTCUSD", InstrumentSpec.parse("BTCUSD contract=1 pip=1 tick=0.01 tick-value=0.01 step=0.001 min=0.001 max=100"));

    private static BrokerException failure(CompletableFuture<?> future) throws Exception {
        return BrokerException.of(future.handle((r, t) -> t).get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldRefuseAtOnceWhileTheEaHasNotConnected() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));

        BrokerException refused = failure(bridge.placeOrder(OrderCommand.market(1, "tf-1-1", "EURUSD", Side.BUY, 0.1)));

        assertThat(bridge.circuit().isOpen()).isTrue();
        assertThat(refused.kind()).isEqualTo(BrokerException.Kind.CIRCUIT_OPEN);
        assertThat(refused.getMessage()).contains("has not connected");
    }

    @Test
    void shouldCountAsDisconnectedWhenHeartbeatsStop() {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        assertThat(bridge.isConnected()).isTrue();

        clock.addAndGet(Duration.ofSeconds(31).toMillis());

        assertThat(bridge.isConnected()).isFalse();
        assertThat(bridge.circuit().openReason()).contains("stopped sending heartbeats");
    }

    @Test
    void shouldDeliverAnUnansweredCommandAgainWithTheSameIdAndTakeOnlyTheFirstAck() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        CompletableFuture<OrderResult> placed = bridge.placeOrder(new OrderCommand(2, "tf-1-2", "EURUSD", Side.SELL,
                OrderType.MARKET, 0.3, 0, 0, Protection.price(1.09), new Protection(StopMode.PIPS, 40), 1.085));

        List<MtxCommand> first = bridge.poll();
        List<MtxCommand> again = bridge.poll();

        assertThat(first).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("tf-1-2");
            assertThat(c.symbol()).isEqualTo("EURUSD.m");
            assertThat(c.side()).isEqualTo("sell");
            assertThat(c.volume()).isEqualTo(0.3);
            assertThat(c.slMode()).isEqualTo("price");
            assertThat(c.sl()).isEqualTo(1.09);
            // 40 pips of EURUSD from the router's table: a price distance the EA applies as it is.
            assertThat(c.tpMode()).isEqualTo("distance");
            assertThat(c.tp()).isEqualTo(0.004);
            assertThat(c.reduceOnly()).isFalse();
            assertThat(c.expiresAtMillis() - c.createdAtMillis()).isEqualTo(30_000);
        });
        assertThat(again).isEqualTo(first);
        assertThat(bridge.acknowledge(new MtxAck("tf-1-2", MtxAck.Result.FILLED, 5551, 1.0849, 0.3, 0, null))).isTrue();
        assertThat(bridge.acknowledge(new MtxAck("tf-1-2", MtxAck.Result.FILLED, 5552, 1.0900, 0.3, 0, null))).isFalse();
        OrderResult result = placed.get(5, TimeUnit.SECONDS);
        assertThat(result.brokerOrderId()).isEqualTo("5551");
        assertThat(result.fillPrice()).isEqualTo(1.0849);
        assertThat(bridge.poll()).isEmpty();
    }

    @Test
    void shouldReportTheTerminalsRefusal() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        CompletableFuture<OrderResult> placed = bridge.placeOrder(OrderCommand.market(3, "tf-1-3", "XAUUSD", Side.BUY, 1));
        bridge.poll();

        bridge.acknowledge(new MtxAck("tf-1-3", MtxAck.Result.REFUSED, 0, 0, 0, 10019, "not enough money"));

        assertThat(failure(placed).getMessage()).contains("10019").contains("not enough money");
    }

    @Test
    void shouldWithdrawACommandNoPollPickedUpSoItCanNeverExecuteLate() throws Exception {
        MtxBridge bridge = bridge(Duration.ofMillis(50));
        bridge.heartbeat();

        BrokerException withdrawn = failure(bridge.placeOrder(OrderCommand.market(4, "tf-1-4", "EURUSD", Side.BUY, 1)));

        assertThat(withdrawn.getMessage()).contains("withdrawn");
        assertThat(bridge.poll()).isEmpty();
    }

    @Test
    void shouldKeepACommandTheEaReceivedUntilItAnswers() throws Exception {
        MtxBridge bridge = bridge(Duration.ofMillis(50));
        bridge.heartbeat();
        CompletableFuture<OrderResult> placed = bridge.placeOrder(OrderCommand.market(5, "tf-1-5", "EURUSD", Side.BUY, 1));
        bridge.poll();
        AtomicInteger polls = new AtomicInteger();

        await().atMost(Duration.ofSeconds(2)).until(() -> {
            polls.incrementAndGet();
            return bridge.poll().size() == 1 && polls.get() > 5;
        });
        bridge.acknowledge(new MtxAck("tf-1-5", MtxAck.Result.FILLED, 77, 1.1, 1, 0, null));

        assertThat(placed.get(5, TimeUnit.SECONDS).filled()).isTrue();
    }

    @Test
    void shouldWakeALongPollWhenACommandArrivesAndReportPushedPositionsWithoutTheSuffix() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        CompletableFuture<Void> woken = new CompletableFuture<>();
        assertThat(bridge.awaitCommands(() -> woken.complete(null))).isTrue();

        bridge.placeOrder(OrderCommand.market(6, "tf-1-6", "EURUSD", Side.BUY, 1));
        bridge.pushState(List.of(new BrokerPosition("9", "EURUSD.m", -0.5, 1.08)), null);

        woken.get(5, TimeUnit.SECONDS);
        assertThat(bridge.positions().get(5, TimeUnit.SECONDS)).singleElement()
                .satisfies(p -> assertThat(p.symbol()).isEqualTo("EURUSD"));
    }

    @Test
    void shouldTurnPipsIntoPriceDistancesWithTheRoutersTableAndRefuseWhatTheEaWouldHaveToGuess() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        bridge.placeOrder(new OrderCommand(7, "tf-1-7", "XAUUSD", Side.SELL, OrderType.LIMIT, 0.1, 2660, 0,
                new Protection(StopMode.PIPS, 25), new Protection(StopMode.PERCENT, 1), 2650));
        CompletableFuture<OrderResult> unknownInstrument = bridge.placeOrder(new OrderCommand(8, "tf-1-8", "GER30", Side.BUY,
                OrderType.MARKET, 1, 0, 0, new Protection(StopMode.PIPS, 20), Protection.NONE, 18000));
        CompletableFuture<OrderResult> trailing = bridge.placeOrder(new OrderCommand(9, "tf-1-9", "EURUSD", Side.BUY,
                OrderType.MARKET, 1, 0, 0, new Protection(StopMode.TRAIL, 20), Protection.NONE, 1.08));

        assertThat(bridge.poll()).singleElement().satisfies(c -> {
            assertThat(c.symbol()).isEqualTo("XAUUSD.m");
            assertThat(c.price()).isEqualTo(2660);
            assertThat(c.slMode()).isEqualTo("distance");
            assertThat(c.sl()).isEqualTo(2.5);
            // 1 % of the order's own price
            assertThat(c.tp()).isEqualTo(26.6);
            assertThat(c.toTextLine()).startsWith("tf-1-7|open|XAUUSD.m|sell|limit|0.1|2660|distance|2.5|distance|26.6|0|0|");
        });
        assertThat(failure(unknownInstrument).getMessage()).contains("GER30 in the router's instrument table");
        assertThat(failure(trailing).getMessage()).contains("no trailing stops");
    }

    @Test
    void shouldFlagExitsReduceOnlyAndWriteDistancesWithoutExponents() {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        bridge.placeOrder(new OrderCommand(10, "tf-1-10", "EURUSD", Side.SELL, OrderType.MARKET, 0.5, 0, 0,
                Protection.NONE, Protection.NONE, 1.08, true));
        bridge.placeOrder(new OrderCommand(11, "tf-1-11", "EURUSD", Side.BUY, OrderType.MARKET, 0.5, 0, 0,
                new Protection(StopMode.PIPS, 2), Protection.NONE, 1.08));

        List<MtxCommand> commands = bridge.poll();

        assertThat(commands.get(0).action()).isEqualTo("close");
        assertThat(commands.get(0).reduceOnly()).isTrue();
        assertThat(commands.get(0).toTextLine().split("\\|")[12]).isEqualTo("1");
        assertThat(commands.get(1).action()).isEqualTo("open");
        assertThat(commands.get(1).toTextLine()).contains("|distance|0.0002|");
    }

    @Test
    void shouldSettleACommandAsOutcomeUnknownWhenTheInstanceThatClaimedItFallsSilent() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        CompletableFuture<OrderResult> placed = bridge.placeOrder(OrderCommand.market(12, "tf-1-12", "EURUSD", Side.BUY, 1));

        assertThat(bridge.poll("a")).hasSize(1);
        assertThat(bridge.poll("b")).isEmpty();
        assertThat(bridge.acknowledge(new MtxAck("tf-1-12", MtxAck.Result.FILLED, 1, 1.1, 1, 0, ""), "b"))
                .isEqualTo(MtxBridge.AckOutcome.NOT_CLAIMED);
        clock.addAndGet(Duration.ofSeconds(31).toMillis());
        assertThat(bridge.poll("b")).isEmpty();

        assertThat(failure(placed).getMessage()).contains("outcome unknown").contains("stopped answering");
        assertThat(bridge.outcomeUnknown()).containsExactly("tf-1-12");
        assertThat(bridge.poll("a")).isEmpty();
    }

    @Test
    void shouldBookWhatAnUnknownAckKnowsWasExecutedAndKeepTheCommandListedAsUnknown() throws Exception {
        MtxBridge bridge = bridge(Duration.ofSeconds(30));
        bridge.heartbeat();
        CompletableFuture<OrderResult> placed = bridge.placeOrder(OrderCommand.market(13, "tf-1-13", "EURUSD", Side.BUY, 1));
        bridge.poll("a");

        // The EA closed 0.4 lots of a short, then the open timed out.
        bridge.acknowledge(new MtxAck("tf-1-13", MtxAck.Result.UNKNOWN, 0, 1.0851, 0.4, 10012, "request timed out"), "a");

        OrderResult result = placed.get(5, TimeUnit.SECONDS);
        assertThat(result.filledQuantity()).isEqualTo(0.4);
        assertThat(result.fillPrice()).isEqualTo(1.0851);
        assertThat(bridge.outcomeUnknown()).containsExactly("tf-1-13");
    }
}
