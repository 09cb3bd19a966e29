package io.tradeflow.core.alert;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.Ascii;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;

/**
 * Reads a PineConnector-style text alert, {@code <key>,<command>,<symbol>[,param=value…]}, into the
 * same ring event as unify.v1. Unlike JSON formats an unknown parameter is refused rather than
 * ignored: a mistyped {@code sl=} silently dropped would leave a position without its stop.
 * One instance per thread; works on a reused character buffer.
 */
public final class PineConnectorAlertParser {
    static final AlertChecks.Fields FIELDS = new AlertChecks.Fields("risk", "sl", "tp");

    private final KeyHasher hasher;
    private final char[] chars;

    PineConnectorAlertParser(KeyHasher hasher, int maxBodyBytes) {
        this.hasher = hasher;
        this.chars = new char[maxBodyBytes];
    }

    public void parse(byte[] body, int offset, int length, RingEvent e) {
        e.format = AlertFormat.PINECONNECTOR;
        if (length > chars.length) {
            e.reject(io.tradeflow.core.event.Outcome.INVALID_PAYLOAD, "body", "body too large");
            return;
        }
        for (int i = 0; i < length; i++) {
            chars[i] = (char) (body[offset + i] & 0xFF);
        }
        try {
            parseLine(length, e);
        } catch (Refused done) {
            // The event already carries the refusal.
        }
    }

    private void parseLine(int length, RingEvent e) throws Refused {
        int end = length;
        while (end > 0 && isSpace(chars[end - 1])) {
            end--;
        }
        int start = 0;
        while (start < end && isSpace(chars[start])) {
            start++;
        }
        for (int i = start; i < end; i++) {
            if (chars[i] == '\n' || chars[i] == '\r') {
                throw Refused.of(e, "body", "one command per alert: the text holds more than one line");
            }
            if (chars[i] < ' ' || chars[i] > '~') {
                throw Refused.of(e, "body", "must be printable ASCII text such as KEY,buy,EURUSD,risk=1");
            }
        }
        int field = 0;
        boolean sawVolume = false;
        int pos = start;
        while (pos <= end) {
            int comma = pos;
            while (comma < end && chars[comma] != ',') {
                comma++;
            }
            int s = pos;
            int len = comma - pos;
            while (len > 0 && chars[s] == ' ') {
                s++;
                len--;
            }
            while (len > 0 && chars[s + len - 1] == ' ') {
                len--;
            }
            switch (field) {
                case 0:
                    key(s, len, e);
                    break;
                case 1:
                    command(s, len, e);
                    break;
                case 2:
                    if (len > 0 || e.action != Action.CLOSE_ALL) {
                        if (!Symbols.set(chars, s, len, e, "symbol")) {
                            throw Refused.INSTANCE;
                        }
                    }
                    break;
                default:
                    if (len > 0) {
                        sawVolume |= parameter(s, len, e);
                    }
            }
            field++;
            pos = comma + 1;
        }
        if (field < 2) {
            throw Refused.of(e, "command", "is required: KEY,command,SYMBOL[,param=value…] such as KEY,buy,EURUSD,risk=1");
        }
        if (field < 3 && e.action != Action.CLOSE_ALL) {
            throw Refused.of(e, "symbol", "is required after the command");
        }
        if (e.action.isEntry() && !sawVolume) {
            throw Refused.of(e, "risk", "is required to open a position: risk= (lots) or vol_lots=");
        }
        if ((e.orderType == OrderType.LIMIT || e.orderType == OrderType.STOP) && !(e.orderPrice > 0)) {
            throw Refused.of(e, "price", "is required for a pending order: price=");
        }
        if (e.orderType == OrderType.MARKET && e.orderPrice > 0) {
            // On a market order price= is the trader's reference price, not a limit.
            e.price = e.orderPrice;
            e.orderPrice = 0;
        }
        if (!AlertChecks.check(e, FIELDS)) {
            throw Refused.INSTANCE;
        }
    }

    private void key(int s, int len, RingEvent e) throws Refused {
        if (e.keyPresent) {
            return;
        }
        if (len == 0 || !hasher.hash(chars, s, len, e.keyHash)) {
            throw Refused.of(e, "api_key", "the first field must be the account's API key");
        }
        e.keyPresent = true;
    }

