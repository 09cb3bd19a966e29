package io.tradeflow.broker.mtx;

import java.util.Locale;

/**
 * The EA's answer to one command (protocol {@value MtxProtocol#VERSION}).
 *
 * @param result what happened: {@link Result}
 * @param ticket the MetaTrader ticket (position, order or deal) the command produced, 0 when none
 * @param price  the volume-weighted price of the deals it made (from the terminal's deal history), 0 when none
 * @param volume the lots it actually executed (closed plus opened); less than asked is a partial fill
 * @param errorCode MetaTrader's error or return code of the step that failed, 0 when none
 * @param error  MetaTrader's text for it, or the EA's
 */
public record MtxAck(String commandId, Result result, long ticket, double price, double volume, int errorCode, String error) {

    /** Protocol 1's shape: {@code ok} is a fill of {@code volume} (placed when 0), otherwise a refusal. */
    public MtxAck(String commandId, boolean ok, long ticket, double price, double volume, int errorCode, String error) {
        this(commandId, !ok ? Result.REFUSED : volume > 0 ? Result.FILLED : Result.PLACED, ticket, price, volume, errorCode,
                error);
    }

    /** The outcome kinds an EA may report. */
    public enum Result {
        /** Executed (market order, close): {@code volume} lots at {@code price}; may be less than asked. */
        FILLED,
        /** A pending (limit/stop) order was placed: {@code ticket} is the order; nothing traded yet. */
        PLACED,
        /** Nothing was executed; {@code errorCode}/{@code error} say why. */
        REFUSED,
        /** The command's expiry had passed before the EA could execute it: not executed. */
        EXPIRED,
        /**
         * The EA cannot tell whether the trade happened (a timeout, a crash between sending and
         * recording): it will not execute the id again, and the router must not send it again.
         */
        UNKNOWN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The result for its wire name, or null. */
        public static Result of(String wireName) {
            for (Result r : values()) {
                if (r.wireName().equals(wireName)) {
                    return r;
                }
            }
            return null;
        }
    }
}
