package io.tradeflow.http;

import io.tradeflow.http.response.Responses;
import io.tradeflow.http.response.JsonOut;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.ReplyBatch;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.stage.DispatchStage;

/**
 * Answers a connection's webhook requests once each event is decided and journaled. Runs on the
 * ring thread: it encodes the decision into a pooled buffer and queues the write in the event loop's
 * {@link ReplyHandOff}, which the ring's consumer flushes once per Disruptor batch.
 *
 * <p>One instance per connection, reused for every alert it sends, so publishing an alert
 * allocates nothing here. That is safe because a connection has at most one alert on the ring at a
 * time (RequestRouter queues the requests behind it until {@code answered} has run), and
 * {@link #keepAlive(boolean)} is written before the event is published, which the ring's publish
 * makes visible to the ring thread.
 */
final class WebhookReply implements Reply, Runnable {
    private final ChannelHandlerContext ctx;
    private final Runnable answered;
    private boolean keepAlive;
    /** The encoded answer between the ring thread's {@link #complete} and the event loop's {@link #run}. */
    private FullHttpResponse encoded;
    private boolean encodedKeepAlive;
    /** Where the webhook log's copy of the body and answer goes; null keeps none. */
    private final WebhookCapture capture;
    /** The in-flight alert's capture slot (null when none was free): filled by the event loop and the ring thread. */
    private WebhookCapture.Slot slot;
    /** The hand-off to this connection's event loop. */
    private final ReplyHandOff handOff;
    /** The next reply in the hand-off's chain while this one waits in it (see {@link ReplyHandOff}). */
    WebhookReply next;

    /** @param answered run on the event loop right after each answer is written (null: nothing to run) */
    WebhookReply(ChannelHandlerContext ctx, Runnable answered) {
        this(ctx, answered, null);
    }

    WebhookReply(ChannelHandlerContext ctx, Runnable answered, WebhookCapture capture) {
        this.ctx = ctx;
        this.answered = answered;
        this.capture = capture;
        this.handOff = ReplyHandOff.of(ctx.executor());
    }

    /** On the event loop, before publishing: keeps a copy of the alert's body for the webhook log. */
    void captureBody(ByteBuf content) {
        if (capture != null) {
            slot = capture.take();
            if (slot != null) {
                slot.body(content);
            }
        }
    }

    /** Whether the connection stays open after the next answer; set by the event loop before publishing. */
    WebhookReply keepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
        return this;
    }

    /**
     * Copy trading: how the followers' copies of this master alert were decided, as counts only (no
     * follower's account, user or order is named to the master).
     */
    private static final Outcome[] OUTCOMES = Outcome.values();

    private static void copySummary(JsonOut json, RingEvent e) {
        json.name("copy").beginObject()
                .field("followers_accepted", e.copyAccepted)
                .field("followers_refused", e.copyRefused)
                .name("refused_by_reason").beginObject();
        Outcome[] outcomes = OUTCOMES;
        for (int i = 0; i < e.copyRefusedByOutcome.length; i++) {
            if (e.copyRefusedByOutcome[i] > 0) {
                json.field(outcomes[i].name(), e.copyRefusedByOutcome[i]);
            }
        }
        json.endObject().endObject();
    }

    @Override
    public void complete(RingEvent e) {
        Outcome outcome = e.outcome;
        ByteBuf body = ctx.alloc().buffer(256);
        JsonOut json = new JsonOut(body).beginObject();
        if (outcome.isAccepted()) {
            // An order handed to a real broker is answered before its fill, which follows asynchronously.
            // (A sized entry or a close_all says what it submitted before the words.)
            boolean submitted = e.orderId != 0 && e.reason != null && e.reason.endsWith(DispatchStage.SUBMITTED);
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
            if (e.copyAccepted + e.copyRefused > 0) {
                copySummary(json, e);
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
            // FastAPI-style frontends read the message from a top-level "detail".
            json.field("detail", e.reason == null ? outcome.name() : e.reason);
        }
        json.endObject();
        FullHttpResponse response = Responses.json(HttpResponseStatus.valueOf(outcome.httpStatus()), body);
        if (outcome == Outcome.RATE_LIMITED) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, Math.max(1, e.retryAfterSeconds));
        }
        encoded = response;
        encodedKeepAlive = keepAlive && outcome != Outcome.PAYLOAD_TOO_LARGE;
        if (slot != null) {
            slot.answer(e.journalIndex, body);
        }
        // The event loop writes the answer and serves what waited behind it (a write from this thread would
        // be a task of its own); the hand-off gives it the whole batch's answers in one task.
        handOff.add(this);
    }

    @Override
    public ReplyBatch batch() {
        return handOff;
    }

    /** The event loop is shutting down and will not write the answer: the connection goes with it, the buffer must not leak. */
    void discard() {
        FullHttpResponse response = encoded;
        encoded = null;
        ReferenceCountUtil.release(response);
        handOver();
    }

    private void handOver() {
        if (slot != null) {
            capture.done(slot);
            slot = null;
        }
    }

    /** On the event loop: writes the answer the ring thread encoded, then lets pipelined requests go next. */
    @Override
    public void run() {
        FullHttpResponse response = encoded;
        encoded = null;
        Responses.send(ctx, response, encodedKeepAlive);
        handOver();
        if (answered != null) {
            answered.run();
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