    private void command(int s, int len, RingEvent e) throws Refused {
        if (eq(s, len, "buy") || eq(s, len, "long")) {
            entry(e, Side.BUY, OrderType.MARKET);
        } else if (eq(s, len, "sell") || eq(s, len, "short")) {
            entry(e, Side.SELL, OrderType.MARKET);
        } else if (eq(s, len, "buylimit")) {
            entry(e, Side.BUY, OrderType.LIMIT);
        } else if (eq(s, len, "selllimit")) {
            entry(e, Side.SELL, OrderType.LIMIT);
        } else if (eq(s, len, "buystop")) {
            entry(e, Side.BUY, OrderType.STOP);
        } else if (eq(s, len, "sellstop")) {
            entry(e, Side.SELL, OrderType.STOP);
        } else if (eq(s, len, "closelong")) {
            e.action = Action.CLOSE_LONG;
        } else if (eq(s, len, "closeshort")) {
            e.action = Action.CLOSE_SHORT;
        } else if (eq(s, len, "closelongshort")) {
            e.action = Action.CLOSE;
        } else if (eq(s, len, "closeall")) {
            e.action = Action.CLOSE_ALL;
        } else if (eq(s, len, "cancellong")) {
            e.action = Action.CANCEL;
            e.side = Side.BUY;
        } else if (eq(s, len, "cancelshort")) {
            e.action = Action.CANCEL;
            e.side = Side.SELL;
        } else if (eq(s, len, "newsltplong")) {
            e.action = Action.MODIFY;
            e.side = Side.BUY;
        } else if (eq(s, len, "newsltpshort")) {
            e.action = Action.MODIFY;
            e.side = Side.SELL;
        } else {
            throw Refused.of(e, "command", "must be one of buy, sell, long, short, buylimit, selllimit, buystop, sellstop,"
                    + " closelong, closeshort, closelongshort, closeall, cancellong, cancelshort, newsltplong, newsltpshort");
        }
    }

    private static void entry(RingEvent e, Side side, OrderType type) {
        e.action = Action.OPEN;
        e.side = side;
        e.orderType = type;
    }

    /** Reads one {@code name=value}; returns true when it set the volume. */
    private boolean parameter(int s, int len, RingEvent e) throws Refused {
        int eq = s;
        while (eq < s + len && chars[eq] != '=') {
            eq++;
        }
        int nameLength = eq - s;
        while (nameLength > 0 && chars[s + nameLength - 1] == ' ') {
            nameLength--;
        }
        if (eq == s + len || nameLength == 0) {
            throw Refused.of(e, "body", "parameters are name=value, such as risk=1");
        }
        int vs = eq + 1;
        int vl = s + len - vs;
        if (eq(s, nameLength, "comment")) {
            // The trader's label for the alert: kept as its strategy tag for analytics, never routed on.
            comment(vs, vl, e);
            return false;
        }
        if (eq(s, nameLength, "secret")) {
            // PineConnector's EA-side secret: nothing to route on.
            return false;
        }
        if (eq(s, nameLength, "risk") || eq(s, nameLength, "vol_lots")) {
            e.quantity = positive(vs, vl, e, eq(s, nameLength, "risk") ? "risk" : "vol_lots");
            e.sizeMode = SizeMode.QTY;
            return true;
        }
        if (eq(s, nameLength, "sl") || eq(s, nameLength, "sl_pips")) {
            e.stopLossMode = StopMode.PIPS;
            e.stopLossValue = positive(vs, vl, e, eq(s, nameLength, "sl") ? "sl" : "sl_pips");
        } else if (eq(s, nameLength, "tp") || eq(s, nameLength, "tp_pips")) {
            e.takeProfitMode = StopMode.PIPS;
            e.takeProfitValue = positive(vs, vl, e, eq(s, nameLength, "tp") ? "tp" : "tp_pips");
        } else if (eq(s, nameLength, "sl_pct")) {
            e.stopLossMode = StopMode.PERCENT;
            e.stopLossValue = positive(vs, vl, e, "sl_pct");
        } else if (eq(s, nameLength, "tp_pct")) {
            e.takeProfitMode = StopMode.PERCENT;
            e.takeProfitValue = positive(vs, vl, e, "tp_pct");
        } else if (eq(s, nameLength, "price")) {
            e.orderPrice = positive(vs, vl, e, "price");
        } else {
            throw Refused.of(e, new String(chars, s, nameLength), "is not a known parameter: use risk, vol_lots, sl, tp,"
                    + " sl_pips, tp_pips, sl_pct, tp_pct, price, comment or secret");
        }
        return false;
    }

    /** PineConnector's own examples quote the comment ({@code comment="breakout"}): the quotes are not the tag. */
    private void comment(int s, int len, RingEvent e) throws Refused {
        while (len > 0 && chars[s] == ' ') {
            s++;
            len--;
        }
        if (len >= 2 && chars[s] == '"' && chars[s + len - 1] == '"') {
            s++;
            len -= 2;
        }
        StrategyTag.set(chars, s, len, e, "comment");
    }

    private double positive(int s, int len, RingEvent e, String field) throws Refused {
        double v = TextNumbers.parseDouble(chars, s, len);
        if (Double.isNaN(v)) {
            throw Refused.of(e, field, "must be a number");
        }
        if (!(v > 0)) {
            throw Refused.of(e, field, "must be greater than 0");
        }
        return v;
    }

    private boolean eq(int s, int len, String word) {
        return Ascii.equalsIgnoreCase(chars, s, len, word);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
