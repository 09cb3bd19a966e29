package io.tradeflow.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an account's alerts are read and de-duplicated: the defaults come from {@code alerts.*}, each account may
 * replace them through an ALERT_SETTINGS control event.
 *
 * @param pyramiding        entries allowed in one direction on one instrument (1 = a second same-direction entry is
 *                          refused as a duplicate unless the alert says {@code add})
 * @param duplicateWindow   the same signal (instrument, action, side) again within this time is refused; zero = off
 * @param maxSignalAge      a signal whose own time ({@code ts}/{@code time}) is older than this is refused; zero = off
 * @param idempotencyWindow how long an idempotency key ({@code id} or {@code Idempotency-Key}) is remembered
 * @param symbolMap         upper-cased TradingView ticker (or root, or {@code EXCHANGE:TICKER}) to broker instrument
 * @param symbolSuffix      appended to instruments that no map entry names, e.g. {@code .m}; may be empty
 */
public record AlertSettings(int pyramiding, Duration duplicateWindow, Duration maxSignalAge, Duration idempotencyWindow,
                            Map<String, String> symbolMap, String symbolSuffix) {

    /** Characters an alert's symbol may hold; map entries and suffixes are held to the same. */
    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9._:!/-]{1,32}");
    private static final Pattern SUFFIX = Pattern.compile("[A-Z0-9._-]{0,8}");

    public AlertSettings {
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(maxSignalAge, "maxSignalAge");
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
        if (pyramiding < 1) {
            throw new IllegalArgumentException("pyramiding must be at least 1");
        }
        if (duplicateWindow.isNegative() || maxSignalAge.isNegative() || idempotencyWindow.isNegative()
                || idempotencyWindow.isZero()) {
            throw new IllegalArgumentException("windows must not be negative; the idempotency window must be positive");
        }
        Map<String, String> upper = new LinkedHashMap<>();
        symbolMap.forEach((from, to) -> {
            String f = from.strip().toUpperCase(Locale.ROOT);
            String t = to.strip().toUpperCase(Locale.ROOT);
            if (!SYMBOL.matcher(f).matches() || !SYMBOL.matcher(t).matches()) {
                throw new IllegalArgumentException("symbol map entry " + from + "=" + to + " is not two symbols");
            }
            upper.put(f, t);
        });
        symbolMap = Map.copyOf(upper);
        symbolSuffix = symbolSuffix.strip().toUpperCase(Locale.ROOT);
        if (!SUFFIX.matcher(symbolSuffix).matches()) {
            throw new IllegalArgumentException("symbol suffix must be at most 8 letters, digits, '.', '_' or '-'");
        }
    }

    /** Parses {@code ["NQ1!=MNQ", "OANDA:XAUUSD=XAUUSD"]}; null when an entry is not {@code FROM=TO}. */
    public static Map<String, String> parseSymbolMap(List<String> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                return null;
            }
            String from = entry.substring(0, eq).strip().toUpperCase(Locale.ROOT);
            String to = entry.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
            if (!SYMBOL.matcher(from).matches() || !SYMBOL.matcher(to).matches()) {
                return null;
            }
            map.put(from, to);
        }
        return map;
    }

    public static boolean isValidSuffix(String suffix) {
        return SUFFIX.matcher(suffix.strip().toUpperCase(Locale.ROOT)).matches();
    }
}
