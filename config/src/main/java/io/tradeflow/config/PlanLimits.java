package io.tradeflow.config;

import java.time.Duration;
import java.util.List;

/**
 * What one plan allows, from {@code billing.plans.<plan>.*}.
 *
 * @param tier             the plan
 * @param brokerAccounts   broker accounts a user may connect (0 = unlimited)
 * @param alertsPerDay     entry alerts accepted per UTC day (0 = unlimited); the router enforces it
 * @param brokers          broker wire names the plan may connect (empty = all)
 * @param copyFollowers    copy-trading followers a leader may have (0 = none)
 * @param logRetention     how long the webhook log is kept
 * @param pricePerMonth    price in the operator's currency per month (0 for the trial)
 * @param priceId          the Stripe price id checkout uses (empty = the plan cannot be bought)
 */
public record PlanLimits(PlanTier tier, int brokerAccounts, int alertsPerDay, List<String> brokers, int copyFollowers,
                         Duration logRetention, double pricePerMonth, String priceId) {
    public PlanLimits {
        brokers = List.copyOf(brokers);
    }

    /** Whether checkout can sell this plan. */
    public boolean purchasable() {
        return tier != PlanTier.TRIAL && !priceId.isEmpty();
    }
}
