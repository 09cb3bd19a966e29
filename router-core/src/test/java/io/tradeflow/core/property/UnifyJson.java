package io.tradeflow.core.property;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import java.time.Instant;
import java.util.Locale;

/** Writes a parsed intent back as a unify.v1 body, for the parse → serialise → parse property. */
final class UnifyJson {
    private UnifyJson() {
    }

    static String write(RingEvent e) {
        StringBuilder s = new StringBuilder("{\"version\":\"unify.v1\"");
        if (!e.clientId.isEmpty()) {
            s.append(",\"id\":\"").append(e.clientId).append('"');
        }
        if (e.signalTimeMillis != 0) {
            s.append(",\"ts\":\"").append(Instant.ofEpochMilli(e.signalTimeMillis)).append('"');
        }
        s.append(",\"intent\":{\"action\":\"").append(e.action.wireName()).append('"');
        if (e.side != null) {
            s.append(",\"side\":\"").append(e.side.wireName()).append('"');
        }
        s.append(",\"type\":\"").append(e.orderType.wireName()).append('"');
        if (!e.symbol.isEmpty()) {
            s.append(",\"symbol\":\"").append(e.symbol).append('"');
        }
        if (e.sizeMode == SizeMode.QTY) {
            if (e.quantity != 0) {
                s.append(",\"qty\":").append(num(e.quantity));
            }
        } else {
            s.append(",\"size\":{\"mode\":\"").append(e.sizeMode.wireName()).append("\",\"value\":").append(num(e.quantity)).append('}');
        }
        if (e.orderType == OrderType.LIMIT) {
            s.append(",\"price\":").append(num(e.orderPrice));
        } else {
            if (e.price != 0) {
                s.append(",\"price\":").append(num(e.price));
            }
            if (e.orderType == OrderType.STOP) {
                s.append(",\"stop_price\":").append(num(e.orderPrice));
            }
        }
        stop(s, "sl", e.stopLossMode, e.stopLossValue);
        stop(s, "tp", e.takeProfitMode, e.takeProfitValue);
        if (e.addToPosition && e.action == Action.OPEN) {
            s.append(",\"add\":true");
        }
        return s.append("}}").toString();
    }

    private static void stop(StringBuilder s, String name, StopMode mode, double value) {
        if (mode != StopMode.NONE) {
            s.append(",\"").append(name).append("\":{\"mode\":\"").append(mode.wireName()).append("\",\"value\":")
                    .append(num(value)).append('}');
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
