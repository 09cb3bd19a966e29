package io.tradeflow.core.state;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.BrokerKind;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * All routing state, owned by the ring consumer thread (its only writer). Seeded at start from the
 * database projection, then changed only by ring events, so a journal replay rebuilds it exactly.
 */
public final class RouterState {
    private final Long2ObjectHashMap<AccountState> accounts = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<UserState> users = new Long2ObjectHashMap<>();
    private final KeyIndex keys = new KeyIndex();
    private final PositionBook positions = new PositionBook();
    private final SymbolTable symbols = new SymbolTable();
    private final RiskRules defaultRules;
    private long lastOrderId;

    public RouterState(RiskLimits defaultLimits) {
        this.defaultRules = new RiskRules(defaultLimits);
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
            account = new AccountState(accountId, user, broker, enabled, defaultRules);
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
