package io.tradeflow.config;

import java.util.Map;

/**
 * Paper-trading simulation settings. Costs are absolute price units rather than percentages so they match how
 * brokers quote spreads for a given instrument.
 *
 * @param startingBalance    cash the simulated account starts with (positive); also the equity risk sizing starts from
 * @param spread             bid/ask spread applied to simulated fills, in price units (0 or more)
 * @param slippage           adverse price movement on every fill, in price units (0 or more)
 * @param commissionPerUnit  commission charged per unit traded (0 or more)
 * @param spreads            per-instrument spreads (upper-case instrument to price units), replacing {@code spread}
 * @param slippagePerLot     further adverse movement per lot traded, so large orders fill worse (0 or more)
 * @param slippageCap        the most slippage a fill can suffer in total; 0 = no cap
 * @param commissionMinimum  the least commission a fill is charged (0 or more)
 * @param leverage           margin check before orders that add exposure: notional ÷ leverage must stay within
 *                           equity; 0 = no check
 */
public record PaperConfig(double startingBalance, double spread, double slippage, double commissionPerUnit,
                          Map<String, Double> spreads, double slippagePerLot, double slippageCap,
                          double commissionMinimum, double leverage) {

    public PaperConfig {
        spreads = Map.copyOf(spreads);
    }

    /** Flat costs only: one spread for every instrument, fixed slippage, no commission minimum. */
    public PaperConfig(double startingBalance, double spread, double slippage, double commissionPerUnit) {
        this(startingBalance, spread, slippage, commissionPerUnit, Map.of(), 0, 0, 0, 0);
    }
}
