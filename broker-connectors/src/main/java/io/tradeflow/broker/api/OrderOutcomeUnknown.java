package io.tradeflow.broker.api;

/**
 * The failure for a place-order whose answer was lost and whose tag lookup failed too: the order
 * may or may not exist at the broker. It is not sent again (that could double it); the periodic
 * reconciliation records the position if it does exist.
 */
public final class OrderOutcomeUnknown {
    private OrderOutcomeUnknown() {
    }

    public static BrokerException of(String broker, BrokerException lost, Throwable lookupFailure) {
        return new BrokerException(BrokerException.Kind.TIMEOUT, broker + " order outcome unknown: " + lost.getMessage()
                + "; looking it up by its tag failed too (" + BrokerException.of(lookupFailure).getMessage()
                + "); not sent again, reconciliation will report any position it opened", lost);
    }
}
