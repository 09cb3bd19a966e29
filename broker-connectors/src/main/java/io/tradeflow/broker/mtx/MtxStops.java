package io.tradeflow.broker.mtx;

import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerException.Kind;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.config.InstrumentSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns an alert's stop loss and take profit into what the EA applies without any guessing: an
 * absolute price ({@code price}) or a price distance from the fill ({@code distance}) computed with
 * the router's instrument table — a pip is 0.1 on XAUUSD, 1 on NAS100 and BTCUSD, 0.0001 on
 * EURUSD, whatever digits the broker quotes. The EA used to take a pip as 10 points, which put
 * stops on metals, indices and crypto 10–100× too close.
 */
final class MtxStops {
    /** A stop or target as the EA receives it. */
    record Level(String mode, double value) {
        static final Level NONE = new Level("none", 0);

        boolean isSet() {
            return !"none".equals(mode);
        }
    }

    private final Function<String, InstrumentSpec> instruments;

    MtxStops(Function<String, InstrumentSpec> instruments) {
        this.instruments = instruments;
    }

    /** A lookup in a table keyed by symbol: the exact name, else the name before a broker suffix ({@code XAUUSD.m}). */
    static Function<String, InstrumentSpec> table(Map<String, InstrumentSpec> specs) {
        Map<String, InstrumentSpec> bySymbol = new TreeMap<>();
        specs.values().forEach(s -> bySymbol.put(s.symbol().toUpperCase(Locale.ROOT), s));
        return symbol -> {
            String upper = symbol.toUpperCase(Locale.ROOT);
            InstrumentSpec spec = bySymbol.get(upper);
            int dot = upper.indexOf('.');
            return spec != null || dot <= 0 ? spec : bySymbol.get(upper.substring(0, dot));
        };
    }

    /** The stop loss for the EA; {@code reference} is the alert's (or the order's) price, 0 when unknown. */
    Level stopLoss(String symbol, Protection p, double reference) {
        return level(symbol, p, reference, "sl");
    }

    /** The take profit; {@code rr} is a multiple of the stop loss's distance. */
    Level takeProfit(String symbol, Protection p, double reference, Level stopLoss) {
        if (p.isSet() && p.mode() == io.tradeflow.core.event.StopMode.RR) {
            if (!stopLoss.isSet()) {
                throw refused("tp", "rr needs a stop loss to measure from");
            }
            double risk = "distance".equals(stopLoss.mode()) ? stopLoss.value() : Math.abs(needReference(reference, "tp", "rr")
                    - stopLoss.value());
            return distance(p.value() * risk, "tp");
        }
        return level(symbol, p, reference, "tp");
    }

    private Level level(String symbol, Protection p, double reference, String field) {
        if (!p.isSet()) {
            return Level.NONE;
        }
        switch (p.mode()) {
            case PRICE:
                if (!(p.value() > 0)) {
                    throw refused(field, "a price must be above 0");
                }
                return new Level("price", p.value());
            case PIPS:
                return distance(p.value() * spec(symbol, field, "pips").pipSize(), field);
            case TICKS:
                return distance(p.value() * spec(symbol, field, "ticks").tickSize(), field);
            case OFFSET:
                return distance(p.value(), field);
            case PERCENT:
                return distance(needReference(reference, field, "percent") * p.value() / 100, field);
            case TRAIL:
                throw refused(field, "MetaTrader accounts take no trailing stops from the router");
            case RR:
                throw refused(field, "rr is for the take profit only");
            default:
                throw refused(field, p.mode().wireName() + " is not supported");
        }
    }

    private InstrumentSpec spec(String symbol, String field, String mode) {
        InstrumentSpec spec = instruments.apply(symbol);
        if (spec == null) {
            throw refused(field, mode + " need " + symbol + " in the router's instrument table (its pip and tick size);"
                    + " send the " + field + " as a price instead");
        }
        return spec;
    }

    private static double needReference(double reference, String field, String mode) {
        if (!(reference > 0)) {
            throw refused(field, mode + " needs the alert's price");
        }
        return reference;
    }

    /** A distance rounded to 10 decimals, so float dust ({@code 0.0019999999999999996}) never reaches the EA. */
    private static Level distance(double d, String field) {
        if (!(d > 0) || Double.isInfinite(d)) {
            throw refused(field, "the distance must be above 0");
        }
        return new Level("distance", BigDecimal.valueOf(d).setScale(10, RoundingMode.HALF_UP).doubleValue());
    }

    private static BrokerException refused(String field, String message) {
        return new BrokerException(Kind.REJECTED, "not sent to the MetaTrader EA: " + field + ": " + message);
    }
}
