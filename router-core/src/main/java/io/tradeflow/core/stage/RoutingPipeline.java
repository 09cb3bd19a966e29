package io.tradeflow.core.stage;

import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.Venues;

/**
 * The fused, single-threaded stages, wired in one readable place:
 * auth → trial → risk → dispatch for alerts, the control stage for commands, and the broker
 * report stage for what real brokers answered.
 */
public final class RoutingPipeline {
    private final RouterState state;
    private final AuthStage auth;
    private final TrialStage trial;
    private final RiskStage risk;
    private final DispatchStage dispatch;
    private final ControlStage control;
    private final BrokerReportStage reports;

    public RoutingPipeline(RouterState state, TrialConfig trialConfig, Venues venues) {
        this(state, trialConfig, venues, BrokerGateways.NONE);
    }

    public RoutingPipeline(RouterState state, TrialConfig trialConfig, Venues venues, BrokerGateways gateways) {
        this.state = state;
        this.auth = new AuthStage(state);
        this.trial = new TrialStage(state, trialConfig);
        this.risk = new RiskStage(state);
        this.dispatch = new DispatchStage(state, venues, gateways);
        this.control = new ControlStage(state, dispatch);
        this.reports = new BrokerReportStage(state);
    }

    public RouterState state() {
        return state;
    }

    /** Decides a live event; afterwards {@code e.outcome} is set. */
    public void process(RingEvent e) {
        if (e.type == EventType.INTENT) {
            auth.onIntent(e);
            trial.onIntent(e);
            risk.onIntent(e);
            dispatch.onIntent(e);
        } else if (e.type == EventType.CONTROL) {
            control.onControl(e);
        } else if (e.type == EventType.BROKER_REPORT) {
            reports.onReport(e);
        } else if (!e.isDecided()) {
            e.outcome = Outcome.ACCEPTED;
        }
    }

    /**
     * Re-applies a journaled event's recorded effects. Replaying the recorded results (rather
     * than deciding again) guarantees the rebuilt state is exactly what the clients were told,
     * and applying absolute values makes replaying the same event twice harmless.
     */
    public void replay(RingEvent e) {
        if (e.type == EventType.CONTROL && e.controlType != ControlType.CLOSE_POSITION) {
            control.onControl(e);
            return;
        }
        // Orders (alerts and dashboard closes, which reach here) and broker fills carry their effects.
        boolean order = e.type == EventType.INTENT || e.type == EventType.CONTROL;
        boolean bookedFill = e.type == EventType.BROKER_REPORT && e.reportKind == ReportKind.FILLED;
        if (!(order || bookedFill) || e.outcome != Outcome.ACCEPTED || e.orderId == 0) {
            return;
        }
        AccountState account = state.account(e.accountId);
        if (account == null) {
            return;
        }
        int symbolId = state.symbols().intern(e.symbol);
        if (e.price > 0) {
            state.symbols().lastPrice(symbolId, e.price);
        }
        state.positions().restore(account, symbolId, e.positionQuantity, e.positionAveragePrice);
        state.restoreDailyPnl(e.accountId, e.tradingDay, e.dayRealizedPnl);
        state.restoreTradesUsed(e.userId, e.tradesUsed);
        state.observeOrderId(e.orderId);
    }
}
