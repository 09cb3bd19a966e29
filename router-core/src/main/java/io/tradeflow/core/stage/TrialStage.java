package io.tradeflow.core.stage;

import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.UserState;

/**
 * Enforces the trial plan on orders that add exposure: a fixed number of trades or a number of
 * days since signup, whichever ends first. Exits stay allowed so nobody is trapped in a position.
 */
public final class TrialStage {
    private final RouterState state;
    private final int maxTrades;
    private final long durationMillis;

    public TrialStage(RouterState state, TrialConfig trial) {
        this.state = state;
        this.maxTrades = trial.maxTrades();
        this.durationMillis = trial.duration().toMillis();
    }

    public void onIntent(RingEvent e) {
        if (e.isDecided() || !e.action.isEntry()) {
            return;
        }
        UserState user = state.user(e.userId);
        if (user == null || !user.onTrial()) {
            return;
        }
        if (e.receivedAtMillis - user.signupAtMillis() >= durationMillis) {
            e.reject(Outcome.TRIAL_EXPIRED, null, "the trial period has ended; upgrade to keep trading");
        } else if (user.tradesUsed() >= maxTrades) {
            e.reject(Outcome.TRIAL_LIMIT, null, "the trial's trade limit is used up; upgrade to keep trading");
        }
    }
}
