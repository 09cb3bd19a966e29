package io.tradeflow.core.state;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.RingEvent;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.List;
import java.util.Map;

/**
 * All routing state, owned by the ring consumer thread (its only writer). Seeded at start from the
 * database projection, then changed only by ring events, so a journal replay rebuilds it exactly.
 */
public final class RouterState {
    private final Long2ObjectHashMap<AccountState> accounts = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<UserState> users = new Long2ObjectHashMap<>();
    private final KeyIndex keys = new KeyIndex();
    private final PositionBook positions = new PositionBook();
    private final PendingOrders pendingOrders = new PendingOrders();
    private final SymbolTable symbols = new SymbolTable();
    private final IdempotencyIndex idempotency = new IdempotencyIndex();
    private final CopyBook copy = new CopyBook();
    private final Long2LongHashMap lastSignalAt = new Long2LongHashMap(Long.MIN_VALUE);
    private final RiskRules defaultRules;
    private final AlertRules defaultAlertRules;
    private final InstrumentTable instruments;
    private final double startingEquity;
    private final AsciiField scratch = new AsciiField(RingEvent.SYMBOL_CAPACITY);
    private long lastOrderId;

    public RouterState(RiskLimits defaultLimits) {
        this(defaultLimits, AlertSettingsDefaults.NONE);
    }

    public RouterState(RiskLimits defaultLimits, AlertSettings defaultAlerts) {
        this(defaultLimits, defaultAlerts, Map.of(), 0);
    }

    /**
     * @param instruments    the instrument table orders are sized and rounded with
     * @param startingEquity each account's equity before any realised P&amp;L (the paper starting balance)
     */
    public RouterState(RiskLimits defaultLimits, AlertSettings defaultAlerts, Map<String, InstrumentSpec> instruments,
                       double startingEquity) {
        this.defaultRules = new RiskRules(defaultLimits);
        this.defaultAlertRules = new AlertRules(defaultAlerts, symbols);
        this.instruments = new InstrumentTable(instruments, symbols);
        this.startingEquity = startingEquity;
    }

    /** Copy trading: masters and their follower links. */
    public CopyBook copy() {
        return copy;
    }

    public InstrumentTable instruments() {
        return instruments;
    }

    /** Starting equity plus everything the account has realised (net of commission) plus its open P&amp;L. */
    public double equity(AccountState account) {
        return startingEquity + account.realizedTotal() + positions.unrealizedPnl(account.accountId(), symbols, instruments, scratch);
    }

    /** The notional the account holds outside one symbol (-1: all of them), at last prices and contract sizes. */
    public double notional(AccountState account, int exceptSymbolId) {
        return positions.notional(account.accountId(), exceptSymbolId, symbols, instruments, scratch);
    }

    public void restoreRealizedTotal(long accountId, double total) {
        AccountState account = accounts.get(accountId);
        if (account != null) {
            account.realizedTotal(total);
        }
    }

    public IdempotencyIndex idempotency() {
        return idempotency;
    }

    /** When the same signal (account, instrument, action, side) was last accepted, or Long.MIN_VALUE. */
    public long lastSignalAt(long signalKey) {
        return lastSignalAt.get(signalKey);
    }

    public void signalAccepted(long signalKey, long atMillis) {
        lastSignalAt.put(signalKey, atMillis);
    }

    /** Each remembered signal key with the time it was last accepted (for state digests). */
    void forEachSignal(org.agrona.collections.LongLongConsumer action) {
        lastSignalAt.forEachLong(action);
    }

    /** The alert rules of an account without settings of its own. */
    AlertRules defaultAlertRules() {
        return defaultAlertRules;
    }

    public void alertSettings(long accountId, AlertSettings settings) {
        AccountState account = accounts.get(accountId);
        if (account != null) {
            account.alertRules(new AlertRules(settings, symbols));
        }
    }

    /** Replaces the addresses the account's alerts may come from (empty = any). */
    public void allowedSources(long accountId, List<CidrBlock> blocks) {
        AccountState account = accounts.get(accountId);
        if (account != null) {
            account.allowedSources(blocks.toArray(new CidrBlock[0]));
        }
    }

