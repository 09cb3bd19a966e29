package io.tradeflow.http.api;

import java.util.HashMap;
import java.util.Map;

/**
 * One dashboard endpoint: method, path template under the base path ({@code /api/accounts/{id}}),
 * who may call it and its handler. Templates match segment by segment; {@code {name}} matches
 * any one segment.
 */
public record Route(String method, String template, Access access, Handler handler) {
    /** The path parameters when {@code path} matches the template, else null. */
    Map<String, String> match(String[] pathSegments) {
        String[] parts = segments(template);
        if (parts.length != pathSegments.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                if (pathSegments[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>();
                }
                params.put(part.substring(1, part.length() - 1), pathSegments[i]);
            } else if (!part.equals(pathSegments[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    static String[] segments(String path) {
        return path.substring(1).split("/", -1);
    }
}
