package io.tradeflow.core.ring;

/** A CLOSE_POSITION command the router refused; the message says why (e.g. no price known for the symbol). */
public final class PositionCloseRefused extends RuntimeException {
    public PositionCloseRefused(String reason) {
        super(reason);
    }
}
