package io.tradeflow.http;

import io.tradeflow.http.response.Responses;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.alert.AlertParser;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;

/**
 * Turns a webhook request into a ring event: claims a slot without waiting (a full ring is a fast
 * 503), hashes the API key, parses the body (unify.v1, TradersPost JSON or PineConnector text, detected
 * from the body) straight into the slot and publishes. Refusals found
 * here (bad broker in the path, malformed body, oversized body) are published too, so every alert
 * is journaled and logged. One instance per event-loop thread.
 */
final class WebhookIngress {
    static final String WEBHOOK_PATH = "/api/unify/v1/webhook";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final RingBuffer<RingEvent> ring;
    private final KeyHasher hasher = new KeyHasher();
    private final AlertParser parser;
    private final byte[] scratch;

    WebhookIngress(RingBuffer<RingEvent> ring, int maxBodyBytes) {
        this.ring = ring;
        this.scratch = new byte[maxBodyBytes];
        this.parser = new AlertParser(hasher, maxBodyBytes);
    }

    /**
     * Handles {@code POST /api/unify/v1/webhook[/{broker}]}; {@code brokerSegment} is null without one.
     * Returns true when the alert was published (the ring answers it through the connection's
     * {@code reply}), false when answered here. {@code source} is the peer's address bytes (see
     * {@link PeerAddress}), which the auth stage checks against the account's allowed sources.
     */
    boolean onAlert(ChannelHandlerContext ctx, FullHttpRequest request, String brokerSegment, boolean keepAlive,
                    WebhookReply reply, byte[] source) {
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            Responses.sendError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Outcome.OVERLOADED.name(),
                    "the router is at capacity; retry shortly", null, keepAlive);
            return false;
        }
        try {
            RingEvent e = start(ring.get(sequence), reply.keepAlive(keepAlive));
            reply.captureBody(request.content());
            e.source(source);
            readKey(request, e);
            if (brokerSegment != null) {
                e.requestedBroker = BrokerKind.fromWireName(brokerSegment);
                if (e.requestedBroker == null) {
                    e.reject(Outcome.INVALID_PAYLOAD, "broker", "unknown broker in the URL: use paper, tradelocker, projectx or mtx");
                    return true;
                }
            }
            ByteBuf content = request.content();
            int length = content.readableBytes();
            content.getBytes(content.readerIndex(), scratch, 0, length);
            parser.parse(scratch, 0, length, e);
            if (!e.isDecided()) {
                readIdempotencyKey(request, e);
            }
            return true;
        } finally {
            ring.publish(sequence);
        }
    }

    /** Publishes the refusal of a body larger than the limit, so it is journaled like any alert. */
    void onOversized(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest request, int maxBodyBytes) {
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            Responses.sendError(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, Outcome.OVERLOADED.name(),
                    "the router is at capacity; retry shortly", null, false);
            return;
        }
        try {
            // Rare, and the connection closes after it: a reply of its own keeps the connection's untouched.
            RingEvent e = start(ring.get(sequence), new WebhookReply(ctx, null).keepAlive(false));
            e.source(PeerAddress.of(ctx.channel()));
            readKey(request, e);
            e.reject(Outcome.PAYLOAD_TOO_LARGE, "body", "body exceeds " + maxBodyBytes + " bytes");
        } finally {
            ring.publish(sequence);
        }
    }

    private static RingEvent start(RingEvent e, WebhookReply reply) {
        // Claimed with tryNext and filled by the parser in place (no translator: the parser writes
        // straight into the slot, and a full ring must be answered at once, not waited for).
        e.begin(EventType.INTENT, System.currentTimeMillis(), System.nanoTime()).replyTo = reply;
        return e;
    }

    /** An {@code Idempotency-Key} header wins over the body's {@code id}: it is the client's explicit retry token. */
    private static void readIdempotencyKey(io.netty.handler.codec.http.HttpRequest request, RingEvent e) {
        String key = request.headers().get(IDEMPOTENCY_KEY);
        if (key == null) {
            return;
        }
        String trimmed = key.strip();
        if (trimmed.isEmpty() || !e.clientId.set(trimmed)) {
            e.reject(Outcome.INVALID_PAYLOAD, "Idempotency-Key", "must be printable text of at most 64 characters");
            return;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < ' ' || c > '~') {
                e.clientId.clear();
                e.reject(Outcome.INVALID_PAYLOAD, "Idempotency-Key", "must be printable text of at most 64 characters");
                return;
            }
        }
    }

    /** The key from {@code Authorization: Bearer} or {@code ?key=}; the body's api_key is read by the parser. */
    private void readKey(io.netty.handler.codec.http.HttpRequest request, RingEvent e) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // The key's bounds inside the header, spaces trimmed, hashed in place: no substring per alert.
            int start = 7;
            int end = authorization.length();
            while (start < end && authorization.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && authorization.charAt(end - 1) <= ' ') {
                end--;
            }
            e.keyPresent = hasher.hash(authorization, start, end, e.keyHash);
            if (!e.keyPresent) {
                e.reject(Outcome.UNAUTHORIZED, "api_key", "malformed API key");
            }
            return;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        if (query < 0) {
            return;
        }
        int at = uri.indexOf("key=", query);
        while (at > 0 && uri.charAt(at - 1) != '?' && uri.charAt(at - 1) != '&') {
            at = uri.indexOf("key=", at + 4);
        }
        if (at > 0) {
            int end = uri.indexOf('&', at);
            String key = uri.substring(at + 4, end < 0 ? uri.length() : end);
            e.keyPresent = hasher.hash(key, e.keyHash);
            if (!e.keyPresent) {
                e.reject(Outcome.UNAUTHORIZED, "api_key", "malformed API key");
            }
        }
    }
}
