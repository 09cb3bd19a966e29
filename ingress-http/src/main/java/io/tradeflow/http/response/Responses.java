package io.tradeflow.http.response;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Builds and sends JSON responses, including the error shape of the webhook contract. */
public final class Responses {
    private Responses() {
    }

    /**
     * {@code {"success":false,"error":{"code":…,"message":…,"field":…},"detail":…}}: {@code detail}
     * repeats the message for FastAPI-style frontends, which read it there.
     */
    public static ByteBuf error(ByteBufAllocator alloc, String code, String message, String field) {
        ByteBuf buf = alloc.buffer(160);
        JsonOut json = new JsonOut(buf).beginObject().field("success", false).name("error").beginObject()
                .field("code", code).field("message", message);
        if (field != null) {
            json.field("field", field);
        }
        json.endObject().field("detail", message).endObject();
        return buf;
    }

    public static FullHttpResponse json(HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                // Every answer is JSON for programs: nothing may be sniffed, framed, embedded,
                // leak a referrer or be read cross-origin (no Access-Control-Allow-Origin, ever).
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'")
                .set("Referrer-Policy", "no-referrer")
                .set("Cross-Origin-Resource-Policy", "same-origin");
        return response;
    }

    /** Sends the response, keeping the connection open only when the client wants that. */
    public static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    public static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message,
                                 String field, boolean keepAlive) {
        send(ctx, json(status, error(ctx.alloc(), code, message, field)), keepAlive);
    }
}
