package io.tradeflow.core.ring;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.feed.PriceSink;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a price feed's prices into the ring as PRICE events, ordered and journaled with the
 * alerts. Claims with {@code tryNext}, never the blocking {@code next}: when the ring is full it
 * backs off and retries (a feed is a replay or a stream, not a webhook with a deadline, so waiting
 * is the right answer; a webhook meanwhile gets its fast 503), and it gives up only when closed or
 * interrupted, so shutdown never hangs on a full ring.
 */
public final class PricePublisher implements PriceSink, AutoCloseable {
    private static final long BACK_OFF_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final RingBuffer<RingEvent> ring;
    private volatile boolean closed;

    public PricePublisher(RingBuffer<RingEvent> ring) {
        this.ring = ring;
    }

    @Override
    public boolean onPrice(String symbol, double price) {
        long sequence;
        while (true) {
            if (closed || Thread.currentThread().isInterrupted()) {
                return false;
            }
            try {
                sequence = ring.tryNext();
                break;
            } catch (InsufficientCapacityException full) {
                LockSupport.parkNanos(BACK_OFF_NANOS);
            }
        }
        try {
            // Claimed with tryNext, not published through a translator: a double argument would box.
            RingEvent e = ring.get(sequence).begin(EventType.PRICE, System.currentTimeMillis(), System.nanoTime());
            e.symbol.set(symbol);
            e.price = price;
        } finally {
            ring.publish(sequence);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
