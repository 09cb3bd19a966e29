package io.tradeflow.http.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A dashboard request copied off the Netty buffers on the event loop, so the handler can run on
 * another thread after the original request is released. Accessors validate and answer 400 with
 * the name of the parameter at fault.
 */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final String authorization;
    private final String clientAddress;
    private final String baseUrl;
    private final byte[] body;
    private final Map<String, String> pathParams;
    private final String refreshCookie;
    private JsonBody parsedBody;
    private String stripeSignature;

    public ApiRequest(String method, String path, Map<String, List<String>> query, String authorization,
                      String clientAddress, String baseUrl, byte[] body, Map<String, String> pathParams) {
        this(method, path, query, authorization, clientAddress, baseUrl, body, pathParams, null);
    }

    /** @param refreshCookie the dashboard's refresh-token cookie ({@link AuthRoutes#REFRESH_COOKIE}), or null */
    public ApiRequest(String method, String path, Map<String, List<String>> query, String authorization,
                      String clientAddress, String baseUrl, byte[] body, Map<String, String> pathParams,
                      String refreshCookie) {
        this.refreshCookie = refreshCookie;
        this.method = method;
        this.path = path;
        this.query = query;
        this.authorization = authorization;
        this.clientAddress = clientAddress;
        this.baseUrl = baseUrl;
        this.body = body;
        this.pathParams = pathParams;
    }

    ApiRequest withPathParams(Map<String, String> params) {
        ApiRequest copy = new ApiRequest(method, path, query, authorization, clientAddress, baseUrl, body, params,
                refreshCookie);
        copy.stripeSignature = stripeSignature;
        return copy;
    }

    /** Sets the {@code Stripe-Signature} header the billing webhook verifies. */
    public ApiRequest withStripeSignature(String header) {
        this.stripeSignature = header;
        return this;
    }

    /** The {@code Stripe-Signature} header, or null. */
    public String stripeSignature() {
        return stripeSignature;
    }

    /** The body exactly as received (UTF-8), for signature checks that must see the bytes unparsed. */
    public String rawBody() {
        return body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The refresh token the browser sent in its HttpOnly cookie, or null. */
    public String refreshCookie() {
        return refreshCookie;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The Authorization header, or null. */
    public String authorization() {
        return authorization;
    }

    /** The client's IP address (for login throttling). */
    public String clientAddress() {
        return clientAddress;
    }

    /** The server's URL as the client reached it, e.g. {@code https://tradeflow.example.com}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The JSON object body; an empty body reads as {@code {}}. */
    public JsonBody body() {
        if (parsedBody == null) {
            parsedBody = JsonBody.parse(body);
        }
        return parsedBody;
    }

    /** A positive numeric id from the path; anything else is a 400 naming the parameter. */
    public long pathId(String name) {
        String value = pathParams.get(name);
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name, name + " must be a positive integer");
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The single value of a query parameter, or null when absent. */
    public String query(String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.invalid(name, name + " may be given once");
        }
        return values.get(0);
    }

    /** A positive id from the query, or null when absent. */
    public Long queryId(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name, name + " must be a positive integer");
    }

    public int queryInt(String name, int defaultValue, int min, int max) {
        String value = query(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name, name + " must be an integer from " + min + " to " + max);
    }

    /** An ISO-8601 instant ({@code 2026-11-23T14:00:00Z}) from the query, or null when absent. */
    public Instant queryInstant(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, name + " must be an ISO-8601 UTC time like 2026-11-23T14:00:00Z");
        }
    }

    /** One of the allowed values, or null when absent. */
    public String queryOneOf(String name, Set<String> allowed) {
        String value = query(name);
        if (value != null && !allowed.contains(value)) {
            throw ApiException.invalid(name, name + " must be one of " + String.join(", ", new TreeSet<>(allowed)));
        }
        return value;
    }

    public boolean queryFlag(String name) {
        String value = query(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw ApiException.invalid(name, name + " must be true or false");
    }
}
