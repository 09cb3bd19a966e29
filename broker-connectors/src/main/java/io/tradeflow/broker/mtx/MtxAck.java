package io.tradeflow.broker.mtx;

/**
 * The EA's answer to one command: on success the ticket, fill price and filled volume (lots; 0 for
 * a pending order); on failure MetaTrader's error code and text.
 */
public record MtxAck(String commandId, boolean ok, long ticket, double price, double volume, int errorCode, String error) {
}
