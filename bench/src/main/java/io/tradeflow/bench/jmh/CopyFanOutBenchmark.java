package io.tradeflow.bench.jmh;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.stage.CopyStage;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Copy trading's fan-out on the calling thread: one published master's alert (an accepted open,
 * then the close that flattens it, in turn) decided, then copied to {@link #FOLLOWERS} paper
 * follower accounts, each copy decided through the follower's idempotency, trial, risk and dispatch
 * stages into one reused event (journaling excluded: {@code JournalAppendBenchmark} measures it).
 * The score is the whole fan-out's decision time; with {@code -prof gc}, B/op divided by
 * {@link #FOLLOWERS} is the allocation per follower (target 0).
 *
 * <p>Run (not in CI; the machine is shared):
 * {@code java -jar bench/target/benchmarks.jar CopyFanOutBenchmark -prof gc}
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CopyFanOutBenchmark extends JmhDefaults {
    public static final int FOLLOWERS = 1_000;
    private static final long FIRST_EXTRA_ACCOUNT = RouterFixture.ACCOUNTS + 1;

    private RoutingPipeline pipeline;
    private CopyStage copies;
    private RingEvent[] masterCycle;
    private final RingEvent copy = new RingEvent();
    private int next;

    @Setup
    public void setUp() {
        RouterState state = RouterFixture.seededState();
        long signup = RouterFixture.NOW_MILLIS - Duration.ofDays(1).toMillis();
        state.putAccount(FIRST_EXTRA_ACCOUNT, FIRST_EXTRA_ACCOUNT, BrokerKind.PAPER, true, signup, true, 0);
        state.copy().master(RouterFixture.ACCOUNT_ID, true);
        state.copy().maxFollowersPerMaster(FOLLOWERS);
        int linked = 0;
        for (long id = 1; id <= FIRST_EXTRA_ACCOUNT; id++) {
            if (id != RouterFixture.ACCOUNT_ID) {
                state.copy().link(new CopyLink(id, RouterFixture.ACCOUNT_ID, id, id, null, 1, true, Map.of()));
                linked++;
            }
        }
        if (linked != FOLLOWERS) {
            throw new IllegalStateException(linked + " followers linked, expected " + FOLLOWERS);
        }
        pipeline = new RoutingPipeline(state, RouterFixture.trial(), RouterFixture.venues());
        copies = pipeline.copies();
        masterCycle = new RingEvent[] {RouterFixture.intent(Action.OPEN, Side.BUY, 1),
            RouterFixture.intent(Action.CLOSE, null, 0)};
        // One round decides as intended (and interns the symbol, which allocates once by design).
        for (int i = 0; i < masterCycle.length; i++) {
            int accepted = fanOut();
            if (accepted != FOLLOWERS) {
                throw new IllegalStateException("master event " + i + ": " + accepted + " of " + FOLLOWERS
                        + " copies accepted");
            }
        }
    }

    /** The master's decision and every follower's copy; returns the accepted copies. */
    @Benchmark
    public int fanOut() {
        RingEvent master = masterCycle[next];
        next = next + 1 == masterCycle.length ? 0 : next + 1;
        master.clearDecision();
        pipeline.process(master);
        if (master.outcome != Outcome.ACCEPTED || !copies.begin(master)) {
            throw new IllegalStateException("the master's alert was not accepted: " + master.reason);
        }
        int decided = 0;
        while (copies.next(master, copy)) {
            // Each copy is decided in place; the ring handler would journal it here.
            decided++;
        }
        return decided == FOLLOWERS ? master.copyAccepted : -1;
    }

    /** The same fan-out as a latency distribution (p50, p99 of the whole fan-out). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int fanOutSampled() {
        return fanOut();
    }
}
