package io.tradeflow.http;

import io.tradeflow.http.response.Responses;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Aggregates request bodies up to the configured limit. A larger webhook body is refused with 413
 * through the ring (so the refusal is journaled and logged like any alert) and the connection is
 * closed, as a client that ignores the limit cannot be trusted to frame the next request.
 */
final class WebhookAggregator extends HttpObjectAggregator {
    private final WebhookIngress webhook;
    private final int maxBodyBytes;

    WebhookAggregator(int maxBodyBytes, WebhookIngress webhook) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        this.webhook = webhook;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest && ((HttpRequest) oversized).uri().startsWith(WebhookIngress.WEBHOOK_PATH)) {
            webhook.onOversized(ctx, (HttpRequest) oversized, maxBodyBytes);
        } else {
            Responses.sendError(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "body exceeds " + maxBodyBytes + " bytes", "body", false);
        }
    }
}
