package io.tradeflow.core.venue;

import io.tradeflow.core.event.BrokerKind;

import java.util.Map;

/** The gateway for each real broker kind; brokers without one use their {@link ExecutionVenue}. */
public final class BrokerGateways {
    public static final BrokerGateways NONE = new BrokerGateways(Map.of());

    private final BrokerGateway[] byBroker = new BrokerGateway[BrokerKind.values().length];

    public BrokerGateways(Map<BrokerKind, BrokerGateway> gateways) {
        gateways.forEach((kind, gateway) -> byBroker[kind.ordinal()] = gateway);
    }

    /** The gateway, or null when the broker has none. */
    public BrokerGateway forBroker(BrokerKind broker) {
        return byBroker[broker.ordinal()];
    }
}
