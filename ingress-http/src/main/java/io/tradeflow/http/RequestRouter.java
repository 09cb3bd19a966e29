package io.tradeflow.http;

import io.tradeflow.http.response.Responses;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.tradeflow.http.api.DashboardApi;
import io.tradeflow.http.ws.LiveEndpoint;
import io.tradeflow.http.mtx.MtxEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Routes each complete request: the webhook to {@link WebhookIngress}, health and readiness to
 * small JSON answers, the web dashboard's files to {@link StaticAssets}, the dashboard API to
 * {@link DashboardApi} (which runs its handlers off the event loop), anything else to a JSON
 * 404/405. Never blocks the event loop.
 */
final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String WEBHOOK_PREFIX = WebhookIngress.WEBHOOK_PATH + "/";
    /** Requests a client may pipeline behind an unanswered alert before its connection is closed. */
    private static final int MAX_PIPELINED = 16;
    static final String IDLE = "idle";
    static final String DEADLINE_RAW = "deadline-raw";
    static final String DEADLINE_END = "deadline-end";
    static final String AGGREGATOR = "aggregator";
    static final String CORS = "cors";
    static final String ROUTER = "router";

    private final WebhookIngress webhook;
    private final PerIpRateLimiter perIp;
    private final SourceAllowlist allowedSources;
    private final DashboardApi dashboard;
    private final OpsEndpoints ops;
    private final MtxEndpoints mtx;
    private final CorsPolicy cors;
    /** The webhook log's copies of bodies and answers; null keeps none. */
    private final WebhookCapture capture;
    private final StaticAssets assets;
    private final LiveEndpoint live;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(4);
    private boolean alertInFlight;
    /** Answers this connection's alerts from the ring, then serves what waited behind them; made once per connection. */
    private WebhookReply reply;
    /** The peer's address bytes, read once per connection and copied into each alert's event. */
    private byte[] peer;

    RequestRouter(WebhookIngress webhook, PerIpRateLimiter perIp, SourceAllowlist allowedSources,
                  DashboardApi dashboard, OpsEndpoints ops, MtxEndpoints mtx, CorsPolicy cors, WebhookCapture capture,
                  StaticAssets assets, LiveEndpoint live) {
        this.live = live;
        this.cors = cors;
        this.capture = capture;
        this.webhook = webhook;
        this.perIp = perIp;
        this.allowedSources = allowedSources;
        this.dashboard = dashboard;
        this.ops = ops;
        this.mtx = mtx;
        this.assets = assets;
    }


    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        reply = new WebhookReply(ctx, () -> onAnswered(ctx), capture);
        peer = PeerAddress.of(ctx.channel());
    }

    /**
     * One request at a time per connection: while an alert waits for the ring, pipelined requests
     * behind it wait here, so every connection gets its answers in the order it sent the requests
     * (HTTP/1.1 has no other way to match them).
     */
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (alertInFlight) {
            if (waiting.size() >= MAX_PIPELINED) {
                ctx.close();
                return;
            }
            waiting.add(request.retain());
            return;
        }
        alertInFlight = route(ctx, request);
    }

    /** Runs on the event loop once the alert in flight is answered: serves the requests behind it. */
    private void onAnswered(ChannelHandlerContext ctx) {
        alertInFlight = false;
        FullHttpRequest next;
        while (!alertInFlight && (next = waiting.poll()) != null) {
            try {
                alertInFlight = route(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        FullHttpRequest left;
        while ((left = waiting.poll()) != null) {
            left.release();
        }
        super.channelInactive(ctx);
    }

    /** Answers or forwards the request; true when the answer comes later, from the ring. */
    private boolean route(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            rejectMalformed(ctx, result.cause());
            return false;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        int retryAfter = perIp.acquire(ctx.channel().remoteAddress(), System.currentTimeMillis());
        if (retryAfter > 0) {
            // Shed before parsing or touching the ring: not journaled, like a full ring's 503.
            FullHttpResponse refused = Responses.json(HttpResponseStatus.TOO_MANY_REQUESTS, Responses.error(ctx.alloc(),
                    "RATE_LIMITED", "too many requests from this address; retry after " + retryAfter + " s", null));
            refused.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfter);
            Responses.send(ctx, refused, keepAlive);
            return false;
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS) {
            if (CorsPolicy.isPreflight(request) && cors.allows(request.headers().get(HttpHeaderNames.ORIGIN))) {
                // A listed frontend origin (http.cors-origins): CorsPolicy.Headers adds the origin and credentials.
                FullHttpResponse preflight = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
                CorsPolicy.preflightHeaders(preflight.headers());
                Responses.send(ctx, preflight, keepAlive);
                return false;
            }
            // Otherwise no cross-origin access is granted: the webhook is called server to server and the
            // dashboard is served from the same origin, so such a preflight never succeeds.
            Responses.sendError(ctx, HttpResponseStatus.FORBIDDEN, "CORS_FORBIDDEN",
                    "cross-origin requests are not allowed from this origin", null, keepAlive);
            return false;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);

        if (path.equals(WebhookIngress.WEBHOOK_PATH) || path.startsWith(WEBHOOK_PREFIX)) {
            if (!allowedSources.allows(ctx.channel().remoteAddress())) {
                // Before the ring, like the other address checks: a stranger's request is not an alert.
                Responses.sendError(ctx, HttpResponseStatus.FORBIDDEN, "SOURCE_NOT_ALLOWED",
                        "alerts are not accepted from this address", null, false);
                return false;
            }
            if (method != HttpMethod.POST) {
                Responses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                        "the webhook accepts POST only", null, keepAlive);
                return false;
            }
            String broker = path.length() > WEBHOOK_PREFIX.length() ? path.substring(WEBHOOK_PREFIX.length()) : null;
            if (path.startsWith(WEBHOOK_PREFIX) && (broker == null || broker.indexOf('/') >= 0)) {
                notFound(ctx, keepAlive);
                return false;
            }
            return webhook.onAlert(ctx, request, broker, keepAlive, reply, peer);
        } else if (mtx != null && path.startsWith(MtxEndpoints.PREFIX)) {
            mtx.handle(ctx, request, path, keepAlive);
        } else if (path.equals("/health")) {
            simple(ctx, method, HttpResponseStatus.OK, "{\"status\":\"UP\"}", keepAlive);
        } else if (path.equals("/ready")) {
            // Routing does not need the database, so its outage is reported but keeps the router ready.
            // A journal failure stops the router (fail-stop): not ready, with the reason, until a restart.
            String failure = ops.failure().get();
            boolean isReady = failure == null && ops.ready().getAsBoolean();
            String database = ops.databaseUp().getAsBoolean() ? "UP" : "DOWN";
            String status = failure != null ? "FAILED" : isReady ? "READY" : "STARTING";
            simple(ctx, method, isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "{\"status\":\"" + status + "\",\"database\":\"" + database + "\""
                            + (failure == null ? "" : ",\"reason\":" + jsonString(failure)) + "}",
                    keepAlive);
        } else if (path.equals("/metrics")) {
            simple(ctx, method, HttpResponseStatus.OK, ops.metrics().get(), PROMETHEUS_TEXT, keepAlive);
        } else if (live != null && live.handles(path)) {
            live.upgrade(ctx, request, path, () -> toWebSocket(ctx));
        } else if (assets.handles(path)) {
            assets.serve(ctx, request, path, keepAlive);
        } else if (dashboard.handles(path)) {
            dashboard.onRequest(ctx, request, path, keepAlive);
        } else {
            notFound(ctx, keepAlive);
        }
        return false;
    }

    /** Removes the handlers only HTTP requests need; the WebSocket handshake then replaces the codec. */
    private void toWebSocket(ChannelHandlerContext ctx) {
        for (String name : new String[] {IDLE, DEADLINE_RAW, DEADLINE_END, AGGREGATOR, CORS}) {
            if (ctx.pipeline().get(name) != null) {
                ctx.pipeline().remove(name);
            }
        }
        FullHttpRequest left;
        while ((left = waiting.poll()) != null) {
            left.release();
        }
        ctx.pipeline().remove(this);
    }

    private static String jsonString(String text) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static void simple(ChannelHandlerContext ctx, HttpMethod method, HttpResponseStatus status, String json,
                               boolean keepAlive) {
        simple(ctx, method, status, json, HttpHeaderValues.APPLICATION_JSON.toString(), keepAlive);
    }

    private static void simple(ChannelHandlerContext ctx, HttpMethod method, HttpResponseStatus status, String body,
                               String contentType, boolean keepAlive) {
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            Responses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                    "use GET", null, keepAlive);
            return;
        }
        ByteBuf content = ctx.alloc().buffer(body.length());
        content.writeCharSequence(body, StandardCharsets.UTF_8);
        FullHttpResponse response = Responses.json(status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        Responses.send(ctx, response, keepAlive);
    }

    private static void notFound(ChannelHandlerContext ctx, boolean keepAlive) {
        Responses.sendError(ctx, HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint", null, keepAlive);
    }

    private static void rejectMalformed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            Responses.sendError(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "HEADERS_TOO_LARGE",
                    "request headers are too large", null, false);
        } else if (cause instanceof TooLongHttpLineException) {
            Responses.sendError(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "URI_TOO_LONG",
                    "request line is too long", null, false);
        } else {
            Responses.sendError(ctx, HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST",
                    "malformed HTTP request", null, false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection-level failures (resets, TLS noise) are routine on the internet: log quietly.
        LOG.debug("closing connection after error: {}", cause.toString());
        ctx.close();
    }
}
