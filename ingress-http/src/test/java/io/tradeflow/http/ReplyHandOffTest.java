package io.tradeflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ring-to-event-loop hand-off of webhook answers: the answers completed in one Disruptor batch
 * reach the event loop as one task (one wake-up), are written in the order the ring completed them,
 * and each connection's next request is served after its own answer.
 */
final class ReplyHandOffTest {
    private static final int REPLIES = 5;

    /** One event loop, several connections' handlers on it (each reply writes through its own context). */
    private final EmbeddedChannel channel = new EmbeddedChannel(handlers());
    private final List<Integer> answered = new ArrayList<>();
    private final List<WebhookReply> replies = new ArrayList<>();

    private static ChannelInboundHandlerAdapter[] handlers() {
        ChannelInboundHandlerAdapter[] handlers = new ChannelInboundHandlerAdapter[REPLIES];
        for (int i = 0; i < REPLIES; i++) {
            handlers[i] = new ChannelInboundHandlerAdapter();
        }
        return handlers;
    }

    ReplyHandOffTest() {
        List<String> names = channel.pipeline().names();
        for (int i = 0; i < REPLIES; i++) {
            int n = i;
            ChannelHandlerContext ctx = channel.pipeline().context(names.get(i));
            replies.add(new WebhookReply(ctx, () -> answered.add(n)).keepAlive(true));
        }
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static RingEvent decided(long journalIndex, Outcome outcome) {
        RingEvent e = new RingEvent();
        e.outcome = outcome;
        e.journalIndex = journalIndex;
        e.reason = outcome == Outcome.ACCEPTED ? "ok" : "router stopped";
        return e;
    }

    private List<String> written() {
        List<String> bodies = new ArrayList<>();
        FullHttpResponse response;
        while ((response = channel.readOutbound()) != null) {
            bodies.add(response.status().code() + " " + response.content().toString(StandardCharsets.UTF_8));
            response.release();
        }
        return bodies;
    }

    @Test
    void shouldWriteABatchOfAnswersWithOneWakeUpInCompletionOrder() {
        ReplyHandOff handOff = (ReplyHandOff) replies.get(0).batch();
        assertThat(replies).allMatch(r -> r.batch() == handOff);
        // The ring completes the connections in this order within one batch.
        int[] order = {3, 0, 4, 1, 2};
        for (int i = 0; i < order.length; i++) {
            replies.get(order[i]).complete(decided(100 + i, Outcome.ACCEPTED));
        }
        assertThat(written()).isEmpty();
        assertThat(handOff.wakeUps()).isZero();

        handOff.flush();
        assertThat(handOff.wakeUps()).isEqualTo(1);
        channel.runPendingTasks();

        List<String> bodies = written();
        assertThat(bodies).hasSize(REPLIES);
        for (int i = 0; i < REPLIES; i++) {
            assertThat(bodies.get(i)).startsWith("200 ").contains("\"intent_id\":\"int_" + (100 + i) + "\"");
        }
        assertThat(answered).containsExactly(3, 0, 4, 1, 2);
    }

    @Test
    void shouldWakeTheLoopOnlyForTheFirstBatchSinceItsLastDrain() {
        ReplyHandOff handOff = (ReplyHandOff) replies.get(0).batch();
        replies.get(0).complete(decided(1, Outcome.ACCEPTED));
        handOff.flush();
        // A second batch while the loop has not drained the first: no second wake-up, the drain takes both.
        replies.get(1).complete(decided(2, Outcome.ACCEPTED));
        handOff.flush();
        assertThat(handOff.wakeUps()).isEqualTo(1);
        handOff.flush();
        assertThat(handOff.wakeUps()).isEqualTo(1);

        channel.runPendingTasks();
        assertThat(answered).containsExactly(0, 1);
        assertThat(written()).hasSize(2);

        // Drained: the next batch must wake the loop again.
        replies.get(2).complete(decided(3, Outcome.OVERLOADED));
        handOff.flush();
        assertThat(handOff.wakeUps()).isEqualTo(2);
        channel.runPendingTasks();
        assertThat(answered).containsExactly(0, 1, 2);
        assertThat(written()).singleElement().asString().startsWith("503 ").contains("router stopped");
    }

    @Test
    void shouldServeAConnectionAgainAfterItsAnswerIsWritten() {
        ReplyHandOff handOff = (ReplyHandOff) replies.get(0).batch();
        // The same connection answered in two consecutive batches (its next alert went out after the first answer).
        for (int round = 0; round < 3; round++) {
            replies.get(0).complete(decided(round + 1, Outcome.ACCEPTED));
            handOff.flush();
            channel.runPendingTasks();
        }
        assertThat(answered).containsExactly(0, 0, 0);
        assertThat(written()).hasSize(3);
        assertThat(handOff.wakeUps()).isEqualTo(3);
    }
}
