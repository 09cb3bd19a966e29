package io.tradeflow.persistence;

import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.venue.ExecutionVenue;
import io.tradeflow.core.venue.Venues;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The router without its ring: decides each event with the real routing pipeline and appends it to
 * a real Chronicle journal on the calling thread, exactly as {@code RoutingHandler} does, so the
 * projection sees what production journals. Paper fills happen at the reference price.
 */
public final class JournaledRouter implements AutoCloseable {
    public static final RiskLimits LIMITS = new RiskLimits(100, 0, 10, "", ZoneOffset.UTC, List.of(), 1_000,
            Duration.ofSeconds(1));
    public static final TrialConfig TRIAL = new TrialConfig(100, Duration.ofDays(3));
    public static final double COMMISSION = 0.5;

    private static final ExecutionVenue PAPER_AT_REFERENCE = (event, referencePrice, signedQuantity) -> {
        event.fillPrice = referencePrice;
        event.commission = COMMISSION;
        return true;
    };

    /** Pyramiding allowed: the projection tests add to positions without saying add. */
    public static final AlertSettings ALERTS = new AlertSettings(100, Duration.ZERO, Duration.ZERO, Duration.ofHours(1),
            Map.of(), "");

    /** Outside the EURUSD-style table the other tests rely on (point value 1): a pip is 0.01. */
    public static final String TRAIL_SYMBOL = "XTRAIL";
    private final RouterState state = new RouterState(LIMITS, ALERTS, Map.of(TRAIL_SYMBOL, InstrumentSpec.parse(
            "XTRAIL contract=1 pip=0.01 tick=0.01 tick-value=0.01 step=1 min=1 max=1000")), 0);
    private final RoutingPipeline pipeline = new RoutingPipeline(state, TRIAL, paperVenues());
    private final ChronicleJournal journal;
    private final RingEvent slot = new RingEvent();
    private final RingEvent triggered = new RingEvent();
    private final List<RingEvent> lastTriggered = new ArrayList<>();

    public JournaledRouter(Path journalDir) {
        this.journal = new ChronicleJournal(journalDir, JournalSync.NONE);
    }

    public static Venues paperVenues() {
        return new Venues(Map.of(BrokerKind.PAPER, PAPER_AT_REFERENCE));
    }

    public RouterState state() {
        return state;
    }

    public ChronicleJournal journal() {
        return journal;
    }

    public long accountAdded(long accountId, long userId, BrokerKind broker, boolean enabled, long signupAtMillis,
                             boolean trial, int tradesUsed, long atMillis) {
        RingEvent e = control(ControlType.ACCOUNT_ADDED, accountId, userId, atMillis);
        e.controlBroker = broker;
        e.controlFlag = enabled;
        e.controlTimeMillis = signupAtMillis;
        e.controlTrial = trial;
        e.controlCount = tradesUsed;
        return decideAndJournal(e).journalIndex;
    }

