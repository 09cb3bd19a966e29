package io.tradeflow.http.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring's side of the live stream: copies, order, the bound, and nothing before it is attached. */
class LiveFeedTest {
    /** An executor that runs its tasks only when told, like an event loop that is busy. */
    private static final class ManualLoop implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
        }
    }

    private static RingEvent decided(EventType type, long accountId, long journalIndex) {
        RingEvent e = new RingEvent().begin(type, 1_000L, 1L);
        e.accountId = accountId;
        e.userId = 9;
        e.journalIndex = journalIndex;
        return e;
    }

    @Test
    void shouldHandOverCopiesOfTheAccountsEventsInOrderWithOneDrainTask() {
        LiveFeed feed = new LiveFeed(8);
        ManualLoop loop = new ManualLoop();
        List<Long> seen = new ArrayList<>();
        feed.attach(loop, e -> seen.add(e.journalIndex * 100 + e.accountId), lost -> seen.add(-lost));

        RingEvent first = decided(EventType.INTENT, 5, 1);
        feed.onDecided(first);
        first.accountId = 6; // the ring reuses its slot at once: the feed kept a copy
        feed.onDecided(decided(EventType.CONTROL, 5, 2));
        feed.onDecided(decided(EventType.INTENT, 0, 3)); // no account (unknown key): nobody to tell
        feed.onDecided(decided(EventType.BROKER_REPORT, 5, 4));
        feed.onDecided(decided(EventType.TRIGGERED, 5, 5));

        assertThat(loop.tasks).as("one drain for the burst").hasSize(1);
        loop.runAll();
        assertThat(seen).containsExactly(105L, 405L, 505L);
        feed.onDecided(decided(EventType.INTENT, 5, 6));
        assertThat(loop.tasks).as("a new drain once the last one ran").hasSize(1);
    }

    @Test
    void shouldDropWhatDoesNotFitAndReportTheLossInsteadOfWaiting() {
        LiveFeed feed = new LiveFeed(4);
        ManualLoop loop = new ManualLoop();
        List<Long> seen = new ArrayList<>();
        feed.attach(loop, e -> seen.add(e.journalIndex), lost -> seen.add(-lost));
        for (int i = 1; i <= 7; i++) {
            feed.onDecided(decided(EventType.INTENT, 5, i));
        }
        loop.runAll();
        assertThat(seen).containsExactly(1L, 2L, 3L, 4L, -3L);
        assertThat(feed.droppedTotal()).isEqualTo(3);
        feed.onDecided(decided(EventType.INTENT, 5, 8));
        loop.runAll();
        assertThat(seen).endsWith(8L);
    }

    @Test
    void shouldIgnoreDecisionsBeforeTheEventLoopIsAttached() {
        LiveFeed feed = new LiveFeed(4);
        feed.onDecided(decided(EventType.INTENT, 5, 1));
        ManualLoop loop = new ManualLoop();
        List<Long> seen = new ArrayList<>();
        feed.attach(loop, e -> seen.add(e.journalIndex), lost -> seen.add(-lost));
        feed.onDecided(decided(EventType.INTENT, 5, 2));
        loop.runAll();
        assertThat(seen).containsExactly(2L);
    }

    @Test
    void shouldHandOverAUsersSuspensionButNotTheirReactivationNorOtherControls() {
        RingEvent suspended = decided(EventType.CONTROL, 0, 7);
        suspended.controlType = io.tradeflow.core.event.ControlType.USER_SUSPENDED;
        suspended.controlFlag = true;
        suspended.outcome = io.tradeflow.core.event.Outcome.ACCEPTED;
        assertThat(LiveFeed.relevant(suspended)).isTrue();
        suspended.controlFlag = false;
        assertThat(LiveFeed.relevant(suspended)).as("reactivated").isFalse();
        suspended.controlFlag = true;
        suspended.controlType = io.tradeflow.core.event.ControlType.EMERGENCY_STOP;
        assertThat(LiveFeed.relevant(suspended)).isFalse();
    }

    @Test
    void shouldCopyNothingAndWakeNoLoopForAccountsNobodyWatches() {
        LiveFeed feed = new LiveFeed(8);
        ManualLoop loop = new ManualLoop();
        List<Long> seen = new ArrayList<>();
        java.util.Set<Long> watchedAccounts = new java.util.HashSet<>();
        feed.attach(loop, e -> seen.add(e.journalIndex), lost -> seen.add(-lost),
                (accountId, userId) -> watchedAccounts.contains(accountId));
        feed.onDecided(decided(EventType.INTENT, 5, 1));
        assertThat(loop.tasks).as("nobody watches account 5: no wake-up").isEmpty();

        watchedAccounts.add(5L);
        feed.onDecided(decided(EventType.INTENT, 5, 2));
        feed.onDecided(decided(EventType.INTENT, 6, 3));
        loop.runAll();
        assertThat(seen).containsExactly(2L);
    }
}
