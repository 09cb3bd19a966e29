package io.tradeflow.http;

import io.tradeflow.http.response.Responses;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * An absolute deadline per request ({@code http.request-timeout}): the clock starts at the first
 * byte of a request and stops when the request is complete, so a client trickling bytes (slow
 * loris) cannot hold a connection by sending just often enough to avoid the idle timeout. A
 * request still incomplete at the deadline is answered 408 and its connection closed.
 *
 * <p>Two handlers share the state: {@link #rawBytes()} sits before the HTTP decoder (it sees the
 * first byte, even of a request line that never ends), {@link #requestEnd()} after it (it sees
 * the end of the request). Both run on the channel's event loop, so no synchronisation.
 */
final class RequestDeadline {
    private final long timeoutNanos;
    private ScheduledFuture<?> pending;
    private boolean expired;

    RequestDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    ChannelDuplexHandler rawBytes() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (expired) {
                    // The 408 is on its way and the connection closing: ignore what still arrives.
                    if (msg instanceof ByteBuf) {
                        ((ByteBuf) msg).release();
                        return;
                    }
                } else if (pending == null && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
                    pending = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                super.channelInactive(ctx);
            }
        };
    }

    ChannelInboundHandlerAdapter requestEnd() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof LastHttpContent) {
                    cancel();
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        pending = null;
        expired = true;
        // Written from the tail of the pipeline so it passes through the HTTP encoder.
        ChannelHandlerContext tail = ctx.pipeline().lastContext();
        Responses.sendError(tail, HttpResponseStatus.REQUEST_TIMEOUT, "REQUEST_TIMEOUT",
                "the request was not complete within the time allowed", null, false);
    }
}
