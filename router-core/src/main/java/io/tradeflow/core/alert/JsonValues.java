package io.tradeflow.core.alert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tradeflow.core.event.Ascii;
import io.tradeflow.core.event.RingEvent;

import java.io.IOException;

/** Reads scalar JSON values the forgiving way TradingView needs: numbers and booleans may be strings. */
final class JsonValues {
    private JsonValues() {
    }

    static double number(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Refused {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_STRING) {
            double v = TextNumbers.parseDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (!Double.isNaN(v)) {
                return v;
            }
        }
        throw Refused.of(e, field, "must be a number");
    }

    static long time(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Refused {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_STRING) {
            long t = TextNumbers.parseTime(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (t >= 0) {
                return t;
            }
        }
        throw Refused.of(e, field, "must be an ISO-8601 UTC time such as 2026-11-23T14:00:00Z, or epoch milliseconds");
    }

    /** Whether the current token is a string equal to {@code word}, ignoring ASCII case. */
    static boolean is(JsonParser p, JsonToken value, String word) throws IOException {
        return value == JsonToken.VALUE_STRING
                && Ascii.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), word);
    }

    /** An empty string or null stands for "not given": TradingView leaves unset placeholders empty. */
    static boolean isAbsent(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return true;
        }
        if (value != JsonToken.VALUE_STRING) {
            return false;
        }
        char[] c = p.getTextCharacters();
        int o = p.getTextOffset();
        for (int i = 0; i < p.getTextLength(); i++) {
            if (c[o + i] != ' ') {
                return false;
            }
        }
        return true;
    }

    /** Trims spaces, checks the symbol alphabet and stores it upper-cased. */
    static void symbol(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Refused {
        if (value != JsonToken.VALUE_STRING) {
            throw Refused.of(e, field, "must be text such as EURUSD");
        }
        if (!Symbols.set(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), e, field)) {
            throw Refused.INSTANCE;
        }
    }
}