    public AccountState account(long accountId) {
        return accounts.get(accountId);
    }

    public UserState user(long userId) {
        return users.get(userId);
    }

    public KeyIndex keys() {
        return keys;
    }

    public PositionBook positions() {
        return positions;
    }

    /** The paper accounts' pending limit and stop orders. */
    public PendingOrders pendingOrders() {
        return pendingOrders;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public int accountCount() {
        return accounts.size();
    }

    /** Adds (or updates) an account and its user; idempotent, so replaying ACCOUNT_ADDED is safe. */
    public AccountState putAccount(long accountId, long userId, BrokerKind broker, boolean enabled,
                                   long signupAtMillis, boolean trial, int tradesUsed) {
        UserState user = users.get(userId);
        if (user == null) {
            user = new UserState(userId);
            users.put(userId, user);
        }
        user.plan(signupAtMillis, trial);
        user.tradesUsed(Math.max(user.tradesUsed(), tradesUsed));
        AccountState account = accounts.get(accountId);
        if (account == null || account.broker() != broker || account.user() != user) {
            account = new AccountState(accountId, user, broker, enabled, defaultRules, defaultAlertRules);
            accounts.put(accountId, account);
        } else {
            account.enabled(enabled);
        }
        return account;
    }

    public void enableAccount(long accountId, boolean enabled) {
        AccountState account = accounts.get(accountId);
        if (account != null) {
            account.enabled(enabled);
        }
    }

    public void emergencyStop(long userId, boolean on) {
        UserState user = users.get(userId);
        if (user != null) {
            user.emergencyStop(on);
        }
    }

    /** Sets the user's plan (PLAN_CHANGED); a user without accounts yet is remembered for when one is added. */
    public void plan(long userId, io.tradeflow.config.PlanTier tier, boolean lapsed, long graceEndsAtMillis) {
        userOrNew(userId).plan(tier, lapsed, graceEndsAtMillis);
    }

    /** Suspends (every alert refused) or reactivates the user. */
    public void suspend(long userId, boolean on) {
        userOrNew(userId).suspended(on);
    }

    /** Counts an accepted entry alert towards the user's alerts of its UTC day. */
    public void countAlert(UserState user, long atMillis) {
        user.countAlert(atMillis);
    }

    private UserState userOrNew(long userId) {
        UserState user = users.get(userId);
        if (user == null) {
            user = new UserState(userId);
            users.put(userId, user);
        }
        return user;
    }

    public void riskLimits(long accountId, RiskLimits limits) {
        AccountState account = accounts.get(accountId);
        if (account != null) {
            account.rules(new RiskRules(limits));
        }
    }

    public void restoreTradesUsed(long userId, int tradesUsed) {
        UserState user = users.get(userId);
        if (user != null) {
            user.tradesUsed(tradesUsed);
        }
    }

    public void countTrade(UserState user) {
        user.countTrade();
    }

    public void restoreDailyPnl(long accountId, long day, double realized) {
        AccountState account = accounts.get(accountId);
        if (account != null) {
            account.restoreDay(day, realized);
        }
    }

    public double addRealizedPnl(AccountState account, long day, double pnl) {
        return account.addRealizedPnl(day, pnl);
    }

    /** Counts a request against the account's rate window; returns the count so far in the window. */
    public int countRequest(AccountState account, long nowMillis) {
        return account.countRequest(nowMillis, account.rules().rateWindowMillis());
    }

    public long nextOrderId() {
        return ++lastOrderId;
    }

    public long lastOrderId() {
        return lastOrderId;
    }

    RiskRules defaultRules() {
        return defaultRules;
    }

    /** Every user, in no particular order (snapshots sort what they need). */
    Iterable<UserState> users() {
        return users.values();
    }

    /** Every account, in no particular order. */
    Iterable<AccountState> accounts() {
        return accounts.values();
    }

    /** Raises the order-id counter so ids are never reused after a restart. */
    public void observeOrderId(long orderId) {
        lastOrderId = Math.max(lastOrderId, orderId);
    }
}
