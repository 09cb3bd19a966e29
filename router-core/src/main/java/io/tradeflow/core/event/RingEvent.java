package io.tradeflow.core.event;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;

import java.util.Arrays;
import java.util.List;

/**
 * The pre-allocated, reusable slot of the ring. Ingress parses an alert straight into it; the
 * stages read the input fields and write the decision fields; the journal records both.
 *
 * <p>Fields are public and mutable on purpose: this is a flyweight owned by exactly one thread at a
 * time (the publisher until publish, then the ring consumer), as in the LMAX Disruptor.
 */
public final class RingEvent {
    public static final int KEY_HASH_LENGTH = 32;
    public static final int SYMBOL_CAPACITY = 32;
    public static final int CLIENT_ID_CAPACITY = 64;
    public static final int BROKER_ORDER_ID_CAPACITY = 40;
    public static final int STRATEGY_CAPACITY = 32;
    /** Bytes of an IPv6 address; an IPv4 address uses the first 4. */
    public static final int SOURCE_ADDRESS_CAPACITY = 16;

    // ---- header ----
    public EventType type = EventType.INTENT;
    /** Wall-clock receive time (epoch millis); the only clock stage logic reads. */
    public long receivedAtMillis;
    /** Monotonic receive time, for latency measurement only (never for decisions). */
    public long receivedAtNanos;
    /** Where the event sits in the journal (or the ring sequence when the journal is off). */
    public long journalIndex;
    /** The ingress's handle for answering this event; null for replays and control events. */
    public Reply replyTo;

    // ---- intent input ----
    public final byte[] keyHash = new byte[KEY_HASH_LENGTH];
    public boolean keyPresent;
    /** Broker named in the webhook path or body, or null when not named. */
    public BrokerKind requestedBroker;
    public Action action = Action.OPEN;
    public Side side;
    public OrderType orderType = OrderType.MARKET;
    public final AsciiField symbol = new AsciiField(SYMBOL_CAPACITY);
    public double quantity;
    /** Price the alert carried (0 when none). */
    public double price;
    public StopMode stopLossMode = StopMode.NONE;
    public double stopLossValue;
    public StopMode takeProfitMode = StopMode.NONE;
    public double takeProfitValue;
    /** The alert's idempotency id ({@code id}), empty when none. */
    public final AsciiField clientId = new AsciiField(CLIENT_ID_CAPACITY);
    /** The signal time the alert carried ({@code ts}), 0 when none. */
    public long signalTimeMillis;
    /** The language the body was written in. */
    public AlertFormat format = AlertFormat.UNIFY;
    /** How {@link #quantity} is to be read; the dispatch stage turns it into units. */
    public SizeMode sizeMode = SizeMode.QTY;
    /** The alert asks to add to a position in the same direction (TradersPost {@code add}, unify {@code add}). */
    public boolean addToPosition;
    /** Limit price of a limit order or trigger price of a stop order (0 for market). */
    public double orderPrice;
    /** 64-bit FNV-1a hash of the body, so a reused idempotency key with another body is told apart. */
    public long bodyHash;
    /** The ticker as the alert sent it (e.g. {@code OANDA:XAUUSD}); {@link #symbol} is the broker's instrument. */
    public final AsciiField ticker = new AsciiField(SYMBOL_CAPACITY);
    /** The strategy the alert was tagged with (printable ASCII), empty when untagged; analytics group by it. */
    public final AsciiField strategy = new AsciiField(STRATEGY_CAPACITY);
    /** The TCP peer the alert came from: its first {@link #sourceAddressLength} bytes (4 or 16). */
    public final byte[] sourceAddress = new byte[SOURCE_ADDRESS_CAPACITY];
    /** 4 for IPv4, 16 for IPv6, 0 when unknown (replays of records older than journal version 3). */
    public int sourceAddressLength;

    // ---- control input ----
    public ControlType controlType;
    public long controlAccountId;
    public long controlUserId;
    public BrokerKind controlBroker;
    public boolean controlFlag;
    /** For ACCOUNT_ADDED: the user's signup time (epoch millis). */
    public long controlTimeMillis;
    /** For ACCOUNT_ADDED: trades already used by the user. */
    public int controlCount;
    /** For ACCOUNT_ADDED: whether the user is on the trial plan. */
    public boolean controlTrial;
    /** For RISK_LIMITS: the account's new limits (control events are rare, so an object is fine). */
    public RiskLimits controlRiskLimits;
    /** For ALERT_SETTINGS: the account's new alert settings. */
    public AlertSettings controlAlertSettings;
    /** For SOURCE_ALLOWLIST: the blocks the account's alerts may come from (empty = any). */
    public List<CidrBlock> controlAllowedSources;
    /** For COPY_LINK and COPY_UNLINK: the follower link (copy trading). */
    public CopyLink controlCopyLink;

    // ---- copy trading (journaled with an intent) ----
    /** Non-zero on a follower's copy of a master's alert: the master's account. */
    public long copyMasterAccountId;
    /** On a follower's copy: the subscription it was copied under. */
    public long copySubscriptionId;
    /** On a follower's copy: the journal index of the master's alert it copies. */
    public long copyParentIndex;

