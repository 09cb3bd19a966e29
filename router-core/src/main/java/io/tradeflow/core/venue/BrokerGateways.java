package io.tradeflow.core.venue;

import io.tradeflow.core.event.BrokerKind;

import java.util.Map;

/** The gateway for each real broker kind; brokers without one use their {@link ExecutionVenue}. */
public final class BrokerGateways {
    public static final BrokerGateways NONE = new BrokerGateways(Map.of());

    private final BrokerGateway[] byBroker = new BrokerGateway[BrokerKind.values().length];
    private final BrokerGateway[] distinct;

    public BrokerGateways(Map<BrokerKind, BrokerGateway> gateways) {
        gateways.forEach((kind, gateway) -> byBroker[kind.ordinal()] = gateway);
        distinct = java.util.Arrays.stream(byBroker).filter(java.util.Objects::nonNull).distinct()
                .toArray(BrokerGateway[]::new);
    }

    /** Releases (or drops) what the event just decided submitted: see {@link BrokerGateway#release}. */
    public void release(boolean journaled) {
        for (BrokerGateway g : distinct) {
            g.release(journaled);
        }
    }

    /** The gateway, or null when the broker has none. */
    public BrokerGateway forBroker(BrokerKind broker) {
        return byBroker[broker.ordinal()];
    }
}
