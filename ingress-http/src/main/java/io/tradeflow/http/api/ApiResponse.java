package io.tradeflow.http.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A handler's answer: a status and either a value serialised as JSON or raw bytes with their
 * content type (the OpenAPI document, the Swagger UI page), plus any extra headers (the
 * dashboard's refresh cookie).
 */
public record ApiResponse(int status, Object json, byte[] raw, String contentType, Map<String, String> headers) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, Object json, byte[] raw, String contentType) {
        this(status, json, raw, contentType, Map.of());
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, null, null);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, null, null);
    }

    public static ApiResponse raw(String contentType, byte[] bytes) {
        return new ApiResponse(200, null, bytes, contentType);
    }

    public static ApiResponse html(String page) {
        return raw("text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    /** The same answer with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, json, raw, contentType, more);
    }
}
