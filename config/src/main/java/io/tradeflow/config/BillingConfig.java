package io.tradeflow.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Plans and the Stripe connection ({@code billing.*}).
 *
 * @param stripeSecretKey     {@code billing.stripe.secret-key}; empty = billing not configured
 * @param stripeWebhookSecret {@code billing.stripe.webhook-secret}; empty = billing not configured
 * @param stripeApiBase       {@code billing.stripe.api-base}, Stripe's own by default
 * @param gracePeriod         {@code billing.grace-period}: how long routing continues after a failed payment
 * @param plans               every plan's limits
 */
public record BillingConfig(String stripeSecretKey, String stripeWebhookSecret, String stripeApiBase,
                            Duration gracePeriod, Map<PlanTier, PlanLimits> plans) {
    /** The follower limit {@link #unlimited()} gives every plan (the most a configuration may set). */
    public static final int UNLIMITED_FOLLOWERS = 1_000_000;
    /** The settings an operator must set before the billing routes work. */
    public static final List<String> REQUIRED_SETTINGS = List.of("billing.stripe.secret-key",
            "billing.stripe.webhook-secret");

    public BillingConfig {
        plans = Map.copyOf(new EnumMap<>(plans));
    }

    /** Whether both Stripe secrets are set. */
    public boolean stripeConfigured() {
        return !stripeSecretKey.isEmpty() && !stripeWebhookSecret.isEmpty();
    }

    public PlanLimits plan(PlanTier tier) {
        return plans.get(tier);
    }

    /** Alerts per day of each plan, indexed by {@link PlanTier#code()} (0 = unlimited); what the router enforces. */
    public int[] alertsPerDayByCode() {
        int[] limits = new int[PlanTier.values().length];
        for (PlanLimits p : plans.values()) {
            limits[p.tier().code()] = p.alertsPerDay();
        }
        return limits;
    }

    /**
     * Copy-trading followers a master may have, by plan code ({@code billing.plans.<plan>.copy-followers}; 0 = the
     * plan cannot lead: no follower gets a copy). {@code copy.max-followers-per-master} caps it for every plan.
     */
    public int[] copyFollowersByCode() {
        int[] limits = new int[PlanTier.values().length];
        for (PlanLimits p : plans.values()) {
            limits[p.tier().code()] = p.copyFollowers();
        }
        return limits;
    }

    /** Plans without limits beyond the trial's (tests and tools that build a router by hand). */
    public static BillingConfig unlimited() {
        Map<PlanTier, PlanLimits> plans = new EnumMap<>(PlanTier.class);
        for (PlanTier t : PlanTier.values()) {
            plans.put(t, new PlanLimits(t, 0, 0, List.of(), UNLIMITED_FOLLOWERS, Duration.ofDays(30), 0, ""));
        }
        return new BillingConfig("", "", "https://api.stripe.com", Duration.ofDays(3), plans);
    }

    @Override
    public String toString() {
        // Never print the secrets.
        return "BillingConfig[stripeConfigured=" + stripeConfigured() + ", apiBase=" + stripeApiBase
                + ", gracePeriod=" + gracePeriod + ", plans=" + plans + "]";
    }
}