    // ---- copy trading (the master's answer only, not journaled) ----
    /** Follower copies of this master alert that were accepted. */
    public int copyAccepted;
    /** Follower copies of this master alert that were refused, in total and by outcome (journal code order). */
    public int copyRefused;
    public final int[] copyRefusedByOutcome = new int[Outcome.values().length];

    // ---- broker report input (symbol, accountId, orderId and the fill fields are shared) ----
    public ReportKind reportKind;
    /** The broker's id for the order (TradeLocker orderId, ProjectX id, MT ticket); empty when none. */
    public final AsciiField brokerOrderId = new AsciiField(BROKER_ORDER_ID_CAPACITY);

    // ---- decision ----
    public Outcome outcome = Outcome.PENDING;
    /** Human-readable reason for a refusal (or the risk rule that refused). */
    public String reason;
    /** The payload field a 400 refers to, or the risk rule name for RISK_REJECTED. */
    public String field;
    public int retryAfterSeconds;
    public long accountId;
    public long userId;
    public long orderId;
    public double fillPrice;
    /** Signed filled quantity: positive bought, negative sold. */
    public double filledQuantity;
    public double commission;
    public double realizedPnl;

    // ---- state after the decision, so the projection can write absolute values ----
    public double positionQuantity;
    public double positionAveragePrice;
    /** Same-direction entries in the position after the decision (for pyramiding limits on replay). */
    public int positionEntries;
    /** The account's realised P&amp;L over its whole life after the decision (equity for sizing, restored on replay). */
    public double accountRealizedPnl;
    /** The position's stop-loss price after the decision (0 = none), resolved from the alert's mode. */
    public double positionStopLoss;
    /** The position's take-profit price after the decision (0 = none). */
    public double positionTakeProfit;
    /** The position's trailing-stop distance in price units after the decision (0 = the stop does not trail). */
    public double positionTrailDistance;
    /** Signed lots of the limit or stop order this alert left pending (0 when it filled or was no such order). */
    public double pendingQuantity;
    public long tradingDay;
    public double dayRealizedPnl;
    public int tradesUsed;
    /** Receive-to-decision time in nanoseconds (for the webhook log and metrics, not for decisions). */
    public long decisionNanos;
    /**
     * Non-zero when this event repeated a used idempotency key: the journal index of the first
     * answer, whose decision this event carries again. Nothing new was placed.
     */
    public long repeatOfIndex;

    /**
     * Starts a claimed slot: clears every field and writes the header every event carries. Every
     * publisher starts its slot here, so a slot never carries a field of the event it held before.
     */
    public RingEvent begin(EventType eventType, long atMillis, long atNanos) {
        reset();
        type = eventType;
        receivedAtMillis = atMillis;
        receivedAtNanos = atNanos;
        return this;
    }

    /** Clears every field ({@link #begin} does it for publishers; replay and tests call it directly). */
    public void reset() {
        type = EventType.INTENT;
        receivedAtMillis = 0;
        receivedAtNanos = 0;
        journalIndex = 0;
        replyTo = null;
        // Cleared too: a control without a key would otherwise journal the previous alert's key hash.
        Arrays.fill(keyHash, (byte) 0);
        keyPresent = false;
        requestedBroker = null;
        action = Action.OPEN;
        side = null;
        orderType = OrderType.MARKET;
        symbol.clear();
        quantity = 0;
        price = 0;
        stopLossMode = StopMode.NONE;
        stopLossValue = 0;
        takeProfitMode = StopMode.NONE;
        takeProfitValue = 0;
        clientId.clear();
        signalTimeMillis = 0;
        format = AlertFormat.UNIFY;
        sizeMode = SizeMode.QTY;
        addToPosition = false;
        orderPrice = 0;
        bodyHash = 0;
        ticker.clear();
        strategy.clear();
        Arrays.fill(sourceAddress, (byte) 0);
        sourceAddressLength = 0;
        controlType = null;
        controlAccountId = 0;
        controlUserId = 0;
        controlBroker = null;
        controlFlag = false;
        controlTimeMillis = 0;
        controlCount = 0;
        controlTrial = false;
        controlRiskLimits = null;
        reportKind = null;
        brokerOrderId.clear();
        controlAlertSettings = null;
        controlAllowedSources = null;
        controlCopyLink = null;
        copyMasterAccountId = 0;
        copySubscriptionId = 0;
        copyParentIndex = 0;
        clearDecision();
    }

    /** Clears only the decision, e.g. before a replayed event is decided again. */
    public void clearDecision() {
        outcome = Outcome.PENDING;
        reason = null;
        field = null;
        retryAfterSeconds = 0;
        accountId = 0;
        userId = 0;
        orderId = 0;
        fillPrice = 0;
        filledQuantity = 0;
        commission = 0;
        realizedPnl = 0;
        positionQuantity = 0;
        positionAveragePrice = 0;
        positionEntries = 0;
        accountRealizedPnl = 0;
        positionStopLoss = 0;
        positionTakeProfit = 0;
        positionTrailDistance = 0;
        pendingQuantity = 0;
        tradingDay = 0;
        dayRealizedPnl = 0;
        tradesUsed = 0;
        decisionNanos = 0;
        repeatOfIndex = 0;
        copyAccepted = 0;
        copyRefused = 0;
        Arrays.fill(copyRefusedByOutcome, 0);
    }

