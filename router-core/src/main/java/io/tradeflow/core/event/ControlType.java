package io.tradeflow.core.event;

/** Commands from the dashboard or launcher that change routing state; they travel through the ring. */
public enum ControlType {
    /** A broker account exists: carries account, user, broker, enabled flag, signup time, trades used. */
    ACCOUNT_ADDED,
    ACCOUNT_ENABLED,
    ACCOUNT_DISABLED,
    /** An API key hash now authenticates the account. */
    KEY_ADDED,
    /** An API key hash no longer authenticates anything. */
    KEY_REVOKED,
    /** The user's emergency stop is on (flag=true) or reset (flag=false). */
    EMERGENCY_STOP,
    /** The account's risk limits are replaced by {@code controlRiskLimits}. */
    RISK_LIMITS,
    /**
     * Close the account's position in {@code symbol} at the last price seen (dashboard "close" and
     * the emergency stop's flattening). Its decision carries the fill like an executed alert, so
     * replay re-applies the recorded effects instead of filling again.
     */
    CLOSE_POSITION,
    /** The account's alert settings (pyramiding, windows, symbol map) are replaced by {@code controlAlertSettings}. */
    ALERT_SETTINGS,
    /** The addresses the account's alerts may come from are replaced by {@code controlAllowedSources} (empty = any). */
    SOURCE_ALLOWLIST,
    /**
     * The user's plan changed: {@code controlCount} is the plan's {@link io.tradeflow.config.PlanTier#code()},
     * {@code controlFlag} true when the plan has lapsed, {@code controlTimeMillis} the end of a payment grace
     * period (0 = none; from then on the plan counts as lapsed). Absolute, so replaying it again is harmless.
     */
    PLAN_CHANGED,
    /** The user is suspended by an admin (flag=true: every alert refused) or reactivated (flag=false). */
    USER_SUSPENDED,
    /**
     * Copy trading: the account {@code controlAccountId} is published as a master ({@code controlFlag} true,
     * its accepted alerts are fanned out to its followers) or withdrawn (false).
     */
    COPY_MASTER,
    /** Copy trading: a follower account's link to a master is set or replaced by {@code controlCopyLink}. */
    COPY_LINK,
    /** Copy trading: the link {@code controlCopyLink} names (subscription and follower account) is removed. */
    COPY_UNLINK;

    private static final ControlType[] VALUES = values();

    public static ControlType of(int ordinal) {
        return VALUES[ordinal];
    }
}
