package io.tradeflow.http.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbering, the replay window, reload after a loss and the bounded queue of a slow client. */
class LiveStreamWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode message(String type) {
        return JsonNodeFactory.instance.objectNode().put("type", type);
    }

    private static List<JsonNode> received(EmbeddedChannel ch) throws IOException {
        // A client flushes once per event-loop task (LiveClient.flushLater): run that flush first.
        ch.runPendingTasks();
        List<JsonNode> out = new ArrayList<>();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            if (m instanceof ByteBuf frame) {
                out.add(JSON.readTree(payload(frame)));
            }
            io.netty.util.ReferenceCountUtil.release(m);
        }
        return out;
    }

    /** The payload of a server's text frame (RFC 6455 §5.2), checking its header. */
    private static byte[] payload(ByteBuf frame) {
        ByteBuf f = frame.duplicate();
        assertThat(f.readUnsignedByte()).as("FIN, text").isEqualTo((short) 0x81);
        int length = f.readUnsignedByte();
        assertThat(length & 0x80).as("a server's frames are not masked").isZero();
        long size = length == 126 ? f.readUnsignedShort() : length == 127 ? f.readLong() : length;
        assertThat((long) f.readableBytes()).isEqualTo(size);
        byte[] payload = new byte[f.readableBytes()];
        f.readBytes(payload);
        return payload;
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(n -> n.path("seq").asLong()).toList();
    }

    @Test
    void shouldResumeWithExactlyTheMissedMessagesWhileTheyAreKept() throws IOException {
        LiveStream stream = new LiveStream("account:1", 3, 0);
        for (int i = 0; i < 5; i++) {
            stream.send(message("order_update"));
        }
        assertThat(stream.seq()).isEqualTo(5);

        EmbeddedChannel ch = new EmbeddedChannel();
        LiveClient client = new LiveClient(ch, 10);
        assertThat(stream.subscribe(client, 1)).as("seq 2 is gone (window 3: 3, 4, 5)").isFalse();
        assertThat(stream.subscribe(client, 6)).as("not yet sent").isFalse();
        assertThat(received(ch)).isEmpty();
        assertThat(stream.subscribe(client, 2)).isTrue();
        stream.send(message("pnl_update"));
        assertThat(seqs(received(ch))).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void shouldNumberAReloadAfterLostUpdatesSoNobodyResumesAcrossThem() throws IOException {
        LiveStream stream = new LiveStream("user:1", 8, 0);
        stream.send(message("order_update"));
        stream.send(message("order_update"));
        stream.lost(message("reload"));
        EmbeddedChannel ch = new EmbeddedChannel();
        assertThat(stream.subscribe(new LiveClient(ch, 10), 1)).isFalse();
        assertThat(stream.subscribe(new LiveClient(ch, 10), 2)).isTrue();
        List<JsonNode> got = received(ch);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).path("type").asText()).isEqualTo("reload");
        assertThat(got.get(0).path("seq").asLong()).isEqualTo(3);
    }

    @Test
    void shouldQueueWhileNotWritableAndCloseAClientWhoseQueueIsFull() throws IOException {
        LiveStream stream = new LiveStream("account:1", 16, 0);
        EmbeddedChannel slowChannel = new EmbeddedChannel();
        EmbeddedChannel fastChannel = new EmbeddedChannel();
        LiveClient slow = new LiveClient(slowChannel, 2);
        LiveClient fast = new LiveClient(fastChannel, 2);
        stream.subscribe(slow, -1);
        stream.subscribe(fast, -1);
        List<Long> ended = new ArrayList<>();
        slow.onEnd(() -> ended.add(0L), () -> ended.add(1L));

        slowChannel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        stream.send(message("a"));
        stream.send(message("b"));
        assertThat(received(slowChannel)).as("queued, not written").isEmpty();
        slowChannel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        slow.writable();
        assertThat(seqs(received(slowChannel))).containsExactly(1L, 2L);

        slowChannel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < 3; i++) {
            stream.send(message("c"));
        }
        assertThat(slow.isClosed()).isTrue();
        assertThat(ended).containsExactly(1L, 0L);
        assertThat(slowChannel.isActive()).isFalse();
        assertThat(stream.clientCount()).isEqualTo(1);
        assertThat(seqs(received(fastChannel))).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void shouldEncodeAMessageOnceForAllTheClientsOfAStream() throws IOException {
        LiveStream stream = new LiveStream("account:1", 16, 0);
        EmbeddedChannel one = new EmbeddedChannel();
        EmbeddedChannel two = new EmbeddedChannel();
        stream.subscribe(new LiveClient(one, 4), -1);
        stream.subscribe(new LiveClient(two, 4), -1);
        stream.send(JsonNodeFactory.instance.objectNode().put("type", "long").put("text", "x".repeat(70_000)));
        one.runPendingTasks();
        two.runPendingTasks();
        ByteBuf first = one.readOutbound();
        ByteBuf second = two.readOutbound();
        try {
            assertThat(first).isNotSameAs(second);
            if (first.hasMemoryAddress()) {
                assertThat(first.memoryAddress() + first.readerIndex()).as("the same bytes, not a copy")
                        .isEqualTo(second.memoryAddress() + second.readerIndex());
            }
            assertThat(JSON.readTree(payload(first)).path("text").asText()).hasSize(70_000);
            assertThat(payload(second)).isEqualTo(payload(first));
        } finally {
            first.release();
            second.release();
        }
        // Both clients' references released: the shared buffer is freed.
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void shouldSendACloseFrameWithTheCodeAndReasonWhenItCan() {
        EmbeddedChannel ch = new EmbeddedChannel();
        new LiveClient(ch, 2).close(CloseCodes.NOT_FOUND, "account not found");
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(4404);
        assertThat(close.reasonText()).isEqualTo("account not found");
        close.release();
    }

    @Test
    void shouldTellTheStreamPathsApart() {
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws")).isZero();
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws/accounts/42")).isEqualTo(42);
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws/accounts/0")).isEqualTo(-1);
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws/accounts/4x")).isEqualTo(-1);
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws/accounts/")).isEqualTo(-1);
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws/other")).isEqualTo(-1);
        assertThat(LiveEndpoint.accountId("/api/unify/v1/ws/accounts/99999999999999999999")).isEqualTo(-1);
    }
}
