package io.tradeflow.config;

/**
 * The plans a user can be on. {@link #code()} is the plan's stable journal code (a {@code PLAN_CHANGED}
 * control carries it): append a new plan with the next code, never renumber one.
 */
public enum PlanTier {
    TRIAL("trial", 0),
    STARTER("starter", 1),
    PRO("pro", 2),
    ELITE("elite", 3);

    private static final PlanTier[] BY_CODE = {TRIAL, STARTER, PRO, ELITE};

    private final String wireName;
    private final int code;

    PlanTier(String wireName, int code) {
        this.wireName = wireName;
        this.code = code;
    }

    /** The lower-case name used in config keys, the API and the database. */
    public String wireName() {
        return wireName;
    }

    public int code() {
        return code;
    }

    public static PlanTier fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown plan code " + code);
        }
        return BY_CODE[code];
    }

    /** The plan named {@code name} (lower case), or null when there is none. */
    public static PlanTier fromWireName(String name) {
        for (PlanTier tier : values()) {
            if (tier.wireName.equals(name)) {
                return tier;
            }
        }
        return null;
    }
}
