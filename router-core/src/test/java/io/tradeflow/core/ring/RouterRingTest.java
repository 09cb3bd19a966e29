package io.tradeflow.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.RingConfig;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.config.WaitStrategyKind;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.DisabledJournal;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real Disruptor ring with the routing handler: ordered answers, journaling, containment, draining. */
final class RouterRingTest {
    private static final long ACCOUNT = 7;
    private static final long USER = 70;
    private static final String KEY = "tf_live_ring_key_0123456789";
    private static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    private static final RiskLimits LIMITS = new RiskLimits(1000, 0, 100, "", ZoneId.of("UTC"), List.of(), 1_000_000,
            Duration.ofMinutes(1));
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<RingEvent> replies = Collections.synchronizedList(new ArrayList<>());
    private final Reply recorder = decided -> replies.add(Events.copyOf(decided));
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RouterState state;
    private RoutingHandler handler;
    private RouterRing ring;

    private void start(WaitStrategyKind waitStrategy, int size, Journal journal, boolean seedAccount) {
        // Pyramiding allowed: these tests are about the ring, and send repeated same-side entries.
        state = new RouterState(LIMITS, new AlertSettings(1000, Duration.ZERO, Duration.ZERO, Duration.ofHours(1), Map.of(), ""));
        if (seedAccount) {
            state.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
            state.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
        }
        RoutingPipeline pipeline = new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue("BOOM"))));
        handler = new RoutingHandler(pipeline, journal);
        ring = new RouterRing(new RingConfig(size, waitStrategy), handler);
        // Closed in reverse: the ring drains before the journal closes.
        toClose.add(journal);
        toClose.add(ring);
        ring.start();
    }

    private ChronicleJournal chronicle() {
        return new ChronicleJournal(dir, JournalSync.NONE);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Publishes like ingress does: claim without waiting, fill the slot, publish. */
    private void publish(String key, long at, Action action, Side side, String symbol, double qty, double price)
            throws InsufficientCapacityException {
        RingBuffer<RingEvent> buffer = ring.ringBuffer();
        long seq = buffer.tryNext();
        try {
            RingEvent e = buffer.get(seq);
            Events.intent(e, key, at, action, side, symbol, qty, price);
            e.replyTo = recorder;
        } finally {
            buffer.publish(seq);
        }
    }

    private void buy(long at, String symbol) throws InsufficientCapacityException {
        publish(KEY, at, Action.OPEN, Side.BUY, symbol, 1, 100);
    }

    private void awaitReplies(int count) {
        await().atMost(PATIENCE).until(() -> replies.size() >= count);
    }

    private static List<RingEvent> readJournal(Journal journal) {
        List<RingEvent> read = new ArrayList<>();
        try (JournalReader reader = journal.readerAfter(0)) {
            RingEvent e = new RingEvent();
            while (reader.next(e)) {
                read.add(Events.copyOf(e));
            }
        }
        return read;
    }

    @ParameterizedTest
    @EnumSource(WaitStrategyKind.class)
    void shouldAnswerEveryEventInOrderAndJournalIt(WaitStrategyKind waitStrategy) throws Exception {
        ChronicleJournal journal = chronicle();
        start(waitStrategy, 1024, journal, true);
        String[] symbols = {"EURUSD", "GBPUSD", "XAUUSD"};
        int count = 300;
        for (int i = 0; i < count; i++) {
            String key = i % 10 == 9 ? "tf_unknown_key" : KEY;
            publish(key, T0 + i, Action.OPEN, i % 2 == 0 ? Side.BUY : Side.SELL, symbols[i % 3], 1 + i % 4, 100 + i);
        }

        awaitReplies(count);

        List<RingEvent> answered = new ArrayList<>(replies);
        assertThat(answered).hasSize(count);
        assertThat(answered).extracting(e -> e.receivedAtMillis)
                .containsExactlyElementsOf(LongStream.range(T0, T0 + count).boxed().toList());
        long lastIndex = 0;
        long lastOrder = 0;
        for (int i = 0; i < count; i++) {
            RingEvent e = answered.get(i);
            assertThat(e.outcome).as("event %d", i).isEqualTo(i % 10 == 9 ? Outcome.UNAUTHORIZED : Outcome.ACCEPTED);
            assertThat(e.journalIndex).as("event %d", i).isGreaterThan(lastIndex);
            lastIndex = e.journalIndex;
            if (e.outcome == Outcome.ACCEPTED) {
                assertThat(e.orderId).as("event %d", i).isEqualTo(lastOrder + 1);
                lastOrder = e.orderId;
            }
        }
        assertThat(handler.processedCount()).isEqualTo(count);

        ring.close();
        List<RingEvent> journaled = readJournal(journal);
        assertThat(journaled).hasSize(count);
        for (int i = 0; i < count; i++) {
            RingEvent fromJournal = journaled.get(i);
            RingEvent answer = answered.get(i);
            assertThat(fromJournal.journalIndex).isEqualTo(answer.journalIndex);
            assertThat(fromJournal.outcome).isEqualTo(answer.outcome);
            assertThat(fromJournal.orderId).isEqualTo(answer.orderId);
            assertThat(fromJournal.positionQuantity).isEqualTo(answer.positionQuantity);
            assertThat(fromJournal.symbol.toString()).isEqualTo(answer.symbol.toString());
        }
        assertThat(state.lastOrderId()).isEqualTo(lastOrder).isEqualTo(270);
    }

    @Test
    void shouldContainAStageFailureToItsOwnEvent() throws Exception {
        ChronicleJournal journal = chronicle();
        start(WaitStrategyKind.BLOCKING, 64, journal, true);

        buy(T0, "EURUSD");
        buy(T0 + 1, "BOOM");
        buy(T0 + 2, "EURUSD");
        buy(T0 + 3, "BOOM");
        buy(T0 + 4, "GBPUSD");
        awaitReplies(5);

        assertThat(replies).extracting(e -> e.outcome).containsExactly(Outcome.ACCEPTED, Outcome.INTERNAL_ERROR,
                Outcome.ACCEPTED, Outcome.INTERNAL_ERROR, Outcome.ACCEPTED);
        RingEvent failed = replies.get(1);
        assertThat(failed.reason).contains("err_");
        assertThat(failed.outcome.httpStatus()).isEqualTo(500);
        assertThat(failed.orderId).isZero();
        assertThat(replies.get(3).reason).contains("err_").isNotEqualTo(failed.reason);
        assertThat(replies).extracting(e -> e.orderId).containsExactly(1L, 0L, 2L, 0L, 3L);
        assertThat(replies.get(2).positionQuantity).isEqualTo(2.0);

        ring.close();
        assertThat(readJournal(journal)).extracting(e -> e.outcome).containsExactly(Outcome.ACCEPTED,
                Outcome.INTERNAL_ERROR, Outcome.ACCEPTED, Outcome.INTERNAL_ERROR, Outcome.ACCEPTED);
    }

    @Test
    void shouldCompleteControlFuturesOnceAppliedAndJournaled() throws Exception {
        ChronicleJournal journal = chronicle();
        start(WaitStrategyKind.BLOCKING, 64, journal, false);
        ControlPublisher control = new ControlPublisher(ring.ringBuffer());
        String key = "tf_published_by_control";

        CompletableFuture<Long> added = control.accountAdded(ACCOUNT, USER, BrokerKind.PAPER, true, T0, false, 0);
        CompletableFuture<Long> keyAdded = control.keyAdded(ACCOUNT, USER, KeyHasher.sha256(key));
        added.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        keyAdded.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(added).isCompleted();
        assertThat(keyAdded).isCompleted();

        publish(key, T0, Action.OPEN, Side.BUY, "EURUSD", 1, 100);
        awaitReplies(1);
        assertThat(replies.get(0).outcome).isEqualTo(Outcome.ACCEPTED);

        control.accountEnabled(ACCOUNT, USER, false).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        publish(key, T0 + 1, Action.OPEN, Side.BUY, "EURUSD", 1, 100);
        control.accountEnabled(ACCOUNT, USER, true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        control.emergencyStop(USER, true).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        publish(key, T0 + 2, Action.OPEN, Side.BUY, "EURUSD", 1, 100);
        control.emergencyStop(USER, false).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        control.keyRevoked(ACCOUNT, USER, KeyHasher.sha256(key)).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        publish(key, T0 + 3, Action.OPEN, Side.BUY, "EURUSD", 1, 100);
        awaitReplies(4);

        assertThat(replies).extracting(e -> e.outcome).containsExactly(Outcome.ACCEPTED, Outcome.ACCOUNT_DISABLED,
                Outcome.RISK_REJECTED, Outcome.UNAUTHORIZED);
        assertThat(replies.get(2).field).isEqualTo("emergency_stop");

        ring.close();
        List<RingEvent> journaled = readJournal(journal);
        assertThat(journaled).extracting(e -> e.type).containsExactly(EventType.CONTROL, EventType.CONTROL,
                EventType.INTENT, EventType.CONTROL, EventType.INTENT, EventType.CONTROL, EventType.CONTROL,
                EventType.INTENT, EventType.CONTROL, EventType.CONTROL, EventType.INTENT);
        assertThat(journaled.get(1).keyHash).isEqualTo(KeyHasher.sha256(key));
        assertThat(journaled).filteredOn(e -> e.type == EventType.CONTROL)
                .allMatch(e -> e.outcome == Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseAndFailFuturesWhenTheJournalCannotRecord() throws Exception {
        FailingJournal journal = new FailingJournal();
        start(WaitStrategyKind.BLOCKING, 64, journal, true);
        ControlPublisher control = new ControlPublisher(ring.ringBuffer());
        journal.failing = true;

        CompletableFuture<Long> stop = control.emergencyStop(USER, true);
        buy(T0, "EURUSD");
        awaitReplies(1);

        assertThatThrownBy(() -> stop.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("EMERGENCY_STOP");
        assertThat(replies.get(0).outcome).isEqualTo(Outcome.OVERLOADED);
        assertThat(replies.get(0).outcome.httpStatus()).isEqualTo(503);
        assertThat(replies.get(0).orderId).isZero();
    }

    @Test
    void shouldFailStopOnAJournalFailureSoARestartReplaysTheStateTheRouterLastActedOn() throws Exception {
        ChronicleJournal chronicle = chronicle();
        FailOnceJournal journal = new FailOnceJournal(chronicle);
        start(WaitStrategyKind.BLOCKING, 64, journal, true);
        ControlPublisher control = new ControlPublisher(ring.ringBuffer());
        int symbol = state.symbols().intern("EURUSD");

        buy(T0, "EURUSD");
        buy(T0 + 1, "EURUSD");
        awaitReplies(2);
        double actedOn = state.positions().quantity(ACCOUNT, symbol);
        journal.failNext = true;
        buy(T0 + 2, "EURUSD");
        awaitReplies(3);
        // The journal works again, but the router must not: its state holds an event the journal lacks.
        buy(T0 + 3, "EURUSD");
        publish(KEY, T0 + 4, Action.CLOSE, Side.BUY, "EURUSD", 0, 100);
        CompletableFuture<Long> stop = control.emergencyStop(USER, true);
        awaitReplies(5);

        assertThat(replies).extracting(e -> e.outcome).containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED,
                Outcome.OVERLOADED, Outcome.OVERLOADED, Outcome.OVERLOADED);
        assertThat(replies.get(2).reason).contains("journal unavailable");
        assertThat(replies.get(3).reason).contains("router stopped").contains("journal append failed");
        assertThat(replies.subList(2, 5)).allMatch(e -> e.orderId == 0 && e.outcome.httpStatus() == 503);
        assertThatThrownBy(() -> stop.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(handler.isFailStopped()).isTrue();
        assertThat(handler.failStopReason()).contains("disk full");

        ring.close();
        List<RingEvent> journaled = readJournal(chronicle);
        assertThat(journaled).hasSize(2);
        // The restart: a fresh state replays the journal and holds what the router last acted on.
        RouterState restarted = new RouterState(LIMITS, new AlertSettings(1000, Duration.ZERO, Duration.ZERO,
                Duration.ofHours(1), Map.of(), ""));
        restarted.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        restarted.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
        RoutingPipeline replay = new RoutingPipeline(restarted, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue("BOOM"))));
        journaled.forEach(replay.replay()::apply);
        assertThat(restarted.positions().quantity(ACCOUNT, restarted.symbols().intern("EURUSD"))).isEqualTo(actedOn)
                .isEqualTo(2.0);
        assertThat(restarted.lastOrderId()).isEqualTo(2);
    }

    /** A journal whose next append fails once (a full disk for a moment), then works again. */
    private static final class FailOnceJournal implements Journal {
        private final Journal delegate;
        volatile boolean failNext;

        FailOnceJournal(Journal delegate) {
            this.delegate = delegate;
        }

        @Override
        public long append(RingEvent event) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("disk full");
            }
            return delegate.append(event);
        }

        @Override
        public JournalReader readerAfter(long index) {
            return delegate.readerAfter(index);
        }

        @Override
        public long lastIndex() {
            return delegate.lastIndex();
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void shouldDrainEveryPublishedEventOnClose() throws Exception {
        ChronicleJournal journal = chronicle();
        start(WaitStrategyKind.BLOCKING, 256, journal, true);
        int count = 200;
        for (int i = 0; i < count; i++) {
            buy(T0 + i, "EURUSD");
        }

        ring.close();

        assertThat(replies).hasSize(count);
        assertThat(handler.processedCount()).isEqualTo(count);
        assertThat(readJournal(journal)).hasSize(count);
        assertThat(state.positions().quantity(ACCOUNT, state.symbols().intern("EURUSD"))).isEqualTo(count);
    }

    @Test
    void shouldRefuseToClaimWhenTheRingIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(WaitStrategyKind.BLOCKING, 64, new DisabledJournal(), true);
        RingBuffer<RingEvent> buffer = ring.ringBuffer();
        // The first answer blocks the consumer until released, so the ring fills up.
        long first = buffer.tryNext();
        Events.intent(buffer.get(first), KEY, T0, Action.OPEN, Side.BUY, "EURUSD", 1, 100).replyTo = decided -> {
            recorder.complete(decided);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        buffer.publish(first);
        int published = 1;
        while (true) {
            try {
                buy(T0 + published, "EURUSD");
                published++;
            } catch (InsufficientCapacityException full) {
                break;
            }
        }

        assertThat(published).isEqualTo(64);
        assertThat(ring.remainingCapacity()).isZero();

        release.countDown();
        awaitReplies(64);
        assertThat(replies).extracting(e -> e.outcome).containsOnly(Outcome.ACCEPTED);
        assertThat(replies).extracting(e -> e.orderId).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void shouldMapEveryConfiguredWaitStrategy() {
        assertThat(RouterRing.waitStrategy(WaitStrategyKind.BLOCKING)).isInstanceOf(BlockingWaitStrategy.class);
        assertThat(RouterRing.waitStrategy(WaitStrategyKind.SLEEPING)).isInstanceOf(SleepingWaitStrategy.class);
        assertThat(RouterRing.waitStrategy(WaitStrategyKind.YIELDING)).isInstanceOf(YieldingWaitStrategy.class);
        assertThat(RouterRing.waitStrategy(WaitStrategyKind.BUSY_SPIN)).isInstanceOf(BusySpinWaitStrategy.class);
        assertThat(RouterRing.waitStrategy(WaitStrategyKind.LITE_BLOCKING)).isInstanceOf(LiteBlockingWaitStrategy.class);
        assertThat(RouterRing.waitStrategy(WaitStrategyKind.SPIN_THEN_PARK)).isInstanceOf(SpinThenParkWaitStrategy.class);
    }

    /** A journal whose storage is gone: every append fails while {@link #failing} is set. */
    private static final class FailingJournal implements Journal {
        private final DisabledJournal delegate = new DisabledJournal();
        volatile boolean failing;

        @Override
        public long append(RingEvent event) {
            if (failing) {
                throw new IllegalStateException("disk full");
            }
            return delegate.append(event);
        }

        @Override
        public JournalReader readerAfter(long index) {
            return delegate.readerAfter(index);
        }

        @Override
        public long lastIndex() {
            return delegate.lastIndex();
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
