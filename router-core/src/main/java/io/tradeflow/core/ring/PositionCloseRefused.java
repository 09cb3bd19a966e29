package io.tradeflow.core.ring;

import io.tradeflow.core.event.Outcome;

/** A CLOSE_POSITION command the router refused, e.g. no price known for the symbol. */
public final class PositionCloseRefused extends RuntimeException {
    private final transient Outcome outcome;
    private final String field;

    public PositionCloseRefused(Outcome outcome, String field, String reason) {
        super(reason == null ? outcome.name() : reason);
        this.outcome = outcome;
        this.field = field;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The field the refusal refers to, or null. */
    public String field() {
        return field;
    }
}
