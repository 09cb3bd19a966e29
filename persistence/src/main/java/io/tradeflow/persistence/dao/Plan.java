package io.tradeflow.persistence.dao;

/** A user's plan, stored by its lower-case name. */
public enum Plan {
    TRIAL("trial"),
    STARTER("starter"),
    PRO("pro"),
    ELITE("elite");

    private final String dbName;

    Plan(String dbName) {
        this.dbName = dbName;
    }

    public String dbName() {
        return dbName;
    }

    /** The router's plan of the same name. */
    public io.tradeflow.config.PlanTier tier() {
        return io.tradeflow.config.PlanTier.fromWireName(dbName);
    }

    public static Plan of(io.tradeflow.config.PlanTier tier) {
        return fromDbName(tier.wireName());
    }

    public static Plan fromDbName(String name) {
        for (Plan plan : values()) {
            if (plan.dbName.equals(name)) {
                return plan;
            }
        }
        throw new IllegalArgumentException("unknown plan " + name);
    }
}
