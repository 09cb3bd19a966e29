package io.tradeflow.bench.jmh;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Calibration: one hop through a bare Disruptor, one producer (the benchmark thread) and one
 * consumer thread. An operation publishes an event and spins until the consumer has seen it, so
 * the score is the thread-to-thread round trip the ring adds to every alert, for each wait
 * strategy TradeFlow can be configured with. {@code blocking} is the default.
 */
@State(Scope.Thread)
public class DisruptorHopBenchmark extends JmhDefaults {
    @Param({"blocking", "yielding", "busy-spin"})
    public String waitStrategy;

    /** The slot: one long. */
    public static final class ValueEvent {
        long value;
    }

    private static final class LastSeen implements EventHandler<ValueEvent> {
        volatile long seen = -1;

        @Override
        public void onEvent(ValueEvent event, long sequence, boolean endOfBatch) {
            seen = event.value;
        }
    }

    private Disruptor<ValueEvent> disruptor;
    private RingBuffer<ValueEvent> ring;
    private LastSeen consumer;

    @Setup
    public void start() {
        consumer = new LastSeen();
        disruptor = new Disruptor<>(ValueEvent::new, 1024, r -> {
            Thread t = new Thread(r, "hop-consumer");
            t.setDaemon(true);
            return t;
        }, ProducerType.SINGLE, waitStrategy(waitStrategy));
        disruptor.handleEventsWith(consumer);
        ring = disruptor.start();
    }

    @TearDown
    public void stop() throws com.lmax.disruptor.TimeoutException {
        disruptor.shutdown(5, TimeUnit.SECONDS);
    }

    @Benchmark
    public long hop() {
        long sequence = ring.next();
        ring.get(sequence).value = sequence;
        ring.publish(sequence);
        while (consumer.seen < sequence) {
            Thread.onSpinWait();
        }
        return sequence;
    }

    static WaitStrategy waitStrategy(String name) {
        switch (name) {
            case "blocking":
                return new BlockingWaitStrategy();
            case "sleeping":
                return new SleepingWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "busy-spin":
                return new BusySpinWaitStrategy();
            default:
                throw new IllegalArgumentException("unknown wait strategy " + name);
        }
    }
}
