package io.tradeflow.core.ring;

import com.lmax.disruptor.RingBuffer;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes control commands into the ring, so they are ordered and journaled with the alerts.
 * Safe to call from any thread; waits for a free slot (control traffic is rare). Each method
 * returns a future completed, once the command is applied and journaled, with its journal index,
 * so a caller can wait until the database projection has seen everything up to the command.
 */
public final class ControlPublisher {
    private final RingBuffer<RingEvent> ring;

    public ControlPublisher(RingBuffer<RingEvent> ring) {
        this.ring = ring;
    }

    public CompletableFuture<Long> accountAdded(long accountId, long userId, BrokerKind broker, boolean enabled,
                             long signupAtMillis, boolean trial, int tradesUsed) {
        CompletableFuture<Long> applied = new CompletableFuture<>();
        long seq = ring.next();
        try {
            RingEvent e = claim(seq, ControlType.ACCOUNT_ADDED, accountId, userId, applied);
            e.controlBroker = broker;
            e.controlFlag = enabled;
            e.controlTimeMillis = signupAtMillis;
            e.controlTrial = trial;
            e.controlCount = tradesUsed;
        } finally {
            ring.publish(seq);
        }
        return applied;
    }

    public CompletableFuture<Long> accountEnabled(long accountId, long userId, boolean enabled) {
        return publish(enabled ? ControlType.ACCOUNT_ENABLED : ControlType.ACCOUNT_DISABLED, accountId, userId, null, false);
    }

    public CompletableFuture<Long> keyAdded(long accountId, long userId, byte[] keyHash) {
        return publish(ControlType.KEY_ADDED, accountId, userId, keyHash, false);
    }

    public CompletableFuture<Long> keyRevoked(long accountId, long userId, byte[] keyHash) {
        return publish(ControlType.KEY_REVOKED, accountId, userId, keyHash, false);
    }

    public CompletableFuture<Long> riskLimits(long accountId, long userId, RiskLimits limits) {
        CompletableFuture<Long> applied = new CompletableFuture<>();
        long seq = ring.next();
        try {
            claim(seq, ControlType.RISK_LIMITS, accountId, userId, applied).controlRiskLimits = limits;
        } finally {
            ring.publish(seq);
        }
        return applied;
    }

    /** Replaces the account's alert settings (pyramiding, windows, symbol map, suffix). */
    public CompletableFuture<Long> alertSettings(long accountId, long userId, AlertSettings settings) {
        CompletableFuture<Long> applied = new CompletableFuture<>();
        long seq = ring.next();
        try {
            claim(seq, ControlType.ALERT_SETTINGS, accountId, userId, applied).controlAlertSettings = settings;
        } finally {
            ring.publish(seq);
        }
        return applied;
    }

    /** Replaces the addresses the account's alerts may come from; an empty list accepts any. */
    public CompletableFuture<Long> allowedSources(long accountId, long userId, List<CidrBlock> blocks) {
        CompletableFuture<Long> applied = new CompletableFuture<>();
        long seq = ring.next();
        try {
            claim(seq, ControlType.SOURCE_ALLOWLIST, accountId, userId, applied).controlAllowedSources = List.copyOf(blocks);
        } finally {
            ring.publish(seq);
        }
        return applied;
    }

    public CompletableFuture<Long> emergencyStop(long userId, boolean on) {
        return publish(ControlType.EMERGENCY_STOP, 0, userId, null, on);
    }

    /**
     * Closes the account's position in the symbol at the last price the router saw. Completes with
     * the fill (no order when the position was already flat), or exceptionally when it was refused.
     */
    public CompletableFuture<PositionClose> closePosition(long accountId, long userId, CharSequence symbol) {
        CompletableFuture<PositionClose> closed = new CompletableFuture<>();
        long seq = ring.next();
        try {
            RingEvent e = claim(seq, ControlType.CLOSE_POSITION, accountId, userId, new CompletableFuture<>());
            e.symbol.set(symbol);
            e.replyTo = decided -> {
                if (decided.outcome.isAccepted()) {
                    closed.complete(new PositionClose(decided.accountId, decided.symbol.toString(), decided.orderId,
                            decided.filledQuantity, decided.fillPrice, decided.realizedPnl, decided.journalIndex));
                } else {
                    closed.completeExceptionally(new PositionCloseRefused(
                            decided.reason == null ? decided.outcome.name() : decided.reason));
                }
            };
        } finally {
            ring.publish(seq);
        }
        return closed;
    }

    private CompletableFuture<Long> publish(ControlType type, long accountId, long userId, byte[] keyHash, boolean flag) {
        CompletableFuture<Long> applied = new CompletableFuture<>();
        long seq = ring.next();
        try {
            RingEvent e = claim(seq, type, accountId, userId, applied);
            e.controlFlag = flag;
            if (keyHash != null) {
                System.arraycopy(keyHash, 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            }
        } finally {
            ring.publish(seq);
        }
        return applied;
    }

    private RingEvent claim(long seq, ControlType type, long accountId, long userId, CompletableFuture<Long> applied) {
        RingEvent e = ring.get(seq);
        e.reset();
        e.type = EventType.CONTROL;
        e.receivedAtMillis = System.currentTimeMillis();
        e.receivedAtNanos = System.nanoTime();
        e.controlType = type;
        e.controlAccountId = accountId;
        e.controlUserId = userId;
        e.replyTo = decided -> {
            if (decided.outcome.isAccepted()) {
                applied.complete(decided.journalIndex);
            } else {
                applied.completeExceptionally(new IllegalStateException("control " + type + " failed: " + decided.reason));
            }
        };
        return e;
    }
}
