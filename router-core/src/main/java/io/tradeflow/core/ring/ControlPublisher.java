package io.tradeflow.core.ring;

import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.RingBuffer;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Reply;
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
        Control c = new Control(accountId, userId);
        c.broker = broker;
        c.flag = enabled;
        c.timeMillis = signupAtMillis;
        c.trial = trial;
        c.count = tradesUsed;
        return publish(ControlType.ACCOUNT_ADDED, c);
    }

    public CompletableFuture<Long> accountEnabled(long accountId, long userId, boolean enabled) {
        return publish(enabled ? ControlType.ACCOUNT_ENABLED : ControlType.ACCOUNT_DISABLED, new Control(accountId, userId));
    }

    public CompletableFuture<Long> keyAdded(long accountId, long userId, byte[] keyHash) {
        Control c = new Control(accountId, userId);
        c.keyHash = keyHash;
        return publish(ControlType.KEY_ADDED, c);
    }

    public CompletableFuture<Long> keyRevoked(long accountId, long userId, byte[] keyHash) {
        Control c = new Control(accountId, userId);
        c.keyHash = keyHash;
        return publish(ControlType.KEY_REVOKED, c);
    }

    public CompletableFuture<Long> riskLimits(long accountId, long userId, RiskLimits limits) {
        Control c = new Control(accountId, userId);
        c.riskLimits = limits;
        return publish(ControlType.RISK_LIMITS, c);
    }

    /** Replaces the account's alert settings (pyramiding, windows, symbol map, suffix). */
    public CompletableFuture<Long> alertSettings(long accountId, long userId, AlertSettings settings) {
        Control c = new Control(accountId, userId);
        c.alertSettings = settings;
        return publish(ControlType.ALERT_SETTINGS, c);
    }

    /** Replaces the addresses the account's alerts may come from; an empty list accepts any. */
    public CompletableFuture<Long> allowedSources(long accountId, long userId, List<CidrBlock> blocks) {
        Control c = new Control(accountId, userId);
        c.allowedSources = List.copyOf(blocks);
        return publish(ControlType.SOURCE_ALLOWLIST, c);
    }

    /** Copy trading: publishes the account as a master (its accepted alerts are copied) or withdraws it. */
    public CompletableFuture<Long> copyMaster(long accountId, long userId, boolean published) {
        Control c = new Control(accountId, userId);
        c.flag = published;
        return publish(ControlType.COPY_MASTER, c);
    }

    /** Copy trading: sets or replaces a follower account's link (sizing, symbol map, paused or active). */
    public CompletableFuture<Long> copyLink(CopyLink link) {
        Control c = new Control(link.followerAccountId(), link.followerUserId());
        c.copyLink = link;
        return publish(ControlType.COPY_LINK, c);
    }

    /** Copy trading: removes a follower account's link. */
    public CompletableFuture<Long> copyUnlink(CopyLink link) {
        Control c = new Control(link.followerAccountId(), link.followerUserId());
        c.copyLink = link;
        return publish(ControlType.COPY_UNLINK, c);
    }

    /**
     * Sets the user's plan in the router: from the next alert on its limits apply.
     *
     * @param lapsed             entries refused (PLAN_LAPSED) from now on
     * @param graceEndsAtMillis  end of a failed payment's grace period (0 = none): entries refused from then on
     */
    public CompletableFuture<Long> planChanged(long userId, io.tradeflow.config.PlanTier plan, boolean lapsed,
                                               long graceEndsAtMillis) {
        Control c = new Control(0, userId);
        c.count = plan.code();
        c.flag = lapsed;
        c.timeMillis = graceEndsAtMillis;
        return publish(ControlType.PLAN_CHANGED, c);
    }

    /** Suspends (every alert of the user refused) or reactivates the user. */
    public CompletableFuture<Long> userSuspended(long userId, boolean suspended) {
        Control c = new Control(0, userId);
        c.flag = suspended;
        return publish(ControlType.USER_SUSPENDED, c);
    }

    public CompletableFuture<Long> emergencyStop(long userId, boolean on) {
        Control c = new Control(0, userId);
        c.flag = on;
        return publish(ControlType.EMERGENCY_STOP, c);
    }

    /**
     * Closes the account's position in the symbol at the last price the router saw. Completes with
     * the fill (no order when the position was already flat), or exceptionally when it was refused.
     */
    public CompletableFuture<PositionClose> closePosition(long accountId, long userId, CharSequence symbol) {
        CompletableFuture<PositionClose> closed = new CompletableFuture<>();
        Control c = new Control(accountId, userId);
        c.symbol = symbol;
        ring.publishEvent(CONTROL, ControlType.CLOSE_POSITION, c, decided -> {
            if (decided.outcome.isAccepted()) {
                closed.complete(new PositionClose(decided.accountId, decided.symbol.toString(), decided.orderId,
                        decided.filledQuantity, decided.fillPrice, decided.realizedPnl, decided.journalIndex));
            } else {
                closed.completeExceptionally(new PositionCloseRefused(
                        decided.reason == null ? decided.outcome.name() : decided.reason));
            }
        });
        return closed;
    }

    private CompletableFuture<Long> publish(ControlType type, Control c) {
        CompletableFuture<Long> applied = new CompletableFuture<>();
        ring.publishEvent(CONTROL, type, c, decided -> {
            if (decided.outcome.isAccepted()) {
                applied.complete(decided.journalIndex);
            } else {
                applied.completeExceptionally(new IllegalStateException("control " + type + " failed: " + decided.reason));
            }
        });
        return applied;
    }

    /** A command's arguments, made per command (control traffic is rare) and read once by the translator. */
    private static final class Control {
        final long accountId;
        final long userId;
        BrokerKind broker;
        boolean flag;
        long timeMillis;
        int count;
        boolean trial;
        byte[] keyHash;
        RiskLimits riskLimits;
        AlertSettings alertSettings;
        List<CidrBlock> allowedSources;
        CharSequence symbol;
        CopyLink copyLink;

        Control(long accountId, long userId) {
            this.accountId = accountId;
            this.userId = userId;
        }
    }

    /** Writes a command into its slot; static, so publishing captures nothing beyond its arguments. */
    private static final EventTranslatorThreeArg<RingEvent, ControlType, Control, Reply> CONTROL = (e, seq, type, c, reply) -> {
        e.begin(EventType.CONTROL, System.currentTimeMillis(), System.nanoTime());
        e.controlType = type;
        e.controlAccountId = c.accountId;
        e.controlUserId = c.userId;
        e.controlBroker = c.broker;
        e.controlFlag = c.flag;
        e.controlTimeMillis = c.timeMillis;
        e.controlCount = c.count;
        e.controlTrial = c.trial;
        if (c.keyHash != null) {
            System.arraycopy(c.keyHash, 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        }
        e.controlRiskLimits = c.riskLimits;
        e.controlAlertSettings = c.alertSettings;
        e.controlAllowedSources = c.allowedSources;
        e.controlCopyLink = c.copyLink;
        if (c.symbol != null) {
            e.symbol.set(c.symbol);
        }
        e.replyTo = reply;
    };
}
