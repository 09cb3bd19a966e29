package io.tradeflow.core.state;

import io.tradeflow.config.CidrBlock;
import io.tradeflow.core.event.BrokerKind;

/** One broker account as the ring sees it: owner, broker, switch, risk limits and today's P&amp;L. */
public final class AccountState {
    private final long accountId;
    private final UserState user;
    private final BrokerKind broker;
    private boolean enabled;
    private RiskRules rules;
    private AlertRules alertRules;
    /** The blocks the account's alerts may come from; empty accepts any address. */
    private CidrBlock[] allowedSources = new CidrBlock[0];
    private int openPositions;
    private long tradingDay = Long.MIN_VALUE;
    private double dayRealizedPnl;
    private double realizedTotal;
    private long rateWindowStart = Long.MIN_VALUE;
    private int rateWindowCount;

    AccountState(long accountId, UserState user, BrokerKind broker, boolean enabled, RiskRules rules,
                 AlertRules alertRules) {
        this.alertRules = alertRules;
        this.accountId = accountId;
        this.user = user;
        this.broker = broker;
        this.enabled = enabled;
        this.rules = rules;
    }

    public long accountId() {
        return accountId;
    }

    public UserState user() {
        return user;
    }

    public BrokerKind broker() {
        return broker;
    }

    public boolean enabled() {
        return enabled;
    }

    public RiskRules rules() {
        return rules;
    }

    public AlertRules alertRules() {
        return alertRules;
    }

    void alertRules(AlertRules alertRules) {
        this.alertRules = alertRules;
    }

    /** The addresses the account's alerts may come from (empty = any); do not modify. */
    CidrBlock[] allowedSources() {
        return allowedSources;
    }

    void allowedSources(CidrBlock[] blocks) {
        this.allowedSources = blocks;
    }

    /**
     * Whether an alert from the address in the first {@code length} bytes of {@code address} may be
     * routed: always when the account has no list; never from an unknown address when it has one.
     */
    public boolean allowsSource(byte[] address, int length) {
        if (allowedSources.length == 0) {
            return true;
        }
        for (CidrBlock block : allowedSources) {
            if (block.contains(address, length)) {
                return true;
            }
        }
        return false;
    }

    /** Everything the account has realised, net of commission. */
    public double realizedTotal() {
        return realizedTotal;
    }

    void realizedTotal(double total) {
        this.realizedTotal = total;
    }

    public int openPositions() {
        return openPositions;
    }

    /** Realised P&amp;L of the given trading day (0 when the stored day is another one). */
    public double realizedPnlOn(long day) {
        return day == tradingDay ? dayRealizedPnl : 0;
    }

    void enabled(boolean on) {
        this.enabled = on;
    }

    void rules(RiskRules rules) {
        this.rules = rules;
    }

    void openPositionsDelta(int delta) {
        openPositions += delta;
    }

    /** Adds realised P&amp;L to the given day, starting a new day at zero; returns the day's total. */
    double addRealizedPnl(long day, double pnl) {
        if (day != tradingDay) {
            tradingDay = day;
            dayRealizedPnl = 0;
        }
        dayRealizedPnl += pnl;
        realizedTotal += pnl;
        return dayRealizedPnl;
    }

    void restoreDay(long day, double pnl) {
        if (day >= tradingDay) {
            tradingDay = day;
            dayRealizedPnl = pnl;
        }
    }

    /**
     * Counts one request in a fixed window that starts at a multiple of the window length, using
     * the event's time so replays count the same. Returns the count including this request.
     */
    int countRequest(long nowMillis, long windowMillis) {
        long windowStart = nowMillis - Math.floorMod(nowMillis, windowMillis);
        if (windowStart != rateWindowStart) {
            rateWindowStart = windowStart;
            rateWindowCount = 0;
        }
        return ++rateWindowCount;
    }

    long tradingDay() {
        return tradingDay;
    }

    double dayRealizedPnl() {
        return dayRealizedPnl;
    }

    long rateWindowStart() {
        return rateWindowStart;
    }

    int rateWindowCount() {
        return rateWindowCount;
    }

    /** Restores the day and the rate window exactly as a snapshot recorded them. */
    void restoreWindows(long day, double dayPnl, long windowStart, int windowCount) {
        tradingDay = day;
        dayRealizedPnl = dayPnl;
        rateWindowStart = windowStart;
        rateWindowCount = windowCount;
    }

    public long rateWindowEnd(long windowMillis) {
        return rateWindowStart + windowMillis;
    }
}
