package io.tradeflow.service.copy;

import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.CopyDao.MasterRow;
import io.tradeflow.persistence.dao.GroupDao;
import io.tradeflow.persistence.dao.GroupDao.GroupRow;
import io.tradeflow.persistence.dao.GroupDao.MemberRow;
import io.tradeflow.persistence.dao.GroupDao.SettlementRow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copy-trading groups (seed 003): a master runs groups with a performance-fee rate; members join with
 * the group's invite code and leave from their side, or the master (or an admin) removes them. The
 * settlement report gives, per member and period, the net realised profit of the follower orders
 * copied from the group's master while the member belonged to the group, and the fee owed on it at
 * the group's rate. It is a report: no money moves. Ownership of ids is the routes' to check.
 */
public final class GroupService {
    /** Invite codes: 10 characters without look-alikes (no 0/O, 1/I/L), about 49 bits. */
    private static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    public static final int CODE_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A member's settlement for the period: net profit = realised P&L - commissions; fee on positive net only. */
    public record MemberSettlement(MemberRow member, int orders, double realizedPnl, double commission, double netProfit,
                                   double fee) {
    }

    /** The report: the rows and their totals. */
    public record Settlement(GroupRow group, Instant from, Instant to, List<MemberSettlement> members, int orders,
                             double netProfit, double fees) {
    }

    private final GroupDao dao;

    public GroupService(Database database) {
        this.dao = new GroupDao(database.jdbi());
    }

    public GroupRow create(MasterRow master, String name, BigDecimal feePercent) {
        long id = dao.insertGroup(master.id(), master.userId(), name, feePercent.setScale(2, RoundingMode.HALF_UP), newCode());
        return dao.findGroup(id).orElseThrow();
    }

    public Optional<GroupRow> group(long id) {
        return dao.findGroup(id);
    }

    public List<GroupRow> owned(long userId) {
        return dao.listOwned(userId);
    }

    public List<GroupRow> all(int limit, int offset) {
        return dao.listAll(limit, offset);
    }

    public long countAll() {
        return dao.countAll();
    }

    public List<MemberRow> members(long groupId) {
        return dao.listMembers(groupId);
    }

    public List<MemberRow> memberships(long userId) {
        return dao.listMemberships(userId);
    }

    public Optional<MemberRow> member(long id) {
        return dao.findMember(id);
    }

    /** A new invite code; the old one stops working at once (members stay). */
    public GroupRow regenerateCode(GroupRow g) {
        open(g);
        dao.setInviteCode(g.id(), newCode());
        return dao.findGroup(g.id()).orElseThrow();
    }

    /** Closes the group: no more joins, every member's membership ends (removed). */
    public GroupRow close(GroupRow g) {
        if (!GroupDao.CLOSED.equals(g.status())) {
            dao.close(g.id(), Instant.now());
        }
        return dao.findGroup(g.id()).orElseThrow();
    }

    /** The group an invite code opens, if any (codes are compared as typed, case-insensitively). */
    public Optional<GroupRow> byCode(String code) {
        return dao.findGroupByCode(code.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** Joins the user to the group; the master cannot join its own group, nor a member twice. */
    public MemberRow join(GroupRow g, long userId, String alias) {
        open(g);
        if (g.userId() == userId) {
            throw new CopyTradingService.CopyConflict("OWN_GROUP", "invite_code", "this is your own group: its master cannot join it");
        }
        if (dao.findActiveMember(g.id(), userId).isPresent()) {
            throw new CopyTradingService.CopyConflict("ALREADY_MEMBER", "invite_code", "you are already a member of this group");
        }
        return dao.insertMember(g.id(), userId, alias);
    }

    /** Ends the membership as left (by the member) or removed (by the master or an admin). */
    public MemberRow end(MemberRow m, boolean byMember) {
        if (!dao.endMember(m.id(), byMember ? GroupDao.LEFT : GroupDao.REMOVED, Instant.now())) {
            throw new CopyTradingService.CopyConflict("NOT_A_MEMBER", "id", "this membership already ended (" + m.status() + ")");
        }
        return dao.findMember(m.id()).orElseThrow();
    }

    /** Per member and period [from, to): the profit made following the group's master and the fee owed on it. */
    public Settlement settlement(GroupRow g, Instant from, Instant to) {
        List<MemberSettlement> rows = new ArrayList<>();
        int orders = 0;
        double net = 0;
        double fees = 0;
        double rate = g.feePercent().doubleValue() / 100.0;
        for (SettlementRow r : dao.settlement(g.id(), g.masterAccountId(), from, to)) {
            double memberNet = round(r.realizedPnl() - r.commission());
            double fee = memberNet > 0 ? round(memberNet * rate) : 0;
            rows.add(new MemberSettlement(r.member(), r.orders(), round(r.realizedPnl()), round(r.commission()), memberNet, fee));
            orders += r.orders();
            net += memberNet;
            fees += fee;
        }
        return new Settlement(g, from, to, rows, orders, round(net), round(fees));
    }

    private static void open(GroupRow g) {
        if (GroupDao.CLOSED.equals(g.status())) {
            throw new CopyTradingService.CopyConflict("GROUP_CLOSED", "id", "the group is closed");
        }
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    private static String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }
}
