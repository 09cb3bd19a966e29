package io.tradeflow.core.stage;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.StopMode;

/**
 * Resolves an alert's stop loss and take profit, in whatever mode it gave them, to absolute prices
 * from an entry price and the position's direction: below/above the entry for a long's stop/target
 * and the mirror for a short.
 */
final class StopPrices {
    private StopPrices() {
    }

    /** Whether the modes can be resolved for this instrument; false with the event rejected (400) otherwise. */
    static boolean resolvable(RingEvent e, InstrumentSpec spec) {
        if (spec == null && needsInstrument(e.stopLossMode)) {
            e.reject(Outcome.INVALID_PAYLOAD, "sl", e.stopLossMode.wireName() + " need " + e.symbol
                    + " in the instrument table (its pip and tick size)");
            return false;
        }
        if (spec == null && needsInstrument(e.takeProfitMode)) {
            e.reject(Outcome.INVALID_PAYLOAD, "tp", e.takeProfitMode.wireName() + " need " + e.symbol
                    + " in the instrument table (its pip and tick size)");
            return false;
        }
        return true;
    }

    /** The stop-loss price, or {@code current} when the alert gives none. */
    static double stopLoss(RingEvent e, InstrumentSpec spec, double entry, boolean isLong, double current) {
        if (e.stopLossMode == StopMode.NONE) {
            return current;
        }
        if (e.stopLossMode == StopMode.PRICE) {
            return e.stopLossValue;
        }
        double distance = distance(e.stopLossMode, e.stopLossValue, spec, entry);
        return isLong ? entry - distance : entry + distance;
    }

    /** The take-profit price, or {@code current} when the alert gives none; rr is a multiple of the stop's distance. */
    static double takeProfit(RingEvent e, InstrumentSpec spec, double entry, boolean isLong, double stopLoss,
                             double current) {
        if (e.takeProfitMode == StopMode.NONE) {
            return current;
        }
        if (e.takeProfitMode == StopMode.PRICE) {
            return e.takeProfitValue;
        }
        double distance = e.takeProfitMode == StopMode.RR
                ? e.takeProfitValue * Math.abs(entry - stopLoss)
                : distance(e.takeProfitMode, e.takeProfitValue, spec, entry);
        return isLong ? entry + distance : entry - distance;
    }

    private static double distance(StopMode mode, double value, InstrumentSpec spec, double entry) {
        switch (mode) {
            case PIPS:
            case TRAIL:
                return value * spec.pipSize();
            case TICKS:
                return value * spec.tickSize();
            case PERCENT:
                return entry * value / 100;
            case OFFSET:
            default:
                return value;
        }
    }

    private static boolean needsInstrument(StopMode mode) {
        return mode == StopMode.PIPS || mode == StopMode.TICKS || mode == StopMode.TRAIL;
    }
}
