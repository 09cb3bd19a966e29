package io.tradeflow.app;

import io.tradeflow.broker.paper.PaperBroker;
import io.tradeflow.config.PaperConfig;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.venue.ExecutionVenue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The paper broker with injected faults, keyed by symbol: {@code POISON} throws (a bug in a
 * stage), {@code STALL} holds the ring thread until {@link #release()} (a stage that is stuck,
 * so the ring fills). Every other symbol fills normally.
 */
final class FaultyVenue implements ExecutionVenue {
    static final String POISON = "POISON";
    static final String STALL = "STALL";

    private final PaperBroker paper = new PaperBroker(new PaperConfig(100_000, 0, 0, 0));
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public boolean fillMarket(RingEvent event, double referencePrice, double signedQuantity) {
        String symbol = event.symbol.toString();
        if (symbol.equals(POISON)) {
            throw new IllegalStateException("injected fault");
        }
        if (symbol.equals(STALL)) {
            stalled.countDown();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return paper.fillMarket(event, referencePrice, signedQuantity);
    }

    boolean awaitStalled() throws InterruptedException {
        return stalled.await(30, TimeUnit.SECONDS);
    }

    void release() {
        released.countDown();
    }
}
