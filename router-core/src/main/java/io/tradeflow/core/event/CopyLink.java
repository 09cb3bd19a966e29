package io.tradeflow.core.event;

import java.util.Map;
import java.util.TreeMap;

/**
 * One follower account's link to a master account (copy trading), as a COPY_LINK control event
 * carries it into the ring. Control events are rare, so this is an immutable object.
 *
 * @param subscriptionId the subscription the link belongs to (orders the followers: lower first)
 * @param masterAccountId the master's account, whose accepted alerts are copied
 * @param followerAccountId the account that receives the copies
 * @param followerUserId the follower account's owner
 * @param sizeMode how the copy is sized: null multiplies the master's size by {@code sizeValue};
 *                 {@link SizeMode#QTY} is a fixed size, {@link SizeMode#PERCENT_EQUITY} and
 *                 {@link SizeMode#RISK_PERCENT} size from the follower's own equity
 * @param sizeValue the multiplier, the fixed quantity or the percentage
 * @param active false while the subscription is paused (the follower's copies are refused and recorded)
 * @param symbolMap the master's symbol (upper case) to the follower's symbol; empty = same symbol
 */
public record CopyLink(long subscriptionId, long masterAccountId, long followerAccountId, long followerUserId,
                       SizeMode sizeMode, double sizeValue, boolean active, Map<String, String> symbolMap) {
    public static final int MAX_SYMBOL_MAP_ENTRIES = 64;

    public CopyLink {
        symbolMap = symbolMap == null ? Map.of() : Map.copyOf(new TreeMap<>(symbolMap));
        if (sizeMode == SizeMode.NOTIONAL || sizeMode == SizeMode.RISK_AMOUNT) {
            throw new IllegalArgumentException("copy sizing is multiplier, qty, percent_equity or risk_percent");
        }
        if (!(sizeValue > 0) || Double.isInfinite(sizeValue)) {
            throw new IllegalArgumentException("copy size must be above 0");
        }
        if (symbolMap.size() > MAX_SYMBOL_MAP_ENTRIES) {
            throw new IllegalArgumentException("at most " + MAX_SYMBOL_MAP_ENTRIES + " symbol map entries");
        }
    }

    /** Whether this link multiplies the master's size (the default). */
    public boolean multiplies() {
        return sizeMode == null;
    }

    /** The same link, paused or active. */
    public CopyLink withActive(boolean on) {
        return new CopyLink(subscriptionId, masterAccountId, followerAccountId, followerUserId, sizeMode, sizeValue, on,
                symbolMap);
    }

    /** Whether both name the same subscription and follower account. */
    public boolean sameSlot(CopyLink o) {
        return subscriptionId == o.subscriptionId && followerAccountId == o.followerAccountId;
    }
}
