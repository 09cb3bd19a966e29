package io.tradeflow.http;

import com.lmax.disruptor.RingBuffer;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tradeflow.bench.jmh.Alerts;
import io.tradeflow.bench.jmh.JmhDefaults;
import io.tradeflow.core.alert.AlertParser;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.RingEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The webhook's event translator: what the event loop does between a decoded request and a
 * published ring slot (claim the slot, reset it, bind the connection's reply, copy the source
 * address, hash the Bearer key, copy and parse the body, publish). {@code parse} runs the same
 * body through the same parser into a slot alone, so {@code translate − parse} is the translator's
 * own cost; its B/op target is 0. The ring has no consumer and no gating sequence, so claiming
 * never waits.
 *
 * <p>Lives in {@code io.tradeflow.http} because the translator is package-private there.
 */
@State(Scope.Thread)
public class WebhookTranslatorBenchmark extends JmhDefaults {
    @Param({"design", "tradingview"})
    public String alert;

    private RingBuffer<RingEvent> ring;
    private WebhookIngress ingress;
    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private WebhookReply reply;
    private FullHttpRequest request;
    private final byte[] source = {127, 0, 0, 1};
    private byte[] body;
    private AlertParser parser;
    private RingEvent slot;

    @Setup
    public void setUp() {
        ring = RingBuffer.createMultiProducer(RingEvent::new, 1024);
        ingress = new WebhookIngress(ring, 16 * 1024);
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ctx = channel.pipeline().firstContext();
        reply = new WebhookReply(ctx, null);
        body = Alerts.body(alert);
        request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, WebhookIngress.WEBHOOK_PATH,
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer tf_live_benchmarkkey0123456789abcdef");
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        parser = new AlertParser(new KeyHasher(), 16 * 1024);
        slot = new RingEvent();
        translate();
        RingEvent published = ring.get(ring.getCursor());
        if (published.isDecided() || !published.keyPresent || !"EURUSD".equals(published.symbol.toString())) {
            throw new IllegalStateException("the translator refused the " + alert + " alert: " + published.field + ": "
                    + published.reason);
        }
    }

    @TearDown
    public void tearDown() {
        request.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public boolean translate() {
        return ingress.onAlert(ctx, request, null, true, reply, source);
    }

    @Benchmark
    public RingEvent parse() {
        slot.reset();
        parser.parse(body, 0, body.length, slot);
        return slot;
    }
}
