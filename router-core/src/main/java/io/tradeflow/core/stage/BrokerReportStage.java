package io.tradeflow.core.stage;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.Position;
import io.tradeflow.core.state.PositionBook;
import io.tradeflow.core.state.RouterState;

/**
 * Applies what a broker connector reported: a fill is booked in the position book with the same
 * accounting as a paper fill (realised P&amp;L of the day included); a refusal is recorded with the
 * broker's reason (outcome BROKER_ERROR, so the webhook log shows it); a position check compares
 * the broker's net position with the router's and records any drift. Time comes from the event,
 * so a replay books the same trading day.
 */
public final class BrokerReportStage {
    /** Quantities closer than this are the same (floating-point dust from partial fills). */
    private static final double TOLERANCE = 1e-9;
    public static final String IN_SYNC = "position in sync with the broker";
    public static final String DRIFT = "position drift: the broker's net position differs from the router's";

    private final RouterState state;

    public BrokerReportStage(RouterState state) {
        this.state = state;
    }

    public void onReport(RingEvent e) {
        AccountState account = state.account(e.accountId);
        if (account == null || e.reportKind == null) {
            e.reject(Outcome.INVALID_PAYLOAD, "accountId", "broker report for an unknown account");
            return;
        }
        e.userId = account.user().userId();
        PositionBook positions = state.positions();
        int symbolId = state.symbols().intern(e.symbol);
        switch (e.reportKind) {
            case FILLED:
                double realized = positions.applyFill(account, symbolId, e.filledQuantity, e.fillPrice) - e.commission;
                long day = account.rules().tradingDay(e.receivedAtMillis);
                state.observeOrderId(e.orderId);
                e.outcome = Outcome.ACCEPTED;
                e.realizedPnl = realized;
                e.positionQuantity = positions.quantity(e.accountId, symbolId);
                e.positionAveragePrice = positions.get(e.accountId, symbolId).averagePrice();
                e.tradingDay = day;
                e.dayRealizedPnl = state.addRealizedPnl(account, day, realized);
                e.accountRealizedPnl = account.realizedTotal();
                e.tradesUsed = account.user().tradesUsed();
                return;
            case REJECTED:
                // The reason is the broker's, set by the connector; the order never changed a position.
                e.outcome = Outcome.BROKER_ERROR;
                e.field = "broker";
                return;
            case OUTCOME_UNKNOWN:
                // Not placed as far as the router knows, not refused either: the trader must look.
                e.outcome = Outcome.BROKER_OUTCOME_UNKNOWN;
                e.field = "broker";
                return;
            case POSITION_CHECK:
                double router = positions.quantity(e.accountId, symbolId);
                Position p = positions.get(e.accountId, symbolId);
                e.positionQuantity = router;
                e.positionAveragePrice = p == null ? 0 : p.averagePrice();
                e.outcome = Outcome.ACCEPTED;
                e.reason = Math.abs(router - e.quantity) < TOLERANCE ? IN_SYNC : DRIFT;
                return;
            default:
                e.reject(Outcome.INVALID_PAYLOAD, "reportKind", "unknown broker report");
        }
    }

    /** Whether a decided position check found drift. */
    public static boolean isDrift(RingEvent decided) {
        return DRIFT.equals(decided.reason);
    }
}
