package io.tradeflow.http.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds response objects with explicit wire names, in the order given. */
final class Json {
    private Json() {
    }

    /** {@code obj("a", 1, "b", "x")} → {@code {"a":1,"b":"x"}}; Instants become ISO-8601 strings. */
    static Map<String, Object> obj(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            map.put((String) namesAndValues[i], value instanceof Instant instant ? instant.toString() : value);
        }
        return map;
    }
}
