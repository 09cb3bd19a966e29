package io.tradeflow.core.ring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.time.Duration;

/**
 * Waits for the next event by spinning for a short while, then parking ({@link LiteBlockingWaitStrategy}).
 * An event that arrives within the spin is picked up without the publisher having to wake a parked thread
 * (a futex wake and a context switch); an idle ring still costs no CPU once the spin is over.
 *
 * <p>It pays only when the publisher runs on another core while the consumer spins: with both hot threads
 * pinned to one CPU ({@code threads.router-cpus} of a single CPU) the spin only delays the publisher.
 * (Disruptor's {@code PhasedBackoffWaitStrategy} checks the clock only every 10,000 spins, too coarse for
 * a spin of microseconds.)
 */
final class SpinThenParkWaitStrategy implements WaitStrategy {
    /** Spins between two reads of the clock. */
    private static final int SPINS_PER_CLOCK_READ = 64;

    private final long spinNanos;
    private final LiteBlockingWaitStrategy park = new LiteBlockingWaitStrategy();

    SpinThenParkWaitStrategy(Duration spin) {
        this.spinNanos = spin.toNanos();
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        if (spinNanos <= 0) {
            return park.waitFor(sequence, cursor, dependentSequence, barrier);
        }
        long deadline = System.nanoTime() + spinNanos;
        int spins = 0;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            Thread.onSpinWait();
            if (++spins == SPINS_PER_CLOCK_READ) {
                spins = 0;
                if (System.nanoTime() - deadline > 0) {
                    return park.waitFor(sequence, cursor, dependentSequence, barrier);
                }
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        park.signalAllWhenBlocking();
    }
}
