package io.tradeflow.core.stage;

import io.tradeflow.config.BillingConfig;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.UserState;

/**
 * Enforces the user's plan on alerts. A suspended user's alerts are all refused. On orders that add
 * exposure: a lapsed plan refuses them (PLAN_LAPSED), the trial allows a fixed number of trades or a
 * number of days since signup, whichever ends first, and every plan may cap entry alerts per UTC day.
 * Exits stay allowed so nobody is trapped in a position. The plan arrives as a PLAN_CHANGED control,
 * so an upgrade applies from the very next alert and a replay decides the same way.
 */
public final class PlanStage {
    private final RouterState state;
    private final int maxTrades;
    private final long durationMillis;
    /** Entry alerts per day by plan code; 0 = unlimited. */
    private final int[] alertsPerDay;

    public PlanStage(RouterState state, TrialConfig trial) {
        this(state, trial, BillingConfig.unlimited());
    }

    public PlanStage(RouterState state, TrialConfig trial, BillingConfig billing) {
        this.state = state;
        this.maxTrades = trial.maxTrades();
        this.durationMillis = trial.duration().toMillis();
        this.alertsPerDay = billing.alertsPerDayByCode();
    }

    public void onIntent(RingEvent e) {
        if (e.isDecided()) {
            return;
        }
        UserState user = state.user(e.userId);
        if (user == null) {
            return;
        }
        if (user.suspended()) {
            e.reject(Outcome.USER_SUSPENDED, null, "this user is suspended; contact support");
            return;
        }
        if (!e.action.isEntry()) {
            return;
        }
        if (user.lapsedAt(e.receivedAtMillis)) {
            e.reject(Outcome.PLAN_LAPSED, null, "the plan has lapsed; pay the open invoice to trade again (exits stay allowed)");
            return;
        }
        if (user.onTrial()) {
            if (e.receivedAtMillis - user.signupAtMillis() >= durationMillis) {
                e.reject(Outcome.TRIAL_EXPIRED, null, "the trial period has ended; upgrade to keep trading");
                return;
            } else if (user.tradesUsed() >= maxTrades) {
                e.reject(Outcome.TRIAL_LIMIT, null, "the trial's trade limit is used up; upgrade to keep trading");
                return;
            }
        }
        int limit = alertsPerDay[user.plan().code()];
        if (limit > 0 && user.alertsOn(e.receivedAtMillis) >= limit) {
            e.reject(Outcome.PLAN_LIMIT, null, "the plan's entry alerts for today are used up; upgrade for more");
        }
    }

    /** Counts a journaled, accepted entry alert (live and on replay, so a restart keeps the day's count). */
    public void onJournaled(RingEvent e) {
        if (e.type != EventType.INTENT || e.outcome != Outcome.ACCEPTED || e.repeatOfIndex != 0 || !e.action.isEntry()) {
            return;
        }
        UserState user = state.user(e.userId);
        if (user != null) {
            state.countAlert(user, e.receivedAtMillis);
        }
    }
}
