package io.tradeflow.core.journal;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;

import java.util.List;
import java.util.Set;

/**
 * The journal code of every enum the journal stores, declared once, here. The lists are in code
 * order (the first constant is code 0): append a new constant at the end of its list, never
 * reorder or remove one. The codes equal the ordinals that versions 1 to 4 of the codec wrote, so
 * every existing journal still reads as it did.
 */
final class JournalCodes {
    static final StableCode<EventType> EVENT_TYPE = new StableCode<>("event type", EventType.class, List.of(
            EventType.INTENT, EventType.CONTROL, EventType.BROKER_REPORT, EventType.TIMER, EventType.PRICE,
            EventType.TRIGGERED),
            // Only asks the ring thread for a replay checkpoint: never journaled.
            Set.of(EventType.CHECKPOINT));

    static final StableCode<ControlType> CONTROL_TYPE = new StableCode<>("control type", ControlType.class, List.of(
            ControlType.ACCOUNT_ADDED, ControlType.ACCOUNT_ENABLED, ControlType.ACCOUNT_DISABLED,
            ControlType.KEY_ADDED, ControlType.KEY_REVOKED, ControlType.EMERGENCY_STOP, ControlType.RISK_LIMITS,
            ControlType.CLOSE_POSITION, ControlType.ALERT_SETTINGS, ControlType.SOURCE_ALLOWLIST,
            ControlType.PLAN_CHANGED, ControlType.USER_SUSPENDED,
            ControlType.COPY_MASTER, ControlType.COPY_LINK, ControlType.COPY_UNLINK));

    static final StableCode<BrokerKind> BROKER = new StableCode<>("broker", BrokerKind.class, List.of(
            BrokerKind.PAPER, BrokerKind.TRADELOCKER, BrokerKind.PROJECTX, BrokerKind.MTX));

    static final StableCode<Action> ACTION = new StableCode<>("action", Action.class, List.of(
            Action.OPEN, Action.CLOSE, Action.CLOSE_LONG, Action.CLOSE_SHORT, Action.CLOSE_ALL, Action.REVERSE,
            Action.CANCEL, Action.MODIFY));

    static final StableCode<Side> SIDE = new StableCode<>("side", Side.class, List.of(
            Side.BUY, Side.SELL));

    static final StableCode<OrderType> ORDER_TYPE = new StableCode<>("order type", OrderType.class, List.of(
            OrderType.MARKET, OrderType.LIMIT, OrderType.STOP));

    static final StableCode<StopMode> STOP_MODE = new StableCode<>("stop mode", StopMode.class, List.of(
            StopMode.NONE, StopMode.PRICE, StopMode.PIPS, StopMode.TICKS, StopMode.PERCENT, StopMode.RR,
            StopMode.TRAIL, StopMode.OFFSET));

    static final StableCode<AlertFormat> ALERT_FORMAT = new StableCode<>("alert format", AlertFormat.class, List.of(
            AlertFormat.UNIFY, AlertFormat.TRADERSPOST, AlertFormat.PINECONNECTOR));

    static final StableCode<SizeMode> SIZE_MODE = new StableCode<>("size mode", SizeMode.class, List.of(
            SizeMode.QTY, SizeMode.PERCENT_EQUITY, SizeMode.RISK_PERCENT, SizeMode.NOTIONAL, SizeMode.RISK_AMOUNT));

    static final StableCode<ReportKind> REPORT_KIND = new StableCode<>("report kind", ReportKind.class, List.of(
            ReportKind.FILLED, ReportKind.REJECTED, ReportKind.POSITION_CHECK, ReportKind.OUTCOME_UNKNOWN));

    static final StableCode<Outcome> OUTCOME = new StableCode<>("outcome", Outcome.class, List.of(
            Outcome.PENDING, Outcome.ACCEPTED, Outcome.INVALID_PAYLOAD, Outcome.UNAUTHORIZED,
            Outcome.ACCOUNT_DISABLED, Outcome.TRIAL_LIMIT, Outcome.TRIAL_EXPIRED, Outcome.RISK_REJECTED,
            Outcome.DUPLICATE, Outcome.PAYLOAD_TOO_LARGE, Outcome.RATE_LIMITED, Outcome.INTERNAL_ERROR,
            Outcome.BROKER_ERROR, Outcome.OVERLOADED, Outcome.IDEMPOTENCY_CONFLICT, Outcome.STALE_SIGNAL,
            Outcome.SOURCE_NOT_ALLOWED, Outcome.BROKER_OUTCOME_UNKNOWN, Outcome.PLAN_LAPSED, Outcome.PLAN_LIMIT,
            Outcome.USER_SUSPENDED));

    /** Every table, for the test that checks them. */
    static final List<StableCode<?>> ALL = List.of(EVENT_TYPE, CONTROL_TYPE, BROKER, ACTION, SIDE, ORDER_TYPE,
            STOP_MODE, ALERT_FORMAT, SIZE_MODE, REPORT_KIND, OUTCOME);

    private JournalCodes() {
    }
}
