package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Copy-trading groups (a master's groups, their members, invite codes) and their settlement: per
 * member and period, the realised P&L of the follower orders copied from the group's master
 * (copy_orders joined with orders). Reads and writes only; the rules are the service's.
 */
public final class GroupDao {
    public static final String ACTIVE = "active";
    public static final String CLOSED = "closed";
    public static final String LEFT = "left";
    public static final String REMOVED = "removed";

    /** A group with its master's name and the count of active members. */
    public record GroupRow(long id, long masterId, long masterAccountId, String masterName, long userId, String name,
                           BigDecimal feePercent, String inviteCode, String status, Instant createdAt, int activeMembers) {
    }

    /** One membership (a period of one user in one group). */
    public record MemberRow(long id, long groupId, long userId, String alias, String status, Instant joinedAt,
                            Instant endedAt) {
    }

    /** One member's settlement over a period: orders, realised P&L and commissions of the copies of the master. */
    public record SettlementRow(MemberRow member, int orders, double realizedPnl, double commission) {
    }

    private static final String GROUP_SELECT = "select g.*, m.account_id as master_account_id, m.name as master_name,"
            + " (select count(*) from copy_group_members x where x.group_id = g.id and x.status = 'active') as members"
            + " from copy_groups g join copy_masters m on m.id = g.master_id";

    private final Jdbi jdbi;

    public GroupDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public long insertGroup(long masterId, long userId, String name, BigDecimal feePercent, String inviteCode) {
        return jdbi.withHandle(h -> h.createQuery("insert into copy_groups (master_id, user_id, name, fee_percent,"
                        + " invite_code) values (:masterId, :userId, :name, :fee, :code) returning id")
                .bind("masterId", masterId)
                .bind("userId", userId)
                .bind("name", name)
                .bind("fee", feePercent)
                .bind("code", inviteCode)
                .mapTo(Long.class)
                .one());
    }

    public Optional<GroupRow> findGroup(long id) {
        return jdbi.withHandle(h -> h.createQuery(GROUP_SELECT + " where g.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> group(rs))
                .findOne());
    }

    public Optional<GroupRow> findGroupByCode(String code) {
        return jdbi.withHandle(h -> h.createQuery(GROUP_SELECT + " where g.invite_code = :code")
                .bind("code", code)
                .map((rs, ctx) -> group(rs))
                .findOne());
    }

    /** The groups the user runs (newest first), closed ones included. */
    public List<GroupRow> listOwned(long userId) {
        return jdbi.withHandle(h -> h.createQuery(GROUP_SELECT + " where g.user_id = :userId order by g.id desc")
                .bind("userId", userId)
                .map((rs, ctx) -> group(rs))
                .list());
    }

    /** Every group (admins), newest first. */
    public List<GroupRow> listAll(int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery(GROUP_SELECT + " order by g.id desc limit :limit offset :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> group(rs))
                .list());
    }

    public long countAll() {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from copy_groups").mapTo(Long.class).one());
    }

    public void setInviteCode(long groupId, String code) {
        jdbi.useHandle(h -> h.createUpdate("update copy_groups set invite_code = :code where id = :id")
                .bind("code", code)
                .bind("id", groupId)
                .execute());
    }

    /** Closes the group: nobody joins any more, every active membership ends as removed. */
    public void close(long groupId, Instant at) {
        jdbi.useTransaction(h -> {
            h.createUpdate("update copy_groups set status = 'closed' where id = :id").bind("id", groupId).execute();
            h.createUpdate("update copy_group_members set status = 'removed', ended_at = :at where group_id = :id"
                            + " and status = 'active'")
                    .bind("id", groupId)
                    .bind("at", SqlTime.utc(at))
                    .execute();
        });
    }

    /** A new membership; the alias defaults to member-{id}. */
    public MemberRow insertMember(long groupId, long userId, String alias) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("insert into copy_group_members (group_id, user_id, alias) values"
                            + " (:groupId, :userId, coalesce(:alias, '')) returning id")
                    .bind("groupId", groupId)
                    .bind("userId", userId)
                    .bind("alias", alias)
                    .mapTo(Long.class)
                    .one();
            return h.createQuery("update copy_group_members set alias = 'member-' || id where id = :id and alias = ''"
                            + " returning *")
                    .bind("id", id)
                    .map((rs, ctx) -> member(rs))
                    .findOne()
                    .orElseGet(() -> h.createQuery("select * from copy_group_members where id = :id")
                            .bind("id", id)
                            .map((rs, ctx) -> member(rs))
                            .one());
        });
    }

    public Optional<MemberRow> findMember(long id) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_group_members where id = :id")
                .bind("id", id)
                .map((rs, ctx) -> member(rs))
                .findOne());
    }

    public Optional<MemberRow> findActiveMember(long groupId, long userId) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_group_members where group_id = :groupId"
                        + " and user_id = :userId and status = 'active'")
                .bind("groupId", groupId)
                .bind("userId", userId)
                .map((rs, ctx) -> member(rs))
                .findOne());
    }

    /** The group's memberships, current and past, oldest first. */
    public List<MemberRow> listMembers(long groupId) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_group_members where group_id = :groupId order by id")
                .bind("groupId", groupId)
                .map((rs, ctx) -> member(rs))
                .list());
    }

    /** The user's memberships (newest first), with their groups. */
    public List<MemberRow> listMemberships(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_group_members where user_id = :userId order by id desc")
                .bind("userId", userId)
                .map((rs, ctx) -> member(rs))
                .list());
    }

    /** Ends an active membership as {@code left} or {@code removed}; false if it was not active. */
    public boolean endMember(long memberId, String status, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("update copy_group_members set status = :status, ended_at = :at"
                        + " where id = :id and status = 'active'")
                .bind("status", status)
                .bind("at", SqlTime.utc(at))
                .bind("id", memberId)
                .execute()) == 1;
    }

    /**
     * Each membership overlapping [from, to) with the filled follower orders copied from the group's master
     * while it lasted (orders of the member's accounts that copy_orders ties to that master), their realised
     * P&L and commissions. Memberships without such orders answer zeros.
     */
    public List<SettlementRow> settlement(long groupId, long masterAccountId, Instant from, Instant to) {
        return jdbi.withHandle(h -> h.createQuery("select gm.*, coalesce(s.orders, 0) as orders,"
                        + " coalesce(s.pnl, 0) as pnl, coalesce(s.commission, 0) as commission"
                        + " from copy_group_members gm left join lateral (select count(*) as orders,"
                        + " sum(o.realized_pnl) as pnl, sum(o.commission) as commission from copy_orders co"
                        + " join orders o on o.id = co.order_id and o.account_id = co.account_id"
                        + " where co.master_account_id = :master and co.user_id = gm.user_id and o.status = 'filled'"
                        + " and o.created_at >= greatest(:from, gm.joined_at)"
                        + " and o.created_at < least(:to, coalesce(gm.ended_at, :to))) s on true"
                        + " where gm.group_id = :groupId and gm.joined_at < :to"
                        + " and (gm.ended_at is null or gm.ended_at > :from) order by gm.id")
                .bind("groupId", groupId)
                .bind("master", masterAccountId)
                .bind("from", SqlTime.utc(from))
                .bind("to", SqlTime.utc(to))
                .map((rs, ctx) -> new SettlementRow(member(rs), rs.getInt("orders"), rs.getDouble("pnl"),
                        rs.getDouble("commission")))
                .list());
    }

    private static GroupRow group(ResultSet rs) throws SQLException {
        return new GroupRow(rs.getLong("id"), rs.getLong("master_id"), rs.getLong("master_account_id"),
                rs.getString("master_name"), rs.getLong("user_id"), rs.getString("name"), rs.getBigDecimal("fee_percent"),
                rs.getString("invite_code"), rs.getString("status"), SqlTime.instant(rs, "created_at"), rs.getInt("members"));
    }

    private static MemberRow member(ResultSet rs) throws SQLException {
        return new MemberRow(rs.getLong("id"), rs.getLong("group_id"), rs.getLong("user_id"), rs.getString("alias"),
                rs.getString("status"), SqlTime.instant(rs, "joined_at"),
                rs.getObject("ended_at") == null ? null : SqlTime.instant(rs, "ended_at"));
    }
}
