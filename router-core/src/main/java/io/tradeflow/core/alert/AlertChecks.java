package io.tradeflow.core.alert;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;

/**
 * The checks every format shares once its fields are read: combinations that cannot be right
 * whatever the account holds. Each parser passes its own field names, so the 400 names the field
 * as the trader wrote it.
 */
final class AlertChecks {
    /** A format's spelling of the fields the checks may name. */
    record Fields(String size, String stopLoss, String takeProfit) {
    }

    static final Fields UNIFY = new Fields("intent.size.mode", "intent.sl", "intent.tp");

    private AlertChecks() {
    }

    /** Returns false, with the event rejected, at the first problem. */
    static boolean check(RingEvent e, Fields f) {
        if (e.sizeMode.needsStopLoss() && e.action.isEntry() && e.stopLossMode == StopMode.NONE) {
            return fail(e, f.size(), e.sizeMode.wireName() + " sizing needs a stop loss");
        }
        if (e.sizeMode.needsStopLoss() && e.stopLossMode == StopMode.TRAIL) {
            return fail(e, f.stopLoss(), "risk sizing needs a fixed stop loss, not a trailing one");
        }
        if ((e.sizeMode == SizeMode.PERCENT_EQUITY || e.sizeMode == SizeMode.RISK_PERCENT) && e.quantity > 100) {
            return fail(e, f.size(), "a percentage must be at most 100");
        }
        if (e.takeProfitMode == StopMode.RR && e.stopLossMode == StopMode.NONE) {
            return fail(e, f.takeProfit(), "rr take profit is a multiple of the stop distance: it needs a stop loss");
        }
        if (e.stopLossMode == StopMode.PERCENT && e.stopLossValue >= 100) {
            return fail(e, f.stopLoss(), "a stop loss percentage must be below 100");
        }
        if (e.action == Action.MODIFY && e.stopLossMode == StopMode.NONE && e.takeProfitMode == StopMode.NONE) {
            return fail(e, f.stopLoss(), "modify needs a new stop loss or take profit");
        }
        double entry = e.orderPrice > 0 ? e.orderPrice : e.price;
        if (e.side != null && entry > 0 && e.action.isEntry()) {
            boolean buy = e.side == Side.BUY;
            if (e.stopLossMode == StopMode.PRICE && (buy ? e.stopLossValue >= entry : e.stopLossValue <= entry)) {
                return fail(e, f.stopLoss(), "stop loss price must be " + (buy ? "below" : "above") + " the entry price");
            }
            if (e.takeProfitMode == StopMode.PRICE && (buy ? e.takeProfitValue <= entry : e.takeProfitValue >= entry)) {
                return fail(e, f.takeProfit(), "take profit price must be " + (buy ? "above" : "below") + " the entry price");
            }
        }
        return true;
    }

    private static boolean fail(RingEvent e, String field, String reason) {
        e.reject(Outcome.INVALID_PAYLOAD, field, reason);
        return false;
    }
}
