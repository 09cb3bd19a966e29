package io.tradeflow.core.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.ReplyBatch;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.DisabledJournal;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answers handed over a Disruptor batch at a time: a reply with a {@link ReplyBatch} is flushed once at the
 * end of the batch, in completion order, whatever the events' outcomes (fail-stop included).
 */
final class RoutingHandlerBatchTest {
    private static final long ACCOUNT = 7;
    private static final long USER = 70;
    private static final String KEY = "tf_live_batch_key_0123456789";
    private static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    private static final RiskLimits LIMITS = new RiskLimits(1000, 0, 100, "", ZoneId.of("UTC"), List.of(), 1_000_000,
            Duration.ofMinutes(1));

    private final SwitchableJournal journal = new SwitchableJournal();
    private final RecordingBatch batch = new RecordingBatch();
    private final RoutingHandler handler = handler(journal);
    private long sequence;

    private static RoutingHandler handler(Journal journal) {
        RouterState state = new RouterState(LIMITS, new AlertSettings(1000, Duration.ZERO, Duration.ZERO, Duration.ofHours(1),
                Map.of(), ""));
        state.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        state.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
        RoutingPipeline pipeline = new RoutingPipeline(state, new TrialConfig(100, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue("BOOM"))));
        return new RoutingHandler(pipeline, journal);
    }

    /** One event of a batch, answered through the recording batch; endOfBatch as the Disruptor would pass it. */
    private void handle(int n, boolean endOfBatch) {
        RingEvent e = Events.intent(new RingEvent(), KEY, T0 + n, Action.OPEN, Side.BUY, "EURUSD", 1, 100);
        e.replyTo = batch.reply(n);
        handler.onEvent(e, sequence++, endOfBatch);
    }

    @Test
    void shouldHandAWholeBatchOverWithOneFlushInCompletionOrder() {
        handle(1, false);
        handle(2, false);
        handle(3, false);
        assertThat(batch.completed).containsExactly(1, 2, 3);
        assertThat(batch.delivered).isEmpty();
        assertThat(batch.flushes).isZero();

        handle(4, true);

        assertThat(batch.flushes).isEqualTo(1);
        assertThat(batch.delivered).containsExactly(1, 2, 3, 4);
        assertThat(batch.outcomes).containsOnly(Outcome.ACCEPTED);

        handle(5, true);
        assertThat(batch.flushes).isEqualTo(2);
        assertThat(batch.delivered).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void shouldNotHoldEarlyAnswersForAWholeBacklog() {
        int total = RoutingHandler.MAX_ANSWERS_PER_FLUSH + 5;
        for (int n = 1; n < total; n++) {
            handle(n, false);
        }
        assertThat(batch.flushes).isEqualTo(1);
        assertThat(batch.delivered).hasSize(RoutingHandler.MAX_ANSWERS_PER_FLUSH);

        handle(total, true);
        assertThat(batch.flushes).isEqualTo(2);
        assertThat(batch.delivered).hasSize(total).isSorted();
    }

    @Test
    void shouldAnswerEveryEventOfAFailStoppedBatchWith503() {
        handle(1, true);
        journal.failing = true;
        handle(2, false);
        journal.failing = false;
        handle(3, false);
        handle(4, true);

        assertThat(handler.isFailStopped()).isTrue();
        assertThat(batch.flushes).isEqualTo(2);
        assertThat(batch.delivered).containsExactly(1, 2, 3, 4);
        assertThat(batch.outcomes).containsExactly(Outcome.ACCEPTED, Outcome.OVERLOADED, Outcome.OVERLOADED,
                Outcome.OVERLOADED);
        assertThat(batch.outcomes.subList(1, 4)).allMatch(o -> o.httpStatus() == 503);
        assertThat(batch.reasons.get(1)).contains("journal unavailable");
        assertThat(batch.reasons.get(3)).contains("router stopped");
    }

    @Test
    void shouldAnswerAReplyWithoutABatchAtOnce() {
        List<Outcome> direct = new ArrayList<>();
        RingEvent e = Events.intent(new RingEvent(), KEY, T0, Action.OPEN, Side.BUY, "EURUSD", 1, 100);
        e.replyTo = decided -> direct.add(decided.outcome);
        handler.onEvent(e, sequence++, false);
        assertThat(direct).containsExactly(Outcome.ACCEPTED);
    }

    /** A reply batch like the HTTP hand-off: completions wait until the flush, which delivers them in order. */
    private static final class RecordingBatch implements ReplyBatch {
        final List<Integer> completed = new ArrayList<>();
        final List<Integer> delivered = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();
        int flushes;

        Reply reply(int n) {
            return new Reply() {
                @Override
                public void complete(RingEvent decided) {
                    completed.add(n);
                    outcomes.add(decided.outcome);
                    reasons.add(decided.reason);
                }

                @Override
                public ReplyBatch batch() {
                    return RecordingBatch.this;
                }
            };
        }

        @Override
        public void flush() {
            flushes++;
            delivered.addAll(completed.subList(delivered.size(), completed.size()));
        }
    }

    @Test
    void shouldTakeARunningCheckpointOnlyWhenSomethingWasJournaledSinceTheLast() {
        List<Long> taken = new ArrayList<>();
        handler.checkpointsTo((index, bytes, nanos) -> taken.add(index));
        handle(1, true);
        askForCheckpoint();
        askForCheckpoint();
        assertThat(taken).containsExactly(journal.lastIndex());

        handle(2, true);
        askForCheckpoint();
        assertThat(taken).hasSize(2);
        assertThat(taken.get(1)).isEqualTo(journal.lastIndex()).isGreaterThan(taken.get(0));
    }

    private void askForCheckpoint() {
        RingEvent e = new RingEvent();
        e.begin(EventType.CHECKPOINT, T0, System.nanoTime());
        handler.onEvent(e, sequence++, true);
    }

    /** A journal whose appends fail while {@link #failing} is set (a full disk). */
    private static final class SwitchableJournal implements Journal {
        private final DisabledJournal delegate = new DisabledJournal();
        boolean failing;

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
