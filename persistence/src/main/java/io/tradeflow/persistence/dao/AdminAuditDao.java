package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

/** The audit trail of admin actions. */
public final class AdminAuditDao {
    private final Jdbi jdbi;

    public AdminAuditDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void record(long adminUserId, String action, Long targetUserId, String detail) {
        jdbi.useHandle(h -> h.createUpdate("insert into admin_audit (admin_user_id, action, target_user_id, detail)"
                        + " values (:admin, :action, :target, :detail)")
                .bind("admin", adminUserId)
                .bind("action", action)
                .bind("target", targetUserId)
                .bind("detail", detail)
                .execute());
    }
}
