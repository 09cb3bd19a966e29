package io.tradeflow.config;

/**
 * Paper-trading simulation settings. Costs are absolute price units rather than percentages so they match how
 * brokers quote spreads for a given instrument.
 *
 * @param startingBalance   cash the simulated account starts with (positive)
 * @param spread            bid/ask spread applied to simulated fills, in price units (0 or more)
 * @param slippage          extra adverse price movement per fill, in price units (0 or more)
 * @param commissionPerUnit commission charged per unit traded (0 or more)
 */
public record PaperConfig(double startingBalance, double spread, double slippage, double commissionPerUnit) {
}
