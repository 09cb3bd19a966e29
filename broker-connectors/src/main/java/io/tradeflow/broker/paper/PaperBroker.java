package io.tradeflow.broker.paper;

import io.tradeflow.config.PaperConfig;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.venue.ExecutionVenue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The built-in paper broker: fills market orders at once at the reference price, moved against the
 * trader by half the instrument's spread plus slippage that grows with the order's size up to a
 * cap, and charges commission per unit with a minimum. It runs on the ring thread and is a pure
 * function of the event and the config, so replays fill identically. Positions and P&amp;L are
 * booked by the router's position book, as for every venue.
 */
public final class PaperBroker implements ExecutionVenue {
    private final double defaultHalfSpread;
    private final byte[][] spreadSymbols;
    private final double[] halfSpreads;
    private final double slippage;
    private final double slippagePerLot;
    private final double slippageCap;
    private final double commissionPerUnit;
    private final double commissionMinimum;
    private final double leverage;

    public PaperBroker(PaperConfig config) {
        this.defaultHalfSpread = config.spread() / 2;
        this.spreadSymbols = new byte[config.spreads().size()][];
        this.halfSpreads = new double[config.spreads().size()];
        int i = 0;
        for (Map.Entry<String, Double> entry : config.spreads().entrySet()) {
            spreadSymbols[i] = entry.getKey().getBytes(StandardCharsets.US_ASCII);
            halfSpreads[i] = entry.getValue() / 2;
            i++;
        }
        this.slippage = config.slippage();
        this.slippagePerLot = config.slippagePerLot();
        this.slippageCap = config.slippageCap();
        this.commissionPerUnit = config.commissionPerUnit();
        this.commissionMinimum = config.commissionMinimum();
        this.leverage = config.leverage();
    }

    @Override
    public double leverage() {
        return leverage;
    }

    @Override
    public boolean fillMarket(RingEvent event, double referencePrice, double signedQuantity) {
        double lots = Math.abs(signedQuantity);
        double slip = slippage + slippagePerLot * lots;
        if (slippageCap > 0) {
            slip = Math.min(slip, slippageCap);
        }
        double adverse = halfSpread(event) + slip;
        event.fillPrice = signedQuantity > 0 ? referencePrice + adverse : Math.max(0, referencePrice - adverse);
        event.commission = Math.max(commissionMinimum, lots * commissionPerUnit);
        return true;
    }

    /** A limit fills at its price: the trader chose it, so neither spread nor slippage applies; commission does. */
    @Override
    public boolean fillLimit(RingEvent event, double price, double signedQuantity) {
        event.fillPrice = price;
        event.commission = Math.max(commissionMinimum, Math.abs(signedQuantity) * commissionPerUnit);
        return true;
    }

    private double halfSpread(RingEvent event) {
        for (int i = 0; i < spreadSymbols.length; i++) {
            if (event.symbol.contentEquals(spreadSymbols[i])) {
                return halfSpreads[i];
            }
        }
        return defaultHalfSpread;
    }
}
