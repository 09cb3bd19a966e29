package io.tradeflow.persistence.dao;

/** A user's plan, stored by its lower-case name. */
public enum Plan {
    TRIAL("trial"),
    PRO("pro");

    private final String dbName;

    Plan(String dbName) {
        this.dbName = dbName;
    }

    public String dbName() {
        return dbName;
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
