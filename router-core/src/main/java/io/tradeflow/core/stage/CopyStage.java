package io.tradeflow.core.stage;

import io.tradeflow.config.BillingConfig;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.CopyBook;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.UserState;

import java.util.Arrays;
import java.util.List;

/**
 * Copy trading's fan-out: a published master's accepted alert becomes one order per follower
 * account, decided on the ring thread in the same ring event as the master's alert, one after the
 * other in the fixed order of {@link CopyBook} (subscription id, then account id).
 *
 * <p>Each copy is an INTENT of the follower's account carrying the master's alert (no API key, no
 * source address) plus the master's account, the subscription and the master record's journal index.
 * It passes the follower's own idempotency index first (the master's {@code id}: a copy the follower
 * already has is answered as a repeat, so a retried master alert completes a fan-out a crash cut
 * short without doubling), then the subscription's checks (paused, follower limit, account switched
 * off), then plan (trial, lapse, limits), risk (emergency stop, limits, hours, rate) and dispatch (sizing, margin, the
 * follower's broker). A refusal is that
 * follower's only: the next copy is decided from the master's alert again. Like the trigger pass,
 * the caller journals each copy before asking for the next, so a replay reads exactly these records
 * and decides nothing again. Deciding a copy allocates nothing on paper accounts.
 */
public final class CopyStage {
    /** The field a paused subscription's refusal names. */
    public static final String FIELD_SUBSCRIPTION = "subscription";
    /** The rule a copy beyond the master's follower limit names. */
    public static final String RULE_MAX_FOLLOWERS = "max_followers";
    public static final String PAUSED = "the copy-trading subscription is paused";
    public static final String OVER_LIMIT = "the master's follower limit is reached (copy.max-followers-per-master)";
    /** A copy beyond what the master's plan allows ({@code billing.plans.<plan>.copy-followers}; 0 = none). */
    public static final String OVER_PLAN = "the master's plan allows no more followers (billing.plans.<plan>.copy-followers)";
    public static final String NO_ACCOUNT = "the follower account no longer exists";
    public static final String DISABLED = "account is disabled";

    private final RouterState state;
    private final IdempotencyStage idempotency;
    private final PlanStage plan;
    private final RiskStage risk;
    private final DispatchStage dispatch;
    /** Followers per master by plan code; 0 = the plan cannot lead. */
    private final int[] followersByPlan;
    private int cursor;
    private int served;
    /** This fan-out's limit: the master's plan's, or the operator's cap if lower. */
    private int limit;
    private boolean limitIsPlan;

    CopyStage(RouterState state, BillingConfig billing, IdempotencyStage idempotency, PlanStage plan, RiskStage risk,
              DispatchStage dispatch) {
        this.state = state;
        this.followersByPlan = billing.copyFollowersByCode();
        this.idempotency = idempotency;
        this.plan = plan;
        this.risk = risk;
        this.dispatch = dispatch;
    }

    /**
     * Whether the decided, journaled event is a published master's new accepted alert with followers;
     * if so, starts its fan-out ({@link #next} then yields the copies).
     */
    public boolean begin(RingEvent master) {
        cursor = 0;
        served = 0;
        // A repeat of an accepted master alert (its idempotency key again, e.g. TradingView retrying after a crash
        // cut the fan-out short) fans out again: followers that have their copy get it as a repeat (nothing new is
        // placed, by their own idempotency index), followers whose copy was lost get it now.
        boolean fans = master.type == EventType.INTENT && !master.isCopy() && master.outcome == Outcome.ACCEPTED
                && master.accountId != 0 && state.copy().published(master.accountId)
                && !state.copy().followers(master.accountId).isEmpty();
        if (fans) {
            limit(master);
            master.copyAccepted = 0;
            master.copyRefused = 0;
            Arrays.fill(master.copyRefusedByOutcome, 0);
        }
        return fans;
    }

    /**
     * The fan-out's follower limit, read from the master user's plan in the ring's state (set by PLAN_CHANGED, so
     * a replay, which reads the journaled copies, and a live repeat decide alike). A master without a known user
     * (routers built by hand) gets the operator's cap only.
     */
    private void limit(RingEvent master) {
        int cap = state.copy().maxFollowersPerMaster();
        UserState user = state.user(master.userId);
        int plan = user == null ? Integer.MAX_VALUE : followersByPlan[user.plan().code()];
        limitIsPlan = plan < cap;
        limit = Math.min(plan, cap);
    }

