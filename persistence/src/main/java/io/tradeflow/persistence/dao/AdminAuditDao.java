package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.util.List;

/** The audit trail of admin actions. */
public final class AdminAuditDao {
    private final Jdbi jdbi;

    public AdminAuditDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record Entry(long adminUserId, String action, Long targetUserId, String detail) {
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

    /** The admin's actions, newest first. */
    public List<Entry> byAdmin(long adminUserId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select admin_user_id, action, target_user_id, detail"
                        + " from admin_audit where admin_user_id = :admin order by id desc limit :limit")
                .bind("admin", adminUserId)
                .bind("limit", limit)
                .map((rs, ctx) -> new Entry(rs.getLong("admin_user_id"), rs.getString("action"),
                        WebhookLogDao.nullableLong(rs, "target_user_id"), rs.getString("detail")))
                .list());
    }
}
