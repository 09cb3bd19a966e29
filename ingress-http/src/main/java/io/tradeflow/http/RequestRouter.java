package io.tradeflow.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.tradeflow.http.mtx.MtxEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Routes each complete request: the webhook to {@link WebhookIngress}, health and readiness to
 * small JSON answers, anything else to a JSON 404/405. Never blocks the event loop.
 */
final class RequestRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String WEBHOOK_PREFIX = WebhookIngress.WEBHOOK_PATH + "/";

    private final WebhookIngress webhook;
    private final BooleanSupplier ready;
    private final Supplier<String> metrics;
    private final MtxEndpoints mtx;

    RequestRouter(WebhookIngress webhook, BooleanSupplier ready, Supplier<String> metrics, MtxEndpoints mtx) {
        this.webhook = webhook;
        this.ready = ready;
        this.metrics = metrics;
        this.mtx = mtx;
    }


    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            rejectMalformed(ctx, result.cause());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        HttpMethod method = request.method();

        if (path.equals(WebhookIngress.WEBHOOK_PATH) || path.startsWith(WEBHOOK_PREFIX)) {
            if (method != HttpMethod.POST) {
                Responses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                        "the webhook accepts POST only", null, keepAlive);
                return;
            }
            String broker = path.length() > WEBHOOK_PREFIX.length() ? path.substring(WEBHOOK_PREFIX.length()) : null;
            if (path.startsWith(WEBHOOK_PREFIX) && (broker == null || broker.indexOf('/') >= 0)) {
                notFound(ctx, keepAlive);
                return;
            }
            webhook.onAlert(ctx, request, broker, keepAlive);
        } else if (mtx != null && path.startsWith(MtxEndpoints.PREFIX)) {
            mtx.handle(ctx, request, path, keepAlive);
        } else if (path.equals("/health")) {
            simple(ctx, method, HttpResponseStatus.OK, "{\"status\":\"UP\"}", keepAlive);
        } else if (path.equals("/ready")) {
            boolean isReady = ready.getAsBoolean();
            simple(ctx, method, isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    isReady ? "{\"status\":\"READY\"}" : "{\"status\":\"STARTING\"}", keepAlive);
        } else if (path.equals("/metrics")) {
            simple(ctx, method, HttpResponseStatus.OK, metrics.get(), PROMETHEUS_TEXT, keepAlive);
        } else {
            notFound(ctx, keepAlive);
        }
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