    /**
     * Decides the next follower's copy of {@code master} into {@code copy} (reset first) and counts
     * it in the master's summary; false when every follower has had its copy.
     */
    public boolean next(RingEvent master, RingEvent copy) {
        List<CopyBook.Follower> followers = state.copy().followers(master.accountId);
        if (cursor >= followers.size()) {
            return false;
        }
        CopyBook.Follower follower = followers.get(cursor++);
        start(master, follower.link(), copy);
        try {
            decide(master, follower, copy);
        } catch (RuntimeException ex) {
            // Contained to this follower, as a failing stage is to its event.
            copy.reject(Outcome.INTERNAL_ERROR, null, "internal error deciding the copy");
        }
        if (copy.outcome == Outcome.ACCEPTED) {
            master.copyAccepted++;
        } else {
            master.copyRefused++;
            master.copyRefusedByOutcome[copy.outcome.ordinal()]++;
        }
        return true;
    }

    /** The copy's input: the master's alert, without what identified the master's sender. */
    private static void start(RingEvent master, CopyLink link, RingEvent copy) {
        copy.copyFrom(master);
        copy.replyTo = null;
        copy.journalIndex = 0;
        Arrays.fill(copy.keyHash, (byte) 0);
        copy.keyPresent = false;
        Arrays.fill(copy.sourceAddress, (byte) 0);
        copy.sourceAddressLength = 0;
        copy.requestedBroker = null;
        copy.controlCopyLink = null;
        copy.clearDecision();
        copy.copyMasterAccountId = master.accountId;
        copy.copySubscriptionId = link.subscriptionId();
        copy.copyParentIndex = master.journalIndex;
        copy.accountId = link.followerAccountId();
        copy.userId = link.followerUserId();
    }

    private void decide(RingEvent master, CopyBook.Follower follower, RingEvent copy) {
        CopyLink link = follower.link();
        AccountState account = state.account(link.followerAccountId());
        if (account == null) {
            copy.reject(Outcome.INVALID_PAYLOAD, "account_id", NO_ACCOUNT);
            return;
        }
        copy.userId = account.user().userId();
        // First: a copy this follower already has (the master's alert repeated) is answered as the first was.
        idempotency.onIntent(copy);
        if (copy.isDecided()) {
            if (link.active() && copy.outcome == Outcome.ACCEPTED) {
                served++;
            }
            return;
        }
        if (!link.active()) {
            copy.reject(Outcome.ACCOUNT_DISABLED, FIELD_SUBSCRIPTION, PAUSED);
            return;
        }
        if (served >= limit) {
            copy.reject(Outcome.RISK_REJECTED, RULE_MAX_FOLLOWERS, limitIsPlan ? OVER_PLAN : OVER_LIMIT);
            return;
        }
        served++;
        if (!account.enabled()) {
            copy.reject(Outcome.ACCOUNT_DISABLED, null, DISABLED);
            return;
        }
        follower.mapSymbol(copy.symbol);
        size(master, link, copy);
        plan.onIntent(copy);
        risk.onIntent(copy);
        dispatch.onIntent(copy);
        RoutingPipeline.rememberAcceptedPrice(state, copy);
    }

    /**
     * The follower's size. Entries: the master's size times the multiplier, or the link's fixed
     * size, % of equity or risk %. Partial exits: the multiplier's share of the master's exit, or,
     * for the other rules, the same fraction of the follower's position as the master closed of its own.
     */
    private void size(RingEvent master, CopyLink link, RingEvent copy) {
        if (copy.action.isEntry()) {
            if (link.multiplies()) {
                copy.quantity = master.quantity * link.sizeValue();
            } else {
                copy.sizeMode = link.sizeMode();
                copy.quantity = link.sizeValue();
            }
            return;
        }
        boolean partialExit = copy.quantity > 0
                && (copy.action == Action.CLOSE || copy.action == Action.CLOSE_LONG || copy.action == Action.CLOSE_SHORT);
        if (!partialExit) {
            return;
        }
        if (link.multiplies()) {
            copy.quantity = master.quantity * link.sizeValue();
            return;
        }
        double before = Math.abs(master.positionQuantity - master.filledQuantity);
        double fraction = before > 0 ? master.quantity / before : 1;
        double held = Math.abs(state.positions().quantity(copy.accountId, state.symbols().intern(copy.symbol)));
        copy.sizeMode = SizeMode.QTY;
        copy.quantity = fraction >= 1 ? 0 : fraction * held;
    }
}
