package io.tradeflow.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access for a separately hosted frontend ({@code http.cors-origins}): exact origins
 * only, with credentials (the API is called with {@code Authorization}). A listed origin's
 * preflight is answered 204 with the methods and headers the API uses; every answer to a request
 * from a listed origin carries {@code Access-Control-Allow-Origin} with that origin. Anything else
 * gets no CORS header, and a preflight from an unlisted origin is refused 403 as before. Empty
 * list: no cross-origin access at all (the built-in dashboard is same-origin).
 */
final class CorsPolicy {
    static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key";
    /** How long a browser may cache a preflight answer, in seconds. */
    static final String MAX_AGE = "600";

    private final Set<String> origins;

    CorsPolicy(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    boolean enabled() {
        return !origins.isEmpty();
    }

    /** Whether the request's {@code Origin} is listed (compared case-insensitively, as origins are). */
    boolean allows(String origin) {
        return origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /** A CORS preflight: OPTIONS with {@code Access-Control-Request-Method}. */
    static boolean isPreflight(FullHttpRequest request) {
        return request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** The headers a preflight answer adds to those {@link Headers} puts on every answer. */
    static void preflightHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    }

    /**
     * Puts the CORS headers on the answers to requests from listed origins. Sits between the
     * aggregator and the router: it sees each complete request and, in the same order (HTTP/1.1
     * answers in request order, which {@link RequestRouter} keeps), each answer.
     */
    final class Headers extends ChannelDuplexHandler {
        private static final String NONE = "";
        private final ArrayDeque<String> pending = new ArrayDeque<>(4);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof FullHttpRequest request) {
                String origin = request.headers().get(HttpHeaderNames.ORIGIN);
                pending.add(allows(origin) ? origin : NONE);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse response && response.status().code() >= 200) {
                String origin = pending.poll();
                HttpHeaders headers = response.headers();
                if (origin != null && !origin.isEmpty()) {
                    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                            .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                            .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
                }
                // Answers differ by Origin whenever CORS is on: caches must keep them apart.
                headers.add(HttpHeaderNames.VARY, "Origin");
            }
            super.write(ctx, msg, promise);
        }
    }
}
