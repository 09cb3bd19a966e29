package io.tradeflow.core.testing;

import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.venue.ExecutionVenue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An honest fake of a venue: fills every market order at the reference price without commission,
 * deterministically (as the interface requires). It can be told to throw on one symbol, to show
 * that a failing stage is contained to its event.
 */
public final class ReferencePriceVenue implements ExecutionVenue {
    private final String failingSymbol;
    private final AtomicInteger fills = new AtomicInteger();

    public ReferencePriceVenue() {
        this(null);
    }

    public ReferencePriceVenue(String failingSymbol) {
        this.failingSymbol = failingSymbol;
    }

    @Override
    public boolean fillMarket(RingEvent event, double referencePrice, double signedQuantity) {
        if (failingSymbol != null && failingSymbol.contentEquals(event.symbol)) {
            throw new IllegalStateException("venue refuses to handle " + failingSymbol);
        }
        event.fillPrice = referencePrice;
        event.commission = 0;
        fills.incrementAndGet();
        return true;
    }

    public int fills() {
        return fills.get();
    }
}
