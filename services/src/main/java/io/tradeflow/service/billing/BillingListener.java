package io.tradeflow.service.billing;

import io.tradeflow.config.PlanTier;

import java.time.Instant;

/**
 * What billing tells the rest of the product (e.g. a notification service sending an email or a
 * webhook). Every method has a no-op default, so a listener implements only what it needs. Called
 * after the change is applied, on the thread that applied it; must not throw.
 */
public interface BillingListener {
    BillingListener NONE = new BillingListener() {
    };

    /** A payment failed: routing continues until {@code graceEndsAt}, then the plan lapses. */
    default void paymentFailed(long userId, PlanTier plan, Instant graceEndsAt) {
    }

    /** The subscription is cancelled and ends at {@code endsAt} (the current period's end). */
    default void planEnding(long userId, PlanTier plan, Instant endsAt) {
    }

    /** The user's plan or its status changed (checkout, renewal, lapse, admin change). */
    default void planChanged(long userId, PlanTier plan, String status) {
    }
}
