package io.tradeflow.http.api;

/**
 * A refusal with its HTTP status, error code and, for bad input, the field at fault. Thrown by
 * handlers and turned into {@code {"success":false,"error":{"code","message","field"}}}.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "INVALID_INPUT", field, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", null, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", null, message);
    }

    /** Also the answer for another user's id: whether it exists is none of the caller's business. */
    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", null, what + " not found");
    }

    public static ApiException conflict(String code, String field, String message) {
        return new ApiException(409, code, field, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }
}
