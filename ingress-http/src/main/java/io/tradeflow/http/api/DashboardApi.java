package io.tradeflow.http.api;

import io.tradeflow.http.response.Responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.tradeflow.service.security.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.sql.SQLException;
import java.time.Instant;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard API: matches a request to its {@link Route}, authenticates the caller and runs the
 * handler on a small executor, because handlers talk to PostgreSQL and wait for the ring; the
 * Netty event loop only copies the request and, later, writes the answer. A full executor answers
 * 503 at once.
 */
public final class DashboardApi implements AutoCloseable {
    public static final String BASE = "/api/unify/v1";
    private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private final List<Route> routes;
    private final TokenService tokens;
    private final ObjectMapper json = new ObjectMapper();
    private final ThreadPoolExecutor executor;
    private final AtomicLong errorSequence = new AtomicLong();

    /** Whether a verified access token of a user, issued at a time, still stands (a password change ends older ones). */
    @FunctionalInterface
    public interface SessionCheck {
        boolean stillValid(long userId, Instant issuedAt);

        SessionCheck ANY = (userId, issuedAt) -> true;
    }

    private final SessionCheck sessions;

    public DashboardApi(List<Route> routes, TokenService tokens) {
        this(routes, tokens, SessionCheck.ANY);
    }

    public DashboardApi(List<Route> routes, TokenService tokens, SessionCheck sessions) {
        this.routes = List.copyOf(routes);
        this.tokens = tokens;
        this.sessions = sessions;
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "tradeflow-dashboard");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        // Made now, by the thread assembling the server: made on first use they would be children of the
        // HTTP event loop and inherit its CPUs, which threads.router-cpus keeps for the event loop and the ring.
        executor.prestartAllCoreThreads();
    }

    public List<Route> routes() {
        return routes;
    }

    /** Whether the path belongs to the dashboard (the webhook is matched before this). */
    public boolean handles(String path) {
        return path.startsWith(BASE + "/") || path.equals(DocsRoutes.OPENAPI_PATH) || path.equals(DocsRoutes.DOCS_PATH)
                || path.startsWith(DocsRoutes.DOCS_PATH + "/");
    }

    /** On the event loop: copy what the handler needs, then hand it to the executor. */
    public void onRequest(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        ApiRequest copy = new ApiRequest(request.method().name(), path, query.parameters(),
                request.headers().get(HttpHeaderNames.AUTHORIZATION), address(ctx.channel().remoteAddress()),
                baseUrl(request), ByteBufUtil.getBytes(request.content()), Map.of(), refreshCookie(request))
                .withStripeSignature(request.headers().get("Stripe-Signature"));
        try {
            executor.execute(() -> write(ctx, dispatch(copy), keepAlive));
        } catch (RejectedExecutionException busy) {
            Responses.sendError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "OVERLOADED",
                    "the dashboard is busy; retry shortly", null, keepAlive);
        }
    }

    /** Finds the route, checks access and runs the handler; every failure becomes a JSON error. */
    ApiResponse dispatch(ApiRequest request) {
        try {
            String[] segments = Route.segments(request.path());
            boolean pathMatched = false;
            for (Route route : routes) {
                Map<String, String> params = route.match(segments);
                if (params == null) {
                    continue;
                }
                pathMatched = true;
                if (route.method().equals(request.method())) {
                    Caller caller = authenticate(route.access(), request);
                    ApiRequest matched = request.withPathParams(params);
                    if (!matched.method().equals("GET")) {
                        // A body that is not a JSON object is refused the same way on every route.
                        matched.body();
                    }
                    return route.handler().handle(matched, caller);
                }
            }
            if (pathMatched) {
                throw new ApiException(405, "METHOD_NOT_ALLOWED", null, request.method() + " is not allowed here");
            }
            throw new ApiException(404, "NOT_FOUND", null, "no such endpoint");
        } catch (ApiException e) {
            return error(e);
        } catch (NoSuchElementException e) {
            return error(ApiException.notFound("resource"));
        } catch (RuntimeException e) {
            if (databaseUnavailable(e)) {
                LOG.warn("dashboard request {} {} refused: database unavailable", request.method(), request.path());
                return error(new ApiException(503, "DATABASE_UNAVAILABLE", null,
                        "the dashboard's database is unavailable; alerts are still routed. Retry shortly"));
            }
            String id = "err_" + errorSequence.incrementAndGet();
            LOG.error("dashboard request {} {} failed ({})", request.method(), request.path(), id, e);
            return error(new ApiException(500, "INTERNAL_ERROR", null, "internal error " + id));
        }
    }

    /**
     * Whether the failure is the database being unreachable (pool timeout, a connection-class SQL
     * state 08xxx, or a server shutting down 57P0x), as opposed to a bug: the former is a 503 the
     * client can retry.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            String state = t instanceof SQLException ? ((SQLException) t).getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    private Caller authenticate(Access access, ApiRequest request) {
        if (access == Access.PUBLIC) {
            return null;
        }
        String header = request.authorization();
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("sign in: Authorization: Bearer <access token> is missing");
        }
        String token = header.substring(7).trim();
        Optional<TokenService.AccessClaims> claims = tokens.verify(token);
        if (claims.isEmpty()) {
            throw ApiException.unauthorized("the access token is invalid or expired");
        }
        Instant issuedAt = TokenService.issuedAt(token).orElse(Instant.EPOCH);
        if (!sessions.stillValid(claims.get().userId(), issuedAt)) {
            throw ApiException.unauthorized("this session ended when the password was changed; sign in again");
        }
        TokenService.AccessClaims c = claims.get();
        if (access == Access.ADMIN && c.admin() && !c.twoFactor()) {
            throw new ApiException(403, "TWO_FACTOR_REQUIRED", null, "admin routes need a session signed in with two-factor"
                    + " authentication: enrol at POST " + BASE + "/auth/2fa/totp/setup, then sign in again with a code");
        }
        // An admin's powers (other users' data) only come with a two-factor session.
        Caller caller = new Caller(c.userId(), c.admin() && c.twoFactor(), c.impersonatedBy(), c.twoFactor());
        if (access == Access.ADMIN && !caller.admin()) {
            throw ApiException.forbidden("admins only");
        }
        return caller;
    }

    private static ApiResponse error(ApiException e) {
        Map<String, Object> error = Json.obj("code", e.code(), "message", e.getMessage());
        if (e.field() != null) {
            error.put("field", e.field());
        }
        // "detail" repeats the message for FastAPI-style frontends, which read it there.
        return new ApiResponse(e.status(), Json.obj("success", false, "error", error, "detail", e.getMessage()), null, null);
    }

    private void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        byte[] bytes;
        try {
            bytes = response.raw() != null ? response.raw() : json.writeValueAsBytes(response.json());
        } catch (JsonProcessingException e) {
            LOG.error("could not serialise a dashboard answer", e);
            Responses.sendError(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                    "could not serialise the answer", null, keepAlive);
            return;
        }
        ByteBuf body = Unpooled.wrappedBuffer(bytes);
        FullHttpResponse http = Responses.json(HttpResponseStatus.valueOf(response.status()), body);
        if (response.contentType() != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            if (response.contentType().startsWith("text/html")) {
                http.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, DocsRoutes.DOCS_CONTENT_SECURITY_POLICY);
            }
        }
        response.headers().forEach((name, value) -> http.headers().add(name, value));
        Responses.send(ctx, http, keepAlive);
    }

    /** The value of the refresh-token cookie, or null (a malformed Cookie header counts as none). */
    private static String refreshCookie(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        try {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
                if (cookie.name().equals(AuthRoutes.REFRESH_COOKIE)) {
                    return cookie.value();
                }
            }
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        return null;
    }

    private static String address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }

    /** The externally visible base URL, for webhook URLs in answers (honours a TLS-terminating proxy). */
    private static String baseUrl(FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        String proto = request.headers().get("X-Forwarded-Proto", "http");
        return ("https".equalsIgnoreCase(proto) ? "https" : "http") + "://" + host;
    }

    /** Stops taking requests; queued ones still run (up to a few seconds). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Collects the routes of every resource. */
    public static List<Route> allRoutes(RouteSource... sources) {
        List<Route> all = new ArrayList<>();
        for (RouteSource source : sources) {
            all.addAll(source.routes());
        }
        return all;
    }
}
