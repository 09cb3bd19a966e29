package io.tradeflow.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.stage.DispatchStage;

/**
 * Answers one webhook request once its event is decided and journaled. Runs on the ring thread:
 * it encodes the decision into a pooled buffer and hands the write to the channel's event loop.
 */
final class WebhookReply implements Reply {
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final Runnable answered;

    /** @param answered run on the event loop after the answer is written (null: nothing to run) */
    WebhookReply(ChannelHandlerContext ctx, boolean keepAlive, Runnable answered) {
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.answered = answered;
    }

    @Override
    public void complete(RingEvent e) {
        Outcome outcome = e.outcome;
        ByteBuf body = ctx.alloc().buffer(256);
        JsonOut json = new JsonOut(body).beginObject();
        if (outcome.isAccepted()) {
            // An order handed to a real broker is answered before its fill, which follows asynchronously.
            boolean submitted = e.orderId != 0 && DispatchStage.SUBMITTED.equals(e.reason);
            // A paper limit/stop not reached yet: placed under its order id, filled later by a price.
            boolean pending = e.pendingQuantity != 0;
            json.field("success", true)
                    .idField("order_id", "ord_", e.orderId)
                    .idField("intent_id", "int_", e.journalIndex)
                    .field("status", pending ? "pending" : submitted ? "submitted" : e.orderId != 0 ? "accepted" : "no_action")
                    .field("message", e.orderId != 0 && !submitted && !pending ? message(e) : e.reason);
            if (e.repeatOfIndex != 0) {
                json.field("idempotent_replay", true).idField("first_intent_id", "int_", e.repeatOfIndex);
            }
            if (pending) {
                json.field("symbol", e.symbol)
                        .field("side", e.pendingQuantity > 0 ? "buy" : "sell")
                        .field("order_type", e.orderType.wireName())
                        .field("order_price", e.orderPrice)
                        .field("quantity", Math.abs(e.pendingQuantity))
                        .field("position", e.positionQuantity);
            } else if (submitted) {
                json.field("symbol", e.symbol);
            } else if (e.orderId != 0 && e.action == Action.CLOSE_ALL) {
                json.field("position", 0.0);
            } else if (e.orderId != 0) {
                json.field("symbol", e.symbol)
                        .field("side", e.filledQuantity > 0 ? "buy" : "sell")
                        .field("quantity", Math.abs(e.filledQuantity))
                        .field("fill_price", e.fillPrice)
                        .field("position", e.positionQuantity);
            }
            if (e.positionStopLoss != 0) {
                json.field("stop_loss", e.positionStopLoss);
            }
            if (e.positionTakeProfit != 0) {
                json.field("take_profit", e.positionTakeProfit);
            }
        } else {
            json.field("success", false).idField("intent_id", "int_", e.journalIndex)
                    .name("error").beginObject()
                    .field("code", outcome.name())
                    .field("message", e.reason == null ? outcome.name() : e.reason);
            if (e.field != null) {
                json.field("field", e.field);
            }
            if (outcome == Outcome.RISK_REJECTED && e.field != null) {
                json.field("rule", e.field);
            }
            json.endObject();
        }
        json.endObject();
        FullHttpResponse response = Responses.json(HttpResponseStatus.valueOf(outcome.httpStatus()), body);
        if (outcome == Outcome.RATE_LIMITED) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, Math.max(1, e.retryAfterSeconds));
        }
        boolean keep = keepAlive && outcome != Outcome.PAYLOAD_TOO_LARGE;
        Responses.send(ctx, response, keep);
        if (answered != null) {
            // After the write above (same executor, in order): pipelined requests behind it go next.
            ctx.executor().execute(answered);
        }
    }

    private static String message(RingEvent e) {
        if (e.action == Action.CLOSE_ALL) {
            return "Close all: " + e.reason;
        }
        String type = e.orderType == OrderType.LIMIT ? "Limit " : e.orderType == OrderType.STOP ? "Stop " : "Market ";
        return type + (e.filledQuantity > 0 ? "buy" : "sell") + " order executed for " + e.symbol;
    }
}
