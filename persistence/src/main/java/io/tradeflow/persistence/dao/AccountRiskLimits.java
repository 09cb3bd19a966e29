package io.tradeflow.persistence.dao;

import io.tradeflow.config.RiskLimits;

/** An account's own risk limits (set from the dashboard), replacing the configured defaults. */
public record AccountRiskLimits(long accountId, RiskLimits limits) {
}
