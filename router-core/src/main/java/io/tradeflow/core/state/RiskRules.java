package io.tradeflow.core.state;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.AsciiField;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An account's risk limits in the form the risk stage checks without allocating: allowed symbols
 * as byte arrays, trading hours as minutes of the day with a cached zone offset.
 */
public final class RiskRules {
    private final RiskLimits limits;
    private final byte[][] allowedSymbols;
    private final int tradingStartMinute;
    private final int tradingEndMinute;
    private final ZoneClock clock;
    private final long rateWindowMillis;

    public RiskRules(RiskLimits limits) {
        this.limits = limits;
        List<String> symbols = limits.allowedSymbols();
        this.allowedSymbols = new byte[symbols.size()][];
        for (int i = 0; i < symbols.size(); i++) {
            allowedSymbols[i] = symbols.get(i).getBytes(StandardCharsets.US_ASCII);
        }
        this.tradingStartMinute = limits.tradingStartMinute();
        this.tradingEndMinute = limits.tradingEndMinute();
        this.clock = new ZoneClock(limits.timeZone());
        this.rateWindowMillis = limits.rateLimitWindow().toMillis();
    }

    public RiskLimits limits() {
        return limits;
    }

    /** Whether the symbol is allowed; an empty one (no ticker recorded) only when every symbol is. */
    public boolean symbolAllowed(AsciiField symbol) {
        if (allowedSymbols.length == 0) {
            return true;
        }
        if (symbol.isEmpty()) {
            return false;
        }
        for (byte[] allowed : allowedSymbols) {
            if (symbol.contentEquals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the time falls inside the trading hours (which may wrap past midnight). */
    public boolean withinTradingHours(long epochMillis) {
        if (tradingStartMinute < 0) {
            return true;
        }
        int minute = clock.minuteOfDay(epochMillis);
        if (tradingStartMinute <= tradingEndMinute) {
            return minute >= tradingStartMinute && minute < tradingEndMinute;
        }
        return minute >= tradingStartMinute || minute < tradingEndMinute;
    }

    /** The trading day (in the rules' time zone) that daily loss is counted against. */
    public long tradingDay(long epochMillis) {
        return clock.day(epochMillis);
    }

    public long rateWindowMillis() {
        return rateWindowMillis;
    }
}
