package io.tradeflow.core.state;

import io.tradeflow.config.PlanTier;

/** What the routing stages know about a user: plan, trial usage, daily alerts, suspension and the emergency stop. */
public final class UserState {
    private static final long DAY_MILLIS = 86_400_000L;

    private final long userId;
    private long signupAtMillis;
    private PlanTier plan = PlanTier.TRIAL;
    private boolean lapsed;
    private long graceEndsAtMillis;
    private boolean suspended;
    private int tradesUsed;
    private boolean emergencyStop;
    private long alertDay = -1;
    private int alertsToday;

    public UserState(long userId) {
        this.userId = userId;
    }

    public long userId() {
        return userId;
    }

    public long signupAtMillis() {
        return signupAtMillis;
    }

    public boolean onTrial() {
        return plan == PlanTier.TRIAL;
    }

    public PlanTier plan() {
        return plan;
    }

    /** Whether entries are refused at {@code atMillis}: the plan lapsed, or its payment grace period ended. */
    public boolean lapsedAt(long atMillis) {
        return lapsed || (graceEndsAtMillis > 0 && atMillis >= graceEndsAtMillis);
    }

    /** The plan's own lapsed flag (a PLAN_CHANGED's), without the grace period; for the replay checkpoint. */
    boolean lapsedFlag() {
        return lapsed;
    }

    public long graceEndsAtMillis() {
        return graceEndsAtMillis;
    }

    public boolean suspended() {
        return suspended;
    }

    public int tradesUsed() {
        return tradesUsed;
    }

    public boolean emergencyStop() {
        return emergencyStop;
    }

    /** Entry alerts accepted on the UTC day of {@code atMillis}. */
    public int alertsOn(long atMillis) {
        return atMillis / DAY_MILLIS == alertDay ? alertsToday : 0;
    }

    /** Signup time and the legacy trial flag of ACCOUNT_ADDED: a paid plan set by PLAN_CHANGED is kept. */
    void plan(long signupAtMillis, boolean trial) {
        this.signupAtMillis = signupAtMillis;
        if (trial) {
            this.plan = PlanTier.TRIAL;
        } else if (plan == PlanTier.TRIAL) {
            this.plan = PlanTier.PRO;
        }
    }

    void plan(PlanTier tier, boolean lapsed, long graceEndsAtMillis) {
        this.plan = tier;
        this.lapsed = lapsed;
        this.graceEndsAtMillis = graceEndsAtMillis;
    }

    void suspended(boolean on) {
        this.suspended = on;
    }

    /** The UTC day (days since 1970) {@link #alertsOn} counts, or -1 before the first entry alert. */
    long alertDay() {
        return alertDay;
    }

    int alertsToday() {
        return alertsToday;
    }

    /** Sets the day's entry-alert count as a checkpoint recorded it. */
    void restoreAlerts(long day, int count) {
        this.alertDay = day;
        this.alertsToday = count;
    }

    void countAlert(long atMillis) {
        long day = atMillis / DAY_MILLIS;
        if (day != alertDay) {
            alertDay = day;
            alertsToday = 0;
        }
        alertsToday++;
    }

    void tradesUsed(int tradesUsed) {
        this.tradesUsed = tradesUsed;
    }

    void countTrade() {
        tradesUsed++;
    }

    void emergencyStop(boolean on) {
        this.emergencyStop = on;
    }
}
