package io.tradeflow.persistence.projection;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.ControlType;

import java.time.OffsetDateTime;

/** A dashboard command whose effect the database must mirror; {@code riskLimits} only for RISK_LIMITS. */
record ControlRecord(ControlType type, long accountId, long userId, byte[] keyHash, boolean flag,
                     RiskLimits riskLimits, OffsetDateTime at) {
}
