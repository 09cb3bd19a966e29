package io.tradeflow.core.stage;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;

/**
 * Turns an entry's size, whatever its mode, into lots of the instrument: rounded down to the lot
 * step (so a risk or money amount is never exceeded) and refused outside the instrument's limits.
 * Without an instrument in the table a fixed quantity passes as is and the other modes count one
 * unit per lot.
 */
final class OrderSizer {
    /** Absorbs binary fractions so 0.3 / 0.1 lots rounds to 3 steps, not 2. */
    private static final double STEP_EPSILON = 1e-9;

    private OrderSizer() {
    }

    /** The entry's quantity in lots, or NaN with the event rejected. */
    static double lots(RingEvent e, InstrumentSpec spec, double entryPrice, double equity) {
        String field = e.sizeMode == SizeMode.QTY ? "qty" : "size";
        double contract = spec == null ? 1 : spec.contractSize();
        double lots;
        switch (e.sizeMode) {
            case QTY:
                lots = e.quantity;
                break;
            case NOTIONAL:
                lots = e.quantity / (entryPrice * contract);
                break;
            case PERCENT_EQUITY:
                if (!(equity > 0)) {
                    return refuse(e, field, "the account's equity is not known, so percent_equity cannot be sized");
                }
                lots = equity * e.quantity / 100 / (entryPrice * contract);
                break;
            case RISK_PERCENT:
            case RISK_AMOUNT:
            default:
                if (spec == null) {
                    return refuse(e, field, e.symbol + " is not in the instrument table, so risk cannot be sized");
                }
                double risk = e.sizeMode == SizeMode.RISK_AMOUNT ? e.quantity : equity * e.quantity / 100;
                if (!(risk > 0)) {
                    return refuse(e, field, "the account's equity is not known, so risk_percent cannot be sized");
                }
                double distance = stopDistance(e, spec, entryPrice);
                if (!(distance > 0)) {
                    return refuse(e, "sl", "the stop loss must lie away from the entry price to size by risk");
                }
                lots = risk / (distance * spec.pointValue());
                break;
        }
        if (spec == null) {
            return lots;
        }
        double rounded = Math.floor(lots / spec.lotStep() + STEP_EPSILON) * spec.lotStep();
        // Re-derive from the step count so the result has no binary tail (0.07, not 0.07000000000000001).
        rounded = Math.round(rounded / spec.lotStep()) * spec.lotStep();
        rounded = Math.round(rounded * 1e8) / 1e8;
        if (rounded < spec.minQuantity()) {
            return refuse(e, field, "the size is " + lots + " lots of " + spec.symbol() + ", below its minimum of "
                    + spec.minQuantity());
        }
        if (rounded > spec.maxQuantity()) {
            return refuse(e, field, "the size is " + rounded + " lots of " + spec.symbol() + ", above its maximum of "
                    + spec.maxQuantity());
        }
        return rounded;
    }

    /** The stop loss's distance from the entry in price units. */
    static double stopDistance(RingEvent e, InstrumentSpec spec, double entryPrice) {
        double v = e.stopLossValue;
        switch (e.stopLossMode) {
            case PRICE:
                return e.side == Side.BUY ? entryPrice - v : v - entryPrice;
            case PIPS:
                return v * spec.pipSize();
            case TICKS:
                return v * spec.tickSize();
            case PERCENT:
                return entryPrice * v / 100;
            case OFFSET:
                return v;
            default:
                return 0;
        }
    }

    private static double refuse(RingEvent e, String field, String reason) {
        e.reject(Outcome.INVALID_PAYLOAD, field, reason);
        return Double.NaN;
    }
}