    /** Whether this accepted alert left a limit or stop order pending (placed nothing yet). */
    public boolean placedPendingOrder() {
        return outcome == Outcome.ACCEPTED && pendingQuantity != 0 && repeatOfIndex == 0;
    }

    /** Whether this intent is a follower's copy of a master's alert. */
    public boolean isCopy() {
        return copyMasterAccountId != 0;
    }

    public boolean isDecided() {
        return outcome != Outcome.PENDING;
    }

    /** Records the peer address (4 or 16 bytes) the alert arrived from; an address of another length is left unknown. */
    public void source(byte[] address) {
        if (address != null && (address.length == 4 || address.length == SOURCE_ADDRESS_CAPACITY)) {
            System.arraycopy(address, 0, sourceAddress, 0, address.length);
            sourceAddressLength = address.length;
        }
    }

    /** Sets the alert's stop loss ({@code stopLoss}) or take profit, as the alert expressed it. */
    public void protection(boolean stopLoss, StopMode mode, double value) {
        if (stopLoss) {
            stopLossMode = mode;
            stopLossValue = value;
        } else {
            takeProfitMode = mode;
            takeProfitValue = value;
        }
    }

    /** Records a refusal. Reason and field should be constants on the hot path. */
    public void reject(Outcome code, String field, String reason) {
        this.outcome = code;
        this.field = field;
        this.reason = reason;
    }

    /** Copies every input and decision field from another event (used by replay and tests). */
    public void copyFrom(RingEvent o) {
        type = o.type;
        receivedAtMillis = o.receivedAtMillis;
        receivedAtNanos = o.receivedAtNanos;
        journalIndex = o.journalIndex;
        replyTo = o.replyTo;
        System.arraycopy(o.keyHash, 0, keyHash, 0, KEY_HASH_LENGTH);
        keyPresent = o.keyPresent;
        requestedBroker = o.requestedBroker;
        action = o.action;
        side = o.side;
        orderType = o.orderType;
        symbol.copyFrom(o.symbol);
        quantity = o.quantity;
        price = o.price;
        stopLossMode = o.stopLossMode;
        stopLossValue = o.stopLossValue;
        takeProfitMode = o.takeProfitMode;
        takeProfitValue = o.takeProfitValue;
        clientId.copyFrom(o.clientId);
        signalTimeMillis = o.signalTimeMillis;
        format = o.format;
        sizeMode = o.sizeMode;
        addToPosition = o.addToPosition;
        orderPrice = o.orderPrice;
        bodyHash = o.bodyHash;
        ticker.copyFrom(o.ticker);
        strategy.copyFrom(o.strategy);
        System.arraycopy(o.sourceAddress, 0, sourceAddress, 0, SOURCE_ADDRESS_CAPACITY);
        sourceAddressLength = o.sourceAddressLength;
        controlType = o.controlType;
        controlAccountId = o.controlAccountId;
        controlUserId = o.controlUserId;
        controlBroker = o.controlBroker;
        controlFlag = o.controlFlag;
        controlTimeMillis = o.controlTimeMillis;
        controlCount = o.controlCount;
        controlTrial = o.controlTrial;
        controlRiskLimits = o.controlRiskLimits;
        reportKind = o.reportKind;
        brokerOrderId.copyFrom(o.brokerOrderId);
        controlAlertSettings = o.controlAlertSettings;
        controlAllowedSources = o.controlAllowedSources;
        controlCopyLink = o.controlCopyLink;
        copyMasterAccountId = o.copyMasterAccountId;
        copySubscriptionId = o.copySubscriptionId;
        copyParentIndex = o.copyParentIndex;
        copyAccepted = o.copyAccepted;
        copyRefused = o.copyRefused;
        System.arraycopy(o.copyRefusedByOutcome, 0, copyRefusedByOutcome, 0, copyRefusedByOutcome.length);
        outcome = o.outcome;
        reason = o.reason;
        field = o.field;
        retryAfterSeconds = o.retryAfterSeconds;
        accountId = o.accountId;
        userId = o.userId;
        orderId = o.orderId;
        fillPrice = o.fillPrice;
        filledQuantity = o.filledQuantity;
        commission = o.commission;
        realizedPnl = o.realizedPnl;
        positionQuantity = o.positionQuantity;
        positionAveragePrice = o.positionAveragePrice;
        positionEntries = o.positionEntries;
        accountRealizedPnl = o.accountRealizedPnl;
        positionStopLoss = o.positionStopLoss;
        positionTakeProfit = o.positionTakeProfit;
        positionTrailDistance = o.positionTrailDistance;
        pendingQuantity = o.pendingQuantity;
        tradingDay = o.tradingDay;
        dayRealizedPnl = o.dayRealizedPnl;
        tradesUsed = o.tradesUsed;
        decisionNanos = o.decisionNanos;
        repeatOfIndex = o.repeatOfIndex;
    }
}
