package io.tradeflow.config;

import java.util.Locale;

/**
 * What the router needs to know about a tradable instrument to size and check orders. Tick value is in the
 * instrument's quote currency (no currency conversion is modelled).
 *
 * @param symbol       the broker instrument, upper case (e.g. {@code EURUSD}, {@code MNQ})
 * @param contractSize units of the underlying in one lot or contract (100000 for FX, 50 for ES)
 * @param pipSize      price distance of one pip ({@code sl} in pips); for futures the tick
 * @param tickSize     smallest price step
 * @param tickValue    money gained or lost per lot per tick
 * @param lotStep      quantities are rounded down to a multiple of this
 * @param minQuantity  smallest quantity accepted after rounding
 * @param maxQuantity  largest quantity accepted
 */
public record InstrumentSpec(String symbol, double contractSize, double pipSize, double tickSize, double tickValue,
                             double lotStep, double minQuantity, double maxQuantity) {

    /** Money per lot for a price move of 1.0. */
    public double pointValue() {
        return tickValue / tickSize;
    }

    /**
     * Parses {@code "EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50"};
     * null when a part is missing, unknown or not a positive number, or min &gt; max.
     */
    public static InstrumentSpec parse(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 8 || !parts[0].matches("[A-Za-z0-9._!/-]{1,32}")) {
            return null;
        }
        double[] values = new double[7];
        String[] names = {"contract", "pip", "tick", "tick-value", "step", "min", "max"};
        boolean[] seen = new boolean[7];
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String name = parts[i].substring(0, eq).toLowerCase(Locale.ROOT);
            int at = java.util.Arrays.asList(names).indexOf(name);
            if (at < 0 || seen[at]) {
                return null;
            }
            try {
                values[at] = Double.parseDouble(parts[i].substring(eq + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (!(values[at] > 0) || Double.isInfinite(values[at])) {
                return null;
            }
            seen[at] = true;
        }
        if (values[5] > values[6]) {
            return null;
        }
        return new InstrumentSpec(parts[0].toUpperCase(Locale.ROOT), values[0], values[1], values[2], values[3], values[4],
                values[5], values[6]);
    }
}
