package io.tradeflow.http.api;

import java.nio.charset.StandardCharsets;

/**
 * A handler's answer: a status and either a value serialised as JSON or raw bytes with their
 * content type (the OpenAPI document, the Swagger UI page).
 */
public record ApiResponse(int status, Object json, byte[] raw, String contentType) {
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
}