    public long keyAdded(long accountId, long userId, byte[] keyHash, long atMillis) {
        RingEvent e = control(ControlType.KEY_ADDED, accountId, userId, atMillis);
        System.arraycopy(keyHash, 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        return decideAndJournal(e).journalIndex;
    }

    public long keyRevoked(long accountId, long userId, byte[] keyHash, long atMillis) {
        RingEvent e = control(ControlType.KEY_REVOKED, accountId, userId, atMillis);
        System.arraycopy(keyHash, 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        return decideAndJournal(e).journalIndex;
    }

    public long accountEnabled(long accountId, long userId, boolean enabled, long atMillis) {
        return decideAndJournal(control(enabled ? ControlType.ACCOUNT_ENABLED : ControlType.ACCOUNT_DISABLED,
                accountId, userId, atMillis)).journalIndex;
    }

    public long riskLimits(long accountId, long userId, RiskLimits limits, long atMillis) {
        RingEvent e = control(ControlType.RISK_LIMITS, accountId, userId, atMillis);
        e.controlRiskLimits = limits;
        return decideAndJournal(e).journalIndex;
    }

    public long allowedSources(long accountId, long userId, List<CidrBlock> blocks, long atMillis) {
        RingEvent e = control(ControlType.SOURCE_ALLOWLIST, accountId, userId, atMillis);
        e.controlAllowedSources = blocks;
        return decideAndJournal(e).journalIndex;
    }

    public long alertSettings(long accountId, long userId, AlertSettings settings, long atMillis) {
        RingEvent e = control(ControlType.ALERT_SETTINGS, accountId, userId, atMillis);
        e.controlAlertSettings = settings;
        return decideAndJournal(e).journalIndex;
    }

    public long emergencyStop(long userId, boolean on, long atMillis) {
        RingEvent e = control(ControlType.EMERGENCY_STOP, 0, userId, atMillis);
        e.controlFlag = on;
        return decideAndJournal(e).journalIndex;
    }

    /** A market alert as ingress would parse it; returns a copy of the decided, journaled event. */
    public RingEvent alert(byte[] keyHash, Action action, Side side, String symbol, double quantity, double price,
                           String clientId, long atMillis) {
        RingEvent e = intent(keyHash, action, side, symbol, quantity, price, atMillis);
        if (clientId != null) {
            e.clientId.set(clientId);
        }
        return decidedCopy(e);
    }

    /** An entry or modify with a stop loss and take profit given as prices (0 = not given). */
    public RingEvent protectedAlert(byte[] keyHash, Action action, Side side, String symbol, double quantity, double price,
                                    double stopLoss, double takeProfit, long atMillis) {
        RingEvent e = intent(keyHash, action, side, symbol, quantity, price, atMillis);
        if (stopLoss > 0) {
            e.stopLossMode = StopMode.PRICE;
            e.stopLossValue = stopLoss;
        }
        if (takeProfit > 0) {
            e.takeProfitMode = StopMode.PRICE;
            e.takeProfitValue = takeProfit;
        }
        return decidedCopy(e);
    }

    private RingEvent control(ControlType type, long accountId, long userId, long atMillis) {
        RingEvent e = claim(atMillis);
        e.type = EventType.CONTROL;
        e.controlType = type;
        e.controlAccountId = accountId;
        e.controlUserId = userId;
        return e;
    }

    /** An alert's common fields, as ingress would parse them (no key when {@code keyHash} is null). */
    private RingEvent intent(byte[] keyHash, Action action, Side side, String symbol, double quantity, double price,
                             long atMillis) {
        RingEvent e = claim(atMillis);
        e.type = EventType.INTENT;
        if (keyHash != null) {
            System.arraycopy(keyHash, 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            e.keyPresent = true;
        }
        e.action = action;
        e.side = side;
        e.symbol.set(symbol);
        e.quantity = quantity;
        e.price = price;
        return e;
    }

    /** Decides and journals the slot; a copy, because the slot is reused by the next call. */
    private RingEvent decidedCopy(RingEvent e) {
        RingEvent decided = new RingEvent();
        decided.copyFrom(decideAndJournal(e));
        return decided;
    }

    private RingEvent claim(long atMillis) {
        slot.reset();
        slot.receivedAtMillis = atMillis;
        slot.receivedAtNanos = System.nanoTime();
        return slot;
    }

    private RingEvent decideAndJournal(RingEvent e) {
        pipeline.process(e);
        e.decisionNanos = System.nanoTime() - e.receivedAtNanos;
        e.journalIndex = journal.append(e);
        lastTriggered.clear();
        if (pipeline.triggers().carriesPrice(e)) {
            // As RoutingHandler does: each fill the price triggers is its own record, after the event.
            while (pipeline.triggers().next(e, triggered)) {
                triggered.journalIndex = journal.append(triggered);
                RingEvent copy = new RingEvent();
                copy.copyFrom(triggered);
                lastTriggered.add(copy);
            }
        }
        return e;
    }

    /** A limit or stop entry (a market alert's fields plus its type and order price); returns the decided copy. */
    public RingEvent pendingAlert(byte[] keyHash, Side side, String symbol, double quantity, OrderType type,
                                  double orderPrice, double referencePrice, long atMillis) {
        RingEvent e = intent(keyHash, Action.OPEN, side, symbol, quantity, referencePrice, atMillis);
        e.orderType = type;
        e.orderPrice = orderPrice;
        return decidedCopy(e);
    }

    /** An entry whose stop loss trails by {@code trailPips}, or a stop entry when {@code stopPrice} &gt; 0. */
    public RingEvent trailingAlert(byte[] keyHash, Side side, String symbol, double quantity, double price,
                                   double trailPips, double stopPrice, long atMillis) {
        RingEvent e = intent(keyHash, Action.OPEN, side, symbol, quantity, price, atMillis);
        if (trailPips > 0) {
            e.protection(true, StopMode.TRAIL, trailPips);
        }
        if (stopPrice > 0) {
            e.orderType = OrderType.STOP;
            e.orderPrice = stopPrice;
        }
        return decidedCopy(e);
    }

    /** A tick from the price feed; returns the fills it triggered (TRIGGERED records, journaled after it). */
    public List<RingEvent> price(String symbol, double price, long atMillis) {
        RingEvent e = claim(atMillis);
        e.type = EventType.PRICE;
        e.symbol.set(symbol);
        e.price = price;
        decideAndJournal(e);
        return List.copyOf(lastTriggered);
    }

    /** The TRIGGERED records the last event set off. */
    public List<RingEvent> lastTriggered() {
        return List.copyOf(lastTriggered);
    }

    @Override
    public void close() {
        journal.close();
    }
}
