package io.tradeflow.broker.mtx;

/**
 * The EA protocol's version and the headers that carry it. An EA names the version it speaks on
 * every call ({@value #VERSION_HEADER}); the router refuses any other version (426, and the account
 * shows the EA as outdated), because an older EA would misread the commands (pips it guesses,
 * no expiry, no reduce-only). {@value #INSTANCE_HEADER} identifies one running EA (stable across
 * its restarts): a command is delivered only to the instance that claimed it first.
 */
public final class MtxProtocol {
    public static final int VERSION = 2;
    public static final String VERSION_HEADER = "X-TradeFlow-Protocol";
    public static final String INSTANCE_HEADER = "X-TradeFlow-Instance";

    private MtxProtocol() {
    }

    /** The refusal for an EA speaking {@code version} (null or blank: an EA from before versioning). */
    public static String outdated(String version) {
        String spoken = version == null || version.isBlank() ? "1 (no " + VERSION_HEADER + " header)"
                : version.strip().matches("[0-9]{1,4}") ? version.strip() : "an unreadable version";
        return "the MetaTrader EA speaks protocol " + spoken + " but this router needs protocol " + VERSION
                + ": install TradeFlowBridge " + VERSION + ".00 from the router's ea/ folder (an older EA would not trade"
                + " the commands safely)";
    }
}
