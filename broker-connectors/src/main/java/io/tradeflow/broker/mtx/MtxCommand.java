package io.tradeflow.broker.mtx;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One command for the EA (protocol {@value MtxProtocol#VERSION}). {@code id} is unique and stable:
 * the EA claims it atomically, writes it into the comment of every order and close it makes for
 * it and remembers it, so a command delivered twice executes at most once.
 *
 * <ul>
 *   <li>{@code action}: {@code open} (may open or add; a market order first closes this EA's
 *       positions facing the other way and opens only the rest), {@code close} (reduce-only: closes
 *       up to {@code volume} lots of the positions facing {@code side}'s other way, or of either
 *       side when {@code side} is empty; never opens anything), {@code cancel} (the pending order
 *       {@code ticket}).</li>
 *   <li>{@code slMode}/{@code tpMode}: {@code none}, {@code price} (absolute) or {@code distance}
 *       (a price distance from the fill, computed by the router from its instrument table: the EA
 *       never converts pips).</li>
 *   <li>{@code createdAtMillis}/{@code expiresAtMillis}: the router's clock; the EA refuses (acks
 *       {@code expired}) a command it has not executed once the router's time passed the expiry.</li>
 * </ul>
 */
public record MtxCommand(String id, String action, String symbol, String side, String orderType, double volume,
                         double price, String slMode, double sl, String tpMode, double tp, long ticket,
                         boolean reduceOnly, long createdAtMillis, long expiresAtMillis) {

    /** The JSON shape of a command in the poll answer. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("action", action);
        m.put("symbol", symbol);
        m.put("side", side);
        m.put("type", orderType);
        m.put("volume", volume);
        m.put("price", price);
        m.put("sl_mode", slMode);
        m.put("sl", sl);
        m.put("tp_mode", tpMode);
        m.put("tp", tp);
        m.put("ticket", ticket);
        m.put("reduce_only", reduceOnly);
        m.put("created_at", createdAtMillis);
        m.put("expires_at", expiresAtMillis);
        return m;
    }

    /**
     * The same as one line of {@code |}-separated fields in the order
     * {@code id|action|symbol|side|type|volume|price|sl_mode|sl|tp_mode|tp|ticket|reduce_only|created_at|expires_at}
     * ({@code reduce_only} is 1 or 0; times are epoch milliseconds of the router's clock; numbers are
     * plain decimals, never exponents): MQL has no JSON parser, and splitting a line is one call
     * ({@code StringSplit}). The EA sources depend on this order.
     */
    public String toTextLine() {
        return String.join("|", id, action, symbol, side, orderType, plain(volume), plain(price), slMode, plain(sl), tpMode,
                plain(tp), Long.toString(ticket), reduceOnly ? "1" : "0", Long.toString(createdAtMillis),
                Long.toString(expiresAtMillis));
    }

    /** {@code 0.0002}, not {@code 2.0E-4}: MQL's StringToDouble is not documented to read exponents. */
    static String plain(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
