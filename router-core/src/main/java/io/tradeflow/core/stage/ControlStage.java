package io.tradeflow.core.stage;

import io.tradeflow.config.PlanTier;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.RouterState;

/** Applies dashboard and launcher commands to the routing state, in ring order with the alerts. */
public final class ControlStage {
    private final RouterState state;
    private final DispatchStage dispatch;

    public ControlStage(RouterState state, DispatchStage dispatch) {
        this.state = state;
        this.dispatch = dispatch;
    }

    public void onControl(RingEvent e) {
        switch (e.controlType) {
            case ACCOUNT_ADDED:
                state.putAccount(e.controlAccountId, e.controlUserId, e.controlBroker, e.controlFlag,
                        e.controlTimeMillis, e.controlTrial, e.controlCount);
                break;
            case ACCOUNT_ENABLED:
                state.enableAccount(e.controlAccountId, true);
                break;
            case ACCOUNT_DISABLED:
                state.enableAccount(e.controlAccountId, false);
                break;
            case KEY_ADDED:
                state.keys().add(e.keyHash, e.controlAccountId);
                break;
            case KEY_REVOKED:
                state.keys().remove(e.keyHash);
                break;
            case EMERGENCY_STOP:
                state.emergencyStop(e.controlUserId, e.controlFlag);
                break;
            case RISK_LIMITS:
                state.riskLimits(e.controlAccountId, e.controlRiskLimits);
                break;
            case ALERT_SETTINGS:
                state.alertSettings(e.controlAccountId, e.controlAlertSettings);
                break;
            case SOURCE_ALLOWLIST:
                state.allowedSources(e.controlAccountId, e.controlAllowedSources);
                break;
            case COPY_MASTER:
                state.copy().master(e.controlAccountId, e.controlFlag);
                break;
            case COPY_LINK:
                state.copy().link(e.controlCopyLink);
                break;
            case COPY_UNLINK:
                state.copy().unlink(e.controlCopyLink);
                break;
            case PLAN_CHANGED:
                state.plan(e.controlUserId, PlanTier.fromCode(e.controlCount), e.controlFlag, e.controlTimeMillis);
                break;
            case USER_SUSPENDED:
                state.suspend(e.controlUserId, e.controlFlag);
                break;
            case CLOSE_POSITION:
                closePosition(e);
                return;
            default:
                throw new IllegalStateException("unknown control " + e.controlType);
        }
        e.accountId = e.controlAccountId;
        e.userId = e.controlUserId;
        e.outcome = Outcome.ACCEPTED;
    }

    /**
     * Closes through the dispatch stage, so the fill is booked exactly like an alert's exit. Trial,
     * risk and the account switch do not apply: an exit must always be possible.
     */
    private void closePosition(RingEvent e) {
        e.userId = e.controlUserId;
        if (state.account(e.controlAccountId) == null) {
            e.reject(Outcome.INVALID_PAYLOAD, "account_id", "unknown account");
            return;
        }
        e.accountId = e.controlAccountId;
        e.action = Action.CLOSE;
        dispatch.onIntent(e);
    }
}
