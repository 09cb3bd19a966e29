package io.tradeflow.core.venue;

import io.tradeflow.core.event.BrokerKind;

import java.util.Map;

/** The venue for each broker kind; brokers without one are refused with BROKER_ERROR. */
public final class Venues {
    private final ExecutionVenue[] byBroker = new ExecutionVenue[BrokerKind.values().length];

    public Venues(Map<BrokerKind, ExecutionVenue> venues) {
        venues.forEach((kind, venue) -> byBroker[kind.ordinal()] = venue);
    }

    /** The venue, or null when the broker has none. */
    public ExecutionVenue forBroker(BrokerKind broker) {
        return byBroker[broker.ordinal()];
    }
}
