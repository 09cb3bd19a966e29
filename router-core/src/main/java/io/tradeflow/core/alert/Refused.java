package io.tradeflow.core.alert;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;

/**
 * Stops a parser at the first invalid field. The event already carries the refusal; this shared
 * instance has no stack trace, so refusing costs no allocation.
 */
final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    static final Refused INSTANCE = new Refused();

    private Refused() {
        super(null, null, false, false);
    }

    /** Rejects the event with 400 naming the field and returns the exception to throw. */
    static Refused of(RingEvent e, String field, String reason) {
        e.reject(Outcome.INVALID_PAYLOAD, field, reason);
        return INSTANCE;
    }
}
