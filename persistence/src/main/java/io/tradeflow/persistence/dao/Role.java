package io.tradeflow.persistence.dao;

/** What a user may do in the dashboard, stored by its lower-case name. */
public enum Role {
    USER("user"),
    ADMIN("admin");

    private final String dbName;

    Role(String dbName) {
        this.dbName = dbName;
    }

    public String dbName() {
        return dbName;
    }

    public static Role fromDbName(String name) {
        for (Role role : values()) {
            if (role.dbName.equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role " + name);
    }
}
