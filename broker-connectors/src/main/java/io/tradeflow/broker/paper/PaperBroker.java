package io.tradeflow.broker.paper;

import io.tradeflow.config.PaperConfig;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.venue.ExecutionVenue;

/**
 * The built-in paper broker: fills market orders at once at the reference price, moved against the
 * trader by half the spread plus the slippage, and charges commission per unit. It runs on the
 * ring thread and is a pure function of the event and the config, so replays fill identically.
 * Positions and P&amp;L are booked by the router's position book, as for every venue.
 */
public final class PaperBroker implements ExecutionVenue {
    private final double halfSpread;
    private final double slippage;
    private final double commissionPerUnit;

    public PaperBroker(PaperConfig config) {
        this.halfSpread = config.spread() / 2;
        this.slippage = config.slippage();
        this.commissionPerUnit = config.commissionPerUnit();
    }

    @Override
    public boolean fillMarket(RingEvent event, double referencePrice, double signedQuantity) {
        double adverse = halfSpread + slippage;
        event.fillPrice = signedQuantity > 0 ? referencePrice + adverse : Math.max(0, referencePrice - adverse);
        event.commission = Math.abs(signedQuantity) * commissionPerUnit;
        return true;
    }
}
