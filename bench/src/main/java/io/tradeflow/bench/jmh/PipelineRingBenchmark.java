package io.tradeflow.bench.jmh;

import com.lmax.disruptor.RingBuffer;
import io.tradeflow.bench.TempDirs;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.RingConfig;
import io.tradeflow.config.WaitStrategyKind;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.Reply;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.DisabledJournal;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.ring.RouterRing;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.stage.RoutingPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The fused pipeline through the real ring: the benchmark thread claims a slot as ingress does,
 * fills it from a pre-filled alert (accepted open, accepted close, refused entry in turn) and
 * publishes; the ring thread runs {@link RoutingHandler} (stages, journal append, reply); the
 * operation ends when the reply reports the decision. The score is the publish→decision round
 * trip, ring hop included.
 */
@State(Scope.Thread)
public class PipelineRingBenchmark extends JmhDefaults {
    /** {@code chronicle} (sync none, temp dir), {@code disabled}; {@code per-write} on request only (slow, hits the disk). */
    @Param({"chronicle", "disabled"})
    public String journal;

    /** The ring's wait strategy; {@code blocking} is TradeFlow's default. */
    @Param({"blocking"})
    public String waitStrategy;

    /** Signals the decision back to the benchmark thread; allocation-free. */
    static final class DecisionReply implements Reply {
        volatile long completed;
        Outcome last;

        @Override
        public void complete(RingEvent decided) {
            last = decided.outcome;
            completed = completed + 1; // single writer: the ring thread
        }
    }

    private Path dir;
    private Journal journalImpl;
    private RouterRing ring;
    private RingBuffer<RingEvent> buffer;
    private RingEvent[] cycle;
    private int next;
    private final DecisionReply reply = new DecisionReply();
    private long published;

    @Setup
    public void start() {
        switch (journal) {
            case "chronicle":
                dir = TempDirs.create("tf-ring-bench");
                journalImpl = new ChronicleJournal(dir, JournalSync.NONE);
                break;
            case "per-write":
                dir = TempDirs.create("tf-ring-bench");
                journalImpl = new ChronicleJournal(dir, JournalSync.PER_WRITE);
                break;
            case "disabled":
                journalImpl = new DisabledJournal();
                break;
            default:
                throw new IllegalArgumentException("unknown journal " + journal + ": chronicle, per-write or disabled");
        }
        RoutingPipeline pipeline = new RoutingPipeline(RouterFixture.seededState(), RouterFixture.trial(),
                RouterFixture.venues());
        WaitStrategyKind kind = WaitStrategyKind.valueOf(waitStrategy.toUpperCase(Locale.ROOT).replace('-', '_'));
        ring = new RouterRing(new RingConfig(4096, kind), new RoutingHandler(pipeline, journalImpl));
        ring.start();
        buffer = ring.ringBuffer();
        cycle = RouterFixture.cycle();
        for (int i = 0; i < cycle.length; i++) {
            Outcome outcome = roundTrip();
            if (outcome != RouterFixture.CYCLE_OUTCOMES[i]) {
                throw new IllegalStateException("ring event " + i + ": expected " + RouterFixture.CYCLE_OUTCOMES[i]
                        + " but was " + outcome);
            }
        }
    }

    @TearDown
    public void stop() {
        ring.close();
        journalImpl.close();
        TempDirs.delete(dir);
    }

    @Benchmark
    public Outcome roundTrip() {
        RingEvent alert = cycle[next];
        next = next + 1 == cycle.length ? 0 : next + 1;
        long sequence = buffer.next();
        try {
            RingEvent slot = buffer.get(sequence);
            // The template's wall-clock time stays: 09:00 New York, inside the trading hours.
            slot.copyFrom(alert);
            slot.receivedAtNanos = System.nanoTime();
            slot.replyTo = reply;
        } finally {
            buffer.publish(sequence);
        }
        long expected = ++published;
        while (reply.completed < expected) {
            Thread.onSpinWait();
        }
        return reply.last;
    }
}
