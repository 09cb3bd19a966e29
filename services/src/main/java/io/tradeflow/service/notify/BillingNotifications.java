package io.tradeflow.service.notify;

import io.tradeflow.config.PlanTier;
import io.tradeflow.service.billing.BillingListener;

import java.time.Instant;

/**
 * Billing's events as notifications: a failed payment and a plan that ends reach the user on the
 * channels they chose. Deduplicated per user and date, so Stripe's redeliveries notify once.
 */
public final class BillingNotifications implements BillingListener {
    private final NotificationService notifications;

    public BillingNotifications(NotificationService notifications) {
        this.notifications = notifications;
    }

    @Override
    public void paymentFailed(long userId, PlanTier plan, Instant graceEndsAt) {
        notifications.paymentFailed(userId, plan.wireName() + ":" + graceEndsAt,
                "your " + plan.wireName() + " plan keeps routing until " + graceEndsAt);
    }

    @Override
    public void planEnding(long userId, PlanTier plan, Instant endsAt) {
        notifications.planEnding(userId, plan.wireName() + " plan", endsAt);
    }
}
