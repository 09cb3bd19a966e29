package io.tradeflow.core.stage;

import io.tradeflow.config.BillingConfig;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.Venues;

/**
 * The fused, single-threaded stages, wired in one readable place:
 * auth → plan → risk → dispatch for alerts, the control stage for commands, and the broker
 * report stage for what real brokers answered.
 */
public final class RoutingPipeline {
    private final RouterState state;
    private final AuthStage auth;
    private final IdempotencyStage idempotency;
    private final SignalStage signal;
    private final PlanStage plan;
    private final RiskStage risk;
    private final DispatchStage dispatch;
    private final ControlStage control;
    private final BrokerReportStage reports;
    private final TriggerStage triggers;
    private final CopyStage copies;
    private final BrokerGateways gateways;
    private final JournalReplay replay;

    public RoutingPipeline(RouterState state, TrialConfig trialConfig, Venues venues) {
        this(state, trialConfig, venues, BrokerGateways.NONE);
    }

    /** Hands the orders the event submitted to real brokers (journaled) or drops them (not journaled, or failed). */
    public void releaseBrokerOrders(boolean journaled) {
        gateways.release(journaled);
    }

    public RoutingPipeline(RouterState state, TrialConfig trialConfig, Venues venues, BrokerGateways gateways) {
        this(state, trialConfig, BillingConfig.unlimited(), venues, gateways);
    }

    /** The full pipeline with the plans' limits ({@code billing.plans.*}) enforced by the plan stage. */
    public RoutingPipeline(RouterState state, TrialConfig trialConfig, BillingConfig billing, Venues venues,
                           BrokerGateways gateways) {
        this.state = state;
        this.gateways = gateways;
        this.auth = new AuthStage(state);
        this.idempotency = new IdempotencyStage(state);
        this.signal = new SignalStage(state);
        this.plan = new PlanStage(state, trialConfig, billing);
        this.risk = new RiskStage(state);
        this.dispatch = new DispatchStage(state, venues, gateways);
        this.control = new ControlStage(state, dispatch);
        this.reports = new BrokerReportStage(state);
        this.triggers = new TriggerStage(state, venues, gateways, dispatch);
        this.copies = new CopyStage(state, billing, idempotency, plan, risk, dispatch);
        this.replay = new JournalReplay(state, control, triggers, gateways, this::onJournaled);
    }

    /** Rebuilds state from the journal at start-up (recorded effects, not new decisions). */
    public JournalReplay replay() {
        return replay;
    }

    /** What prices trigger on paper accounts; the routing handler runs it after each price-carrying event. */
    public TriggerStage triggers() {
        return triggers;
    }

    /** Copy trading's fan-out; the routing handler runs it after a master's alert is journaled. */
    public CopyStage copies() {
        return copies;
    }

    public RouterState state() {
        return state;
    }

    /** Decides a live event; afterwards {@code e.outcome} is set. */
    public void process(RingEvent e) {
        // Live decisions begin where replay ended: what it held back (a trail move) applies first.
        replay.finish();
        if (e.type == EventType.INTENT) {
            auth.onIntent(e);
            idempotency.onIntent(e);
            signal.onIntent(e);
            plan.onIntent(e);
            risk.onIntent(e);
            dispatch.onIntent(e);
            rememberAcceptedPrice(state, e);
        } else if (e.type == EventType.CONTROL) {
            control.onControl(e);
        } else if (e.type == EventType.BROKER_REPORT) {
            reports.onReport(e);
        } else if (e.type == EventType.PRICE) {
            onPrice(e);
        } else if (!e.isDecided()) {
            e.outcome = Outcome.ACCEPTED;
        }
    }

    /**
     * An accepted alert's price is the symbol's last price (what a later alert without a price
     * fills at). A refused alert's is not: the projection ({@code last_prices}) and a journal replay
     * record accepted alerts' prices only, so live, restarted and replayed routers agree.
     */
    static void rememberAcceptedPrice(RouterState state, RingEvent e) {
        if (e.outcome == Outcome.ACCEPTED && e.repeatOfIndex == 0 && e.price > 0 && !e.symbol.isEmpty()) {
            state.symbols().lastPrice(state.symbols().intern(e.symbol), e.price);
        }
    }

    /** A price from the feed: remembered as the symbol's last price; the trigger pass follows it. */
    private void onPrice(RingEvent e) {
        if (!(e.price > 0) || e.symbol.isEmpty()) {
            e.reject(Outcome.INVALID_PAYLOAD, "price", "a price tick needs a symbol and a price above 0");
            return;
        }
        state.symbols().lastPrice(state.symbols().intern(e.symbol), e.price);
        e.outcome = Outcome.ACCEPTED;
    }

    /**
     * Called once the decided event is in the journal (its index known): remembers what later
     * alerts are compared with, the idempotency key's answer and the signal's time. Replay calls
     * it too, so both survive a restart.
     */
    public void onJournaled(RingEvent e) {
        idempotency.onJournaled(e);
        signal.onJournaled(e);
        plan.onJournaled(e);
    }

}
