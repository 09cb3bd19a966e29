package io.tradeflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.http.api.DashboardApi;
import io.tradeflow.service.security.TokenService;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP handlers as the server chains them ({@code RequestDeadline} → {@code HttpServerCodec} →
 * {@code WebhookAggregator} → {@code RequestRouter}) on an {@link EmbeddedChannel}, in front of a bare
 * Disruptor ring whose only consumer is this test: no sockets, no threads, no database. Each test
 * sends raw HTTP bytes and decodes what the handlers write back, as Netty tests its own codecs.
 */
final class HttpPipelineHandlersTest {
    private static final int MAX_BODY = 256;
    private static final int PER_IP_LIMIT = 5;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final String ALERT = "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.1}}";

    private final RingBuffer<RingEvent> ring = RingBuffer.createMultiProducer(RingEvent::new, 4);
    /** The test is the ring's consumer: this is how far it has decided. */
    private final Sequence consumed = new Sequence(-1);
    private final DashboardApi dashboard = new DashboardApi(List.of(), new TokenService(new byte[32], Clock.systemUTC()));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    HttpPipelineHandlersTest() {
        ring.addGatingSequences(consumed);
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        dashboard.close();
    }

    @Test
    void shouldAnswerAnUnknownPathWithAJson404AndKeepTheConnection() {
        EmbeddedChannel ch = channel();

        send(ch, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(404);
        assertThat(body(answer)).contains("\"code\":\"NOT_FOUND\"");
        assertThat(ch.isOpen()).isTrue();
        answer.release();
    }

    @Test
    void shouldAnswer405ToAWebhookThatIsNotAPost() {
        EmbeddedChannel ch = channel();

        send(ch, "GET /api/unify/v1/webhook HTTP/1.1\r\nHost: x\r\n\r\n");

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(405);
        assertThat(body(answer)).contains("METHOD_NOT_ALLOWED");
        assertThat(ring.getCursor()).as("nothing published").isEqualTo(-1);
        answer.release();
    }

    @Test
    void shouldRefuseACorsPreflight() {
        EmbeddedChannel ch = channel();

        send(ch, "OPTIONS /api/unify/v1/api/positions HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n"
                + "Access-Control-Request-Method: GET\r\n\r\n");

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(403);
        assertThat(answer.headers().contains("Access-Control-Allow-Origin")).isFalse();
        answer.release();
    }

    @Test
    void shouldPublishAnAlertAndWriteItsAnswerOnlyOnceTheRingDecidedIt() {
        EmbeddedChannel ch = channel();

        send(ch, post(ALERT));
        assertThat(drain(ch)).as("no answer before the ring decides").isEmpty();
        RingEvent published = ring.get(0);
        assertThat(published.symbol.toString()).isEqualTo("EURUSD");
        assertThat(published.quantity).isEqualTo(1.0);
        decideAll(ch);

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(body(answer)).contains("\"order_id\":\"ord_42\"").contains("\"status\":\"accepted\"");
        answer.release();
    }

    @Test
    void shouldAnswerPipelinedRequestsInTheOrderSentEvenWhenTheLaterOneIsReadyFirst() {
        EmbeddedChannel ch = channel();

        send(ch, post(ALERT) + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(drain(ch)).as("the health check waits behind the alert").isEmpty();
        decideAll(ch);

        List<FullHttpResponse> answers = drain(ch);
        assertThat(answers).hasSize(2);
        assertThat(body(answers.get(0))).contains("ord_42");
        assertThat(body(answers.get(1))).contains("\"status\":\"UP\"");
        answers.forEach(FullHttpResponse::release);
    }

    @Test
    void shouldAnswer413ThroughTheRingAndCloseWhenTheBodyIsTooLarge() {
        EmbeddedChannel ch = channel();

        send(ch, post("{\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}"));
        decideAll(ch);

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(413);
        assertThat(body(answer)).contains("PAYLOAD_TOO_LARGE");
        assertThat(ring.get(0).outcome).as("journaled like any alert").isEqualTo(Outcome.PAYLOAD_TOO_LARGE);
        assertThat(ch.isOpen()).isFalse();
        answer.release();
    }

    @Test
    void shouldAnswer503OverloadedAtOnceWhenTheRingIsFull() {
        for (int i = 0; i < ring.getBufferSize(); i++) {
            send(channel(), post(ALERT));
        }
        EmbeddedChannel late = channel();

        send(late, post(ALERT));

        FullHttpResponse answer = single(late);
        assertThat(answer.status().code()).isEqualTo(503);
        assertThat(body(answer)).contains("OVERLOADED");
        answer.release();
    }

    @Test
    void shouldAnswer429WithRetryAfterBeyondThePerAddressLimit() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < PER_IP_LIMIT; i++) {
            send(ch, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        drain(ch).forEach(FullHttpResponse::release);

        send(ch, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(429);
        assertThat(answer.headers().getInt("Retry-After")).isBetween(1, 60);
        assertThat(body(answer)).contains("RATE_LIMITED");
        answer.release();
    }

    @Test
    void shouldCutAClientTricklingItsHeadersWith408AtTheDeadline() {
        EmbeddedChannel ch = channel();
        send(ch, "POST /api/unify/v1/webhook HTTP/1.1\r\nHost: x\r\n");

        ch.advanceTimeBy(TIMEOUT_NANOS + TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();

        FullHttpResponse answer = single(ch);
        assertThat(answer.status().code()).isEqualTo(408);
        assertThat(ch.isOpen()).isFalse();
        answer.release();
    }

    private EmbeddedChannel channel() {
        SocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000 + channels.size());
        EmbeddedChannel ch = new EmbeddedChannel(false, false) {
            @Override
            protected SocketAddress remoteAddress0() {
                return peer;
            }
        };
        WebhookIngress ingress = new WebhookIngress(ring, MAX_BODY);
        RequestDeadline deadline = new RequestDeadline(TIMEOUT_NANOS);
        ChannelHandler[] handlers = {deadline.rawBytes(), new HttpServerCodec(), deadline.requestEnd(),
            new WebhookAggregator(MAX_BODY, ingress),
            new RequestRouter(ingress, limiter, new SourceAllowlist(List.of()), dashboard,
                    new OpsEndpoints(() -> true, () -> true, () -> ""), null, new CorsPolicy(List.of()), null,
                    new StaticAssets(), null)};
        ch.pipeline().addLast(handlers);
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        channels.add(ch);
        return ch;
    }

    /** One per test, shared by its connections: the limit is per address, and they share 127.0.0.1. */
    private final PerIpRateLimiter limiter = new PerIpRateLimiter(PER_IP_LIMIT, 60_000);

    /** What the routing handler does, minimally: decide what is undecided, then answer. */
    private void decideAll(EmbeddedChannel ch) {
        long published = ring.getCursor();
        for (long seq = consumed.get() + 1; seq <= published; seq++) {
            RingEvent e = ring.get(seq);
            if (!e.isDecided()) {
                e.outcome = Outcome.ACCEPTED;
                e.orderId = 42;
                e.fillPrice = 1.1;
                e.filledQuantity = 1;
                e.journalIndex = seq + 1;
            }
            Reply reply = e.replyTo;
            reply.complete(e);
            if (reply.batch() != null) {
                reply.batch().flush();
            }
            consumed.set(seq);
        }
        ch.runPendingTasks();
    }

    private static String post(String body) {
        return "POST /api/unify/v1/webhook?key=tf_test_key HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static void send(EmbeddedChannel ch, String raw) {
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        ch.runPendingTasks();
    }

    private static FullHttpResponse single(EmbeddedChannel ch) {
        List<FullHttpResponse> answers = drain(ch);
        assertThat(answers).hasSize(1);
        return answers.get(0);
    }

    /** Decodes every byte the handlers wrote so far into responses. */
    private static List<FullHttpResponse> drain(EmbeddedChannel ch) {
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        ByteBuf written;
        while ((written = ch.readOutbound()) != null) {
            client.writeInbound(written);
        }
        List<FullHttpResponse> answers = new ArrayList<>();
        FullHttpResponse answer;
        while ((answer = client.readInbound()) != null) {
            answers.add(answer);
        }
        client.finishAndReleaseAll();
        return answers;
    }

    private static String body(FullHttpResponse answer) {
        return answer.content().toString(StandardCharsets.UTF_8);
    }
}
