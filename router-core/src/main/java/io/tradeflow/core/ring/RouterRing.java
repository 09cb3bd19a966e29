package io.tradeflow.core.ring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.tradeflow.config.CpuSet;
import io.tradeflow.config.RingConfig;
import io.tradeflow.config.WaitStrategyKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.threads.CpuPinning;

import java.time.Duration;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Disruptor ring: many producers (the HTTP event loop, the dashboard, the launcher), one
 * consumer thread running {@link RoutingHandler}.
 */
public final class RouterRing implements AutoCloseable {
    private static final long DRAIN_MILLIS = 10_000;

    private final Disruptor<RingEvent> disruptor;
    private final RingBuffer<RingEvent> ringBuffer;
    private final RoutingHandler handler;
    private boolean started;

    public RouterRing(RingConfig config, RoutingHandler handler) {
        this(config, handler, CpuSet.NONE);
    }

    /** @param cpus where the consumer thread runs ({@link CpuPinning}); {@link CpuSet#NONE} leaves it to the OS */
    public RouterRing(RingConfig config, RoutingHandler handler, CpuSet cpus) {
        ThreadFactory consumerThread = runnable -> {
            Thread t = new Thread(runnable, "tradeflow-ring");
            t.setDaemon(true);
            return t;
        };
        this.disruptor = new Disruptor<>(RingEvent::new, config.size(), CpuPinning.pinning(consumerThread, cpus),
                ProducerType.MULTI, waitStrategy(config.waitStrategy(), config.spin()));
        disruptor.handleEventsWith(handler);
        this.handler = handler;
        this.ringBuffer = disruptor.getRingBuffer();
    }

    static WaitStrategy waitStrategy(WaitStrategyKind kind) {
        return waitStrategy(kind, RingConfig.DEFAULT_SPIN);
    }

    static WaitStrategy waitStrategy(WaitStrategyKind kind, Duration spin) {
        switch (kind) {
            case LITE_BLOCKING:
                return new LiteBlockingWaitStrategy();
            case SPIN_THEN_PARK:
                return new SpinThenParkWaitStrategy(spin);
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case YIELDING:
                return new YieldingWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            case BLOCKING:
            default:
                return new BlockingWaitStrategy();
        }
    }

    /**
     * Starts the consumer and returns once it runs. The Disruptor's shutdown only drains consumers
     * that are running, so a ring closed before its thread got going would drop published events.
     */
    public synchronized void start() {
        if (!started) {
            disruptor.start();
            started = true;
            try {
                if (!handler.awaitStarted(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the ring consumer thread did not start");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the ring", e);
            }
        }
    }

    public RingBuffer<RingEvent> ringBuffer() {
        return ringBuffer;
    }

    /** Free slots left: 0 means the next alert is refused with 503 OVERLOADED. */
    public long remainingCapacity() {
        return ringBuffer.remainingCapacity();
    }

    /** Drains every published event, then stops the consumer thread. */
    @Override
    public synchronized void close() {
        if (!started) {
            return;
        }
        started = false;
        // Disruptor's shutdown only waits for consumers already running: a close that comes before the consumer
        // thread has started would halt it with the backlog unprocessed. Wait on our own count first.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (handler.processedCount() < ringBuffer.getCursor() + 1 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        try {
            disruptor.shutdown(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            disruptor.halt();
        }
    }
}
