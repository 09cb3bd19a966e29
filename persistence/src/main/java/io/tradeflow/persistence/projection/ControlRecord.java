package io.tradeflow.persistence.projection;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.ControlType;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A dashboard command whose effect the database must mirror; {@code riskLimits} only for
 * RISK_LIMITS, {@code allowedSources} only for SOURCE_ALLOWLIST, {@code alertSettings} only for
 * ALERT_SETTINGS; {@code count} (plan code) and {@code timeMillis} (grace end) for PLAN_CHANGED.
 */
record ControlRecord(ControlType type, long accountId, long userId, byte[] keyHash, boolean flag,
                     RiskLimits riskLimits, List<CidrBlock> allowedSources, AlertSettings alertSettings,
                     OffsetDateTime at, int count, long timeMillis) {
}
