package io.tradeflow.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Pre-trade risk limits.
 *
 * @param maxQuantity        largest quantity accepted for one order (positive)
 * @param maxDailyLoss       realised loss per trading day after which orders are refused; 0 disables the check
 * @param maxOpenPositions   open positions allowed at once
 * @param tradingHours       {@code ""} (always open) or {@code HH:mm-HH:mm} in {@code timeZone}; the window may wrap
 *                           midnight, e.g. {@code 22:00-04:00}
 * @param timeZone           zone that trading hours and trading days are measured in
 * @param allowedSymbols     upper-cased, unmodifiable symbols that may be traded; empty allows all
 * @param rateLimitPerWindow orders accepted per rate-limit window (positive)
 * @param rateLimitWindow    length of the rate-limit window (positive)
 */
public record RiskLimits(double maxQuantity, double maxDailyLoss, int maxOpenPositions, String tradingHours,
                         ZoneId timeZone, List<String> allowedSymbols, int rateLimitPerWindow,
                         Duration rateLimitWindow) {

    private static final Pattern TRADING_HOURS =
            Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d");
    private static final int END_OFFSET = "HH:mm-".length();

    /**
     * Normalizes symbols so lookups can compare upper-case strings directly, and rejects malformed trading hours so
     * the minute helpers below never have to.
     *
     * @throws IllegalArgumentException if {@code tradingHours} is neither empty nor a valid {@code HH:mm-HH:mm}
     */
    public RiskLimits {
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        if (!isValidTradingHours(tradingHours)) {
            throw new IllegalArgumentException("tradingHours must be \"\" or HH:mm-HH:mm, was " + tradingHours);
        }
        allowedSymbols = allowedSymbols.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
    }

    /**
     * Minute of the day (0..1439) at which trading opens, or -1 when trading is always open. Parsed without
     * allocating because the risk check runs on the order hot path.
     */
    public int tradingStartMinute() {
        return tradingHours.isEmpty() ? -1 : minuteOfDay(0);
    }

    /**
     * Minute of the day (0..1439) at which trading closes, or -1 when trading is always open. Smaller than
     * {@link #tradingStartMinute()} when the window wraps midnight.
     */
    public int tradingEndMinute() {
        return tradingHours.isEmpty() ? -1 : minuteOfDay(END_OFFSET);
    }

    /**
     * Whether {@code hours} is {@code ""} or {@code HH:mm-HH:mm} with distinct ends; equal ends are rejected because
     * it is ambiguous whether they mean "never open" or "always open".
     */
    static boolean isValidTradingHours(String hours) {
        return hours.isEmpty()
                || TRADING_HOURS.matcher(hours).matches() && !hours.regionMatches(0, hours, END_OFFSET, 5);
    }

    private int minuteOfDay(int offset) {
        int hours = digit(offset) * 10 + digit(offset + 1);
        int minutes = digit(offset + 3) * 10 + digit(offset + 4);
        return hours * 60 + minutes;
    }

    private int digit(int index) {
        return tradingHours.charAt(index) - '0';
    }
}
