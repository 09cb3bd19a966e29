package io.tradeflow.core.alert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tradeflow.core.event.RingEvent;

import java.io.IOException;

/**
 * Reads the strategy tag an alert may carry into {@link RingEvent#strategy}: printable ASCII of at
 * most {@link RingEvent#STRATEGY_CAPACITY} characters once surrounding spaces are trimmed. Blank
 * or null means untagged, because TradingView leaves an unset placeholder empty.
 */
final class StrategyTag {
    static final String RULE = "must be printable text of at most " + RingEvent.STRATEGY_CAPACITY + " characters";

    private StrategyTag() {
    }

    /** Reads a JSON value; anything but a string or null is refused naming {@code field}. */
    static void read(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Refused {
        if (value == JsonToken.VALUE_NULL) {
            e.strategy.clear();
            return;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw Refused.of(e, field, RULE);
        }
        set(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), e, field);
    }

    /** Stores {@code chars[offset, offset+length)} trimmed; refuses naming {@code field} when it does not fit. */
    static void set(char[] chars, int offset, int length, RingEvent e, String field) throws Refused {
        int start = offset;
        int end = offset + length;
        while (start < end && chars[start] == ' ') {
            start++;
        }
        while (end > start && chars[end - 1] == ' ') {
            end--;
        }
        if (!e.strategy.set(chars, start, end - start, false)) {
            throw Refused.of(e, field, RULE);
        }
    }
}
