package io.tradeflow.broker.mtx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One command for the EA. {@code id} is unique and stable: the EA writes it into the order
 * comment and remembers it, so a command delivered twice (the EA polled again after losing an
 * answer) executes at most once. Prices: {@code slMode}/{@code tpMode} are {@code price}
 * (absolute) or {@code pips} (distance from the fill); 0 means none.
 */
public record MtxCommand(String id, String action, String symbol, String side, String orderType, double volume,
                         double price, String slMode, double sl, String tpMode, double tp, long ticket) {

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
        return m;
    }

    /**
     * The same as one line of {@code |}-separated fields in the order
     * {@code id|action|symbol|side|type|volume|price|sl_mode|sl|tp_mode|tp|ticket}: MQL has no JSON
     * parser, and splitting a line is one call ({@code StringSplit}). The EA sources depend on this order.
     */
    public String toTextLine() {
        return String.join("|", id, action, symbol, side, orderType, Double.toString(volume), Double.toString(price),
                slMode, Double.toString(sl), tpMode, Double.toString(tp), Long.toString(ticket));
    }
}
