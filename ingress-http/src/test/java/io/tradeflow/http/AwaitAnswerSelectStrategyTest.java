package io.tradeflow.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SelectStrategy;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop's choice between sleeping and yielding to the ring: it yields only while an answer
 * is due, returns to run the answer as soon as one is handed over, and sleeps once the wait is up.
 */
final class AwaitAnswerSelectStrategyTest {
    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final WebhookReply reply = new WebhookReply(channel.pipeline().firstContext(), null).keepAlive(true);
    private final ReplyHandOff handOff = (ReplyHandOff) reply.batch();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static RingEvent accepted() {
        RingEvent e = new RingEvent();
        e.outcome = Outcome.ACCEPTED;
        e.journalIndex = 7;
        e.reason = "ok";
        return e;
    }

    @Test
    void shouldSleepAtOnceWhenNoAnswerIsDue() throws Exception {
        AwaitAnswerSelectStrategy strategy = new AwaitAnswerSelectStrategy(WAIT_NANOS, handOff);
        long start = System.nanoTime();
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - start).isLessThan(WAIT_NANOS);
    }

    @Test
    void shouldPollWithoutWaitingWhenTasksAreQueued() throws Exception {
        reply.published();
        AwaitAnswerSelectStrategy strategy = new AwaitAnswerSelectStrategy(WAIT_NANOS, handOff);
        assertThat(strategy.calculateStrategy(() -> 3, true)).isEqualTo(3);
    }

    @Test
    void shouldReturnToRunTheAnswerAsSoonAsTheRingHandsItOver() throws Exception {
        reply.published();
        assertThat(handOff.awaiting()).isEqualTo(1);
        Thread ring = new Thread(() -> {
            reply.complete(accepted());
            handOff.flush();
        });
        ring.start();
        AwaitAnswerSelectStrategy strategy = new AwaitAnswerSelectStrategy(TimeUnit.SECONDS.toNanos(30), handOff);
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.CONTINUE);
        ring.join();

        channel.runPendingTasks();
        FullHttpResponse answer = channel.readOutbound();
        assertThat(answer.status().code()).isEqualTo(200);
        answer.release();
        assertThat(handOff.awaiting()).isZero();
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void shouldSleepWhenTheAnswerDoesNotComeWithinTheWait() throws Exception {
        reply.published();
        AwaitAnswerSelectStrategy strategy = new AwaitAnswerSelectStrategy(WAIT_NANOS, handOff);
        long start = System.nanoTime();
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(WAIT_NANOS);
    }

    @Test
    void shouldNeverYieldWhenTheWaitIsZero() throws Exception {
        reply.published();
        AwaitAnswerSelectStrategy strategy = new AwaitAnswerSelectStrategy(0, handOff);
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    }
}
