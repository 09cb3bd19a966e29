package io.tradeflow.core.stage;

import io.tradeflow.config.BillingConfig;
import io.tradeflow.config.PlanLimits;
import io.tradeflow.config.PlanTier;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.state.AlertSettingsDefaults;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.Venues;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.KEY;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

/** The plan stage: PLAN_CHANGED lifts or tightens limits from the next alert, lapsing refuses entries only, replay agrees. */
class PlanStageTest {
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final List<RingEvent> journal = new ArrayList<>();

    private static BillingConfig billing() {
        Map<PlanTier, PlanLimits> plans = new EnumMap<>(PlanTier.class);
        for (PlanTier t : PlanTier.values()) {
            plans.put(t, new PlanLimits(t, 0, t == PlanTier.STARTER ? 2 : 0, List.of(), 0, Duration.ofDays(30), 0, ""));
        }
        return new BillingConfig("", "", "https://api.stripe.com", Duration.ofDays(3), plans);
    }

    private RoutingPipeline pipeline(RouterState state) {
        return new RoutingPipeline(state, new TrialConfig(1, Duration.ofDays(3)), billing(),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())), BrokerGateways.NONE);
    }

    private RouterState trialUser() {
        RouterState state = new RouterState(PipelineFixture.OPEN_LIMITS, AlertSettingsDefaults.NONE);
        state.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, T0, true, 0);
        state.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
        return state;
    }

    private RingEvent run(RoutingPipeline p, RingEvent e) {
        p.process(e);
        e.journalIndex = journal.size() + 1;
        p.onJournaled(e);
        RingEvent copy = new RingEvent();
        copy.copyFrom(e);
        journal.add(copy);
        return e;
    }

    private static RingEvent plan(long at, PlanTier tier, boolean lapsed, long graceEnds) {
        RingEvent e = new RingEvent().begin(EventType.CONTROL, at, 0);
        e.controlType = ControlType.PLAN_CHANGED;
        e.controlUserId = USER;
        e.controlCount = tier.code();
        e.controlFlag = lapsed;
        e.controlTimeMillis = graceEnds;
        return e;
    }

    private static RingEvent suspend(long at, boolean on) {
        RingEvent e = new RingEvent().begin(EventType.CONTROL, at, 0);
        e.controlType = ControlType.USER_SUSPENDED;
        e.controlUserId = USER;
        e.controlFlag = on;
        return e;
    }

    @Test
    void shouldLiftTheTrialLimitFromTheNextAlertAndCapAlertsPerDay() {
        RoutingPipeline p = pipeline(trialUser());

        assertThat(run(p, Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(run(p, Events.open(KEY, T0 + 2, Side.BUY, "GBPUSD", 1, 100)).outcome).isEqualTo(Outcome.TRIAL_LIMIT);
        assertThat(run(p, plan(T0 + 3, PlanTier.STARTER, false, 0)).outcome).isEqualTo(Outcome.ACCEPTED);
        // starter allows 2 entry alerts a day: one was accepted today already (on the trial).
        assertThat(run(p, Events.open(KEY, T0 + 4, Side.BUY, "USDJPY", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(run(p, Events.open(KEY, T0 + 5, Side.BUY, "AUDUSD", 1, 100)).outcome).isEqualTo(Outcome.PLAN_LIMIT);
        assertThat(run(p, Events.exit(KEY, T0 + 6, Action.CLOSE, "EURUSD", 100)).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(run(p, Events.open(KEY, T0 + DAY, Side.BUY, "NZDUSD", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(run(p, plan(T0 + DAY + 1, PlanTier.PRO, false, 0)).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(run(p, Events.open(KEY, T0 + DAY + 2, Side.BUY, "USDCAD", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(run(p, Events.open(KEY, T0 + DAY + 3, Side.BUY, "USDCHF", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseEntriesOnceTheGraceEndsButAlwaysLetExitsThrough() {
        RoutingPipeline p = pipeline(trialUser());
        run(p, plan(T0, PlanTier.PRO, false, 0));
        assertThat(run(p, Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);

        run(p, plan(T0 + 2, PlanTier.PRO, false, T0 + 100));
        assertThat(run(p, Events.open(KEY, T0 + 50, Side.BUY, "EURGBP", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
        RingEvent late = run(p, Events.open(KEY, T0 + 100, Side.BUY, "EURJPY", 1, 100));
        assertThat(late.outcome).isEqualTo(Outcome.PLAN_LAPSED);
        assertThat(late.outcome.httpStatus()).isEqualTo(403);
        assertThat(run(p, Events.exit(KEY, T0 + 101, Action.CLOSE, "EURUSD", 100)).outcome).isEqualTo(Outcome.ACCEPTED);

        run(p, plan(T0 + 102, PlanTier.PRO, true, 0));
        assertThat(run(p, Events.open(KEY, T0 + 103, Side.BUY, "GBPJPY", 1, 100)).outcome).isEqualTo(Outcome.PLAN_LAPSED);
        run(p, plan(T0 + 104, PlanTier.PRO, false, 0));
        assertThat(run(p, Events.open(KEY, T0 + 105, Side.BUY, "AUDJPY", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseEveryAlertOfASuspendedUserUntilReactivated() {
        RoutingPipeline p = pipeline(trialUser());
        run(p, plan(T0, PlanTier.ELITE, false, 0));
        run(p, suspend(T0 + 1, true));

        assertThat(run(p, Events.open(KEY, T0 + 2, Side.BUY, "CADJPY", 1, 100)).outcome).isEqualTo(Outcome.USER_SUSPENDED);
        assertThat(run(p, Events.exit(KEY, T0 + 3, Action.CLOSE, "EURUSD", 100)).outcome).isEqualTo(Outcome.USER_SUSPENDED);
        run(p, suspend(T0 + 4, false));
        assertThat(run(p, Events.open(KEY, T0 + 5, Side.BUY, "CHFJPY", 1, 100)).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRebuildPlanSuspensionAndTodaysCountFromTheJournalAlone() {
        RoutingPipeline live = pipeline(trialUser());
        run(live, plan(T0, PlanTier.STARTER, false, 0));
        run(live, Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 100));
        run(live, Events.open(KEY, T0 + 2, Side.BUY, "EURAUD", 1, 100));

        // A restart whose database still says "trial": the journal's PLAN_CHANGED and alerts win.
        RouterState restarted = trialUser();
        RoutingPipeline p = pipeline(restarted);
        for (RingEvent e : journal) {
            p.replay().rebuildUnprojected(e);
        }
        p.replay().finish();

        assertThat(restarted.user(USER).plan()).isEqualTo(PlanTier.STARTER);
        assertThat(restarted.user(USER).alertsOn(T0 + 3)).isEqualTo(2);
        RingEvent next = Events.open(KEY, T0 + 3, Side.BUY, "EURCAD", 1, 100);
        p.process(next);
        assertThat(next.outcome).isEqualTo(Outcome.PLAN_LIMIT);
    }
}
