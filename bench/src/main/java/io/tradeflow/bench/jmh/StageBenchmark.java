package io.tradeflow.bench.jmh;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.stage.AuthStage;
import io.tradeflow.core.stage.DispatchStage;
import io.tradeflow.core.stage.RiskStage;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.stage.PlanStage;
import io.tradeflow.core.state.RouterState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The fused stages on the calling thread, over pre-filled events: {@link RoutingPipeline#process}
 * cycling through an accepted open, the accepted close that flattens it and a refused entry; then
 * each stage's {@code onIntent} alone. Every operation starts with {@link RingEvent#clearDecision()}
 * (a few field stores), since a decided event is skipped by the stages. Target: 0 B/op.
 */
@State(Scope.Thread)
public class StageBenchmark extends JmhDefaults {
    private RoutingPipeline pipeline;
    private RingEvent[] cycle;
    private int next;

    private AuthStage auth;
    private PlanStage trial;
    private RiskStage risk;
    private DispatchStage dispatch;
    /** An open buy, as the stages after auth see it (account and user resolved). */
    private RingEvent open;
    /** Open then close, so dispatch keeps the position bounded. */
    private RingEvent[] openClose;
    private int nextDispatch;

    @Setup
    public void setUp() {
        RouterState state = RouterFixture.seededState();
        pipeline = new RoutingPipeline(state, RouterFixture.trial(), RouterFixture.venues());
        cycle = RouterFixture.cycle();
        // One pass decides as intended (and interns the symbol, which allocates once by design).
        for (int i = 0; i < cycle.length; i++) {
            cycle[i].clearDecision();
            pipeline.process(cycle[i]);
            RouterFixture.expect(cycle[i], RouterFixture.CYCLE_OUTCOMES[i], "pipeline event " + i);
        }

        // The single stages get a state of their own, so the pipeline's position does not leak in.
        RouterState single = RouterFixture.seededState();
        auth = new AuthStage(single);
        trial = new PlanStage(single, RouterFixture.trial());
        risk = new RiskStage(single);
        dispatch = new DispatchStage(single, RouterFixture.venues());
        open = RouterFixture.intent(Action.OPEN, Side.BUY, 1);
        openClose = new RingEvent[] {RouterFixture.intent(Action.OPEN, Side.BUY, 1), RouterFixture.intent(Action.CLOSE, null, 0)};
        auth.onIntent(open);
        if (open.isDecided() || open.accountId != RouterFixture.ACCOUNT_ID) {
            throw new IllegalStateException("auth refused the benchmark key: " + open.reason);
        }
        for (RingEvent e : openClose) {
            authorized(e);
            dispatch.onIntent(e);
            RouterFixture.expect(e, Outcome.ACCEPTED, "dispatch " + e.action);
        }
    }

    @Benchmark
    public Outcome pipeline() {
        RingEvent e = cycle[next];
        next = next + 1 == cycle.length ? 0 : next + 1;
        e.clearDecision();
        pipeline.process(e);
        return e.outcome;
    }

    @Benchmark
    public Outcome authStage() {
        open.clearDecision();
        auth.onIntent(open);
        return open.outcome;
    }

    @Benchmark
    public Outcome trialStage() {
        authorized(open);
        trial.onIntent(open);
        return open.outcome;
    }

    @Benchmark
    public Outcome riskStage() {
        authorized(open);
        risk.onIntent(open);
        return open.outcome;
    }

    @Benchmark
    public Outcome dispatchStage() {
        RingEvent e = openClose[nextDispatch];
        nextDispatch ^= 1;
        authorized(e);
        dispatch.onIntent(e);
        return e.outcome;
    }

    /** The event as auth leaves it for the next stages. */
    private static void authorized(RingEvent e) {
        e.clearDecision();
        e.accountId = RouterFixture.ACCOUNT_ID;
        e.userId = RouterFixture.ACCOUNT_ID;
    }
}
