package io.tradeflow.core.testing;

import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;

/** Fills ring events the way ingress and the control publisher do, for tests. */
public final class Events {
    private Events() {
    }

    /** An alert as ingress would publish it after parsing; {@code key} null means no key was sent. */
    public static RingEvent intent(RingEvent e, String key, long receivedAt, Action action, Side side, String symbol,
                                   double quantity, double price) {
        e.reset();
        e.type = EventType.INTENT;
        e.receivedAtMillis = receivedAt;
        e.receivedAtNanos = System.nanoTime();
        if (key != null) {
            System.arraycopy(KeyHasher.sha256(key), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            e.keyPresent = true;
        }
        e.action = action;
        e.side = side;
        e.symbol.set(symbol);
        e.quantity = quantity;
        e.price = price;
        return e;
    }

    public static RingEvent open(String key, long receivedAt, Side side, String symbol, double quantity, double price) {
        return intent(new RingEvent(), key, receivedAt, Action.OPEN, side, symbol, quantity, price);
    }

    /** An exit or reverse: close, close_long, close_short (no side or quantity) at an optional price. */
    public static RingEvent exit(String key, long receivedAt, Action action, String symbol, double price) {
        return intent(new RingEvent(), key, receivedAt, action, null, symbol, 0, price);
    }

    /** A same-direction entry that says {@code add}, so pyramiding limits do not refuse it. */
    public static RingEvent add(String key, long receivedAt, Side side, String symbol, double quantity, double price) {
        RingEvent e = open(key, receivedAt, side, symbol, quantity, price);
        e.addToPosition = true;
        return e;
    }

    /** A partial exit: close, close_long or close_short of {@code quantity}. */
    public static RingEvent exit(String key, long receivedAt, Action action, String symbol, double quantity, double price) {
        return intent(new RingEvent(), key, receivedAt, action, null, symbol, quantity, price);
    }

    public static RingEvent control(RingEvent e, long receivedAt, ControlType type, long accountId, long userId) {
        e.reset();
        e.type = EventType.CONTROL;
        e.receivedAtMillis = receivedAt;
        e.receivedAtNanos = System.nanoTime();
        e.controlType = type;
        e.controlAccountId = accountId;
        e.controlUserId = userId;
        return e;
    }

    public static RingEvent accountAdded(RingEvent e, long receivedAt, long accountId, long userId, BrokerKind broker,
                                         boolean enabled, long signupAt, boolean trial, int tradesUsed) {
        control(e, receivedAt, ControlType.ACCOUNT_ADDED, accountId, userId);
        e.controlBroker = broker;
        e.controlFlag = enabled;
        e.controlTimeMillis = signupAt;
        e.controlTrial = trial;
        e.controlCount = tradesUsed;
        return e;
    }

    public static RingEvent key(RingEvent e, long receivedAt, ControlType addedOrRevoked, long accountId, long userId,
                                String key) {
        control(e, receivedAt, addedOrRevoked, accountId, userId);
        System.arraycopy(KeyHasher.sha256(key), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        return e;
    }

    public static RingEvent emergencyStop(RingEvent e, long receivedAt, long userId, boolean on) {
        control(e, receivedAt, ControlType.EMERGENCY_STOP, 0, userId);
        e.controlFlag = on;
        return e;
    }

    /** A copy that outlives the ring slot it was taken from. */
    public static RingEvent copyOf(RingEvent e) {
        RingEvent copy = new RingEvent();
        copy.copyFrom(e);
        return copy;
    }
}
