package io.tradeflow.core.event;

/** What an alert asks for (unify.v1 {@code intent.action}). */
public enum Action {
    OPEN("open"),
    CLOSE("close"),
    CLOSE_LONG("close_long"),
    CLOSE_SHORT("close_short"),
    CLOSE_ALL("close_all"),
    REVERSE("reverse"),
    CANCEL("cancel"),
    MODIFY("modify");

    private static final Action[] VALUES = values();

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the action may add exposure (so trial and entry risk rules apply). */
    public boolean isEntry() {
        return this == OPEN || this == REVERSE;
    }

    public static Action of(int ordinal) {
        return VALUES[ordinal];
    }

    public static Action[] all() {
        return VALUES;
    }
}
