package io.tradeflow.http.api;

import io.tradeflow.persistence.dao.AdminAuditDao;
import io.tradeflow.persistence.dao.CopyDao.MasterRow;
import io.tradeflow.persistence.dao.GroupDao;
import io.tradeflow.persistence.dao.GroupDao.GroupRow;
import io.tradeflow.persistence.dao.GroupDao.MemberRow;
import io.tradeflow.service.copy.CopyTradingService;
import io.tradeflow.service.copy.GroupService;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Copy-trading groups (seed 003): a master's groups with a performance-fee rate and an invite code
 * (or link), members who join with the code and leave, the master removing members, and the
 * settlement report per member and period (no money moves). Admins (two-factor sessions) list and
 * manage every group under {@code /admin/groups}.
 *
 * <p>Privacy: the master sees members as aliases with their aggregates, never users, emails, keys or
 * accounts; a member sees the group's name, master name and rate, never the other members. Any id the
 * caller may not see answers 404.
 */
public final class GroupRoutes implements RouteSource {
    static final String GROUPS = DashboardApi.BASE + "/groups";
    static final String ADMIN_GROUPS = DashboardApi.BASE + "/admin/groups";
    private static final int MAX_NAME = 60;
    private static final int MAX_ALIAS = 32;
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9 ._-]{1,32}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{" + GroupService.CODE_LENGTH + "}");
    private static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    private static final Duration MAX_PERIOD = Duration.ofDays(366);

    private final GroupService groups;
    private final CopyTradingService copy;
    private final AdminAuditDao audit;

    public GroupRoutes(GroupService groups, CopyTradingService copy, AdminAuditDao audit) {
        this.groups = groups;
        this.copy = copy;
        this.audit = audit;
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("POST", GROUPS, Access.USER, this::create),
                new Route("GET", GROUPS, Access.USER, this::list),
                new Route("POST", GROUPS + "/join", Access.USER, this::join),
                new Route("GET", GROUPS + "/{id}", Access.USER, (r, c) -> ApiResponse.ok(detail(owned(r, c), r))),
                new Route("DELETE", GROUPS + "/{id}", Access.USER, (r, c) -> close(owned(r, c), r)),
                new Route("POST", GROUPS + "/{id}/invite_code/regenerate", Access.USER, this::regenerate),
                new Route("DELETE", GROUPS + "/{id}/members/{member_id}", Access.USER, (r, c) -> remove(owned(r, c), r)),
                new Route("GET", GROUPS + "/{id}/settlement", Access.USER, (r, c) -> settlement(owned(r, c), r)),
                new Route("POST", GROUPS + "/{id}/leave", Access.USER, this::leave),
                // Admin routes name the group {group_id}: an admin's id is any user's, not one the caller owns.
                new Route("GET", ADMIN_GROUPS, Access.ADMIN, this::adminList),
                new Route("GET", ADMIN_GROUPS + "/{group_id}", Access.ADMIN,
                        (r, c) -> ApiResponse.ok(detail(any(r, c, "view_group"), r))),
                new Route("DELETE", ADMIN_GROUPS + "/{group_id}", Access.ADMIN, (r, c) -> close(any(r, c, "close_group"), r)),
                new Route("DELETE", ADMIN_GROUPS + "/{group_id}/members/{member_id}", Access.ADMIN,
                        (r, c) -> remove(any(r, c, "remove_group_member"), r)),
                new Route("GET", ADMIN_GROUPS + "/{group_id}/settlement", Access.ADMIN,
                        (r, c) -> settlement(any(r, c, "view_group_settlement"), r)));
    }

    private ApiResponse create(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("master_id", "name", "fee_percent"));
        Integer masterField = body.optionalInt("master_id", 1, Integer.MAX_VALUE);
        if (masterField == null) {
            throw ApiException.invalid("master_id", "master_id is required: the master whose signals the group follows");
        }
        String name = body.text("name", MAX_NAME);
        Double fee = body.optionalNumber("fee_percent", 0, 100);
        if (fee == null) {
            throw ApiException.invalid("fee_percent", "fee_percent is required: the performance fee in percent (0 to 100)");
        }
        if (BigDecimal.valueOf(fee).stripTrailingZeros().scale() > 2) {
            throw ApiException.invalid("fee_percent", "fee_percent has at most two decimals");
        }
        MasterRow master = copy.master(masterField).filter(m -> m.userId() == caller.userId())
                .orElseThrow(() -> ApiException.notFound("master"));
        GroupRow g = groups.create(master, name, BigDecimal.valueOf(fee));
        return ApiResponse.created(groupView(g, request));
    }

    private ApiResponse list(ApiRequest request, Caller caller) {
        List<Map<String, Object>> owned = new ArrayList<>();
        for (GroupRow g : groups.owned(caller.userId())) {
            owned.add(groupView(g, request));
        }
        List<Map<String, Object>> memberships = new ArrayList<>();
        for (MemberRow m : groups.memberships(caller.userId())) {
            groups.group(m.groupId()).ifPresent(g -> memberships.add(membershipView(g, m)));
        }
        return ApiResponse.ok(Json.obj("groups", owned, "memberships", memberships));
    }

    private ApiResponse join(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("invite_code", "alias"));
        String code = body.text("invite_code", 64).trim();
        if (!CODE.matcher(code).matches()) {
            throw ApiException.invalid("invite_code", "invite_code is the group's " + GroupService.CODE_LENGTH
                    + "-character code (letters and digits)");
        }
        String alias = body.optionalText("alias", MAX_ALIAS);
        if (alias != null && !ALIAS.matcher(alias).matches()) {
            throw ApiException.invalid("alias", "alias may hold letters, digits, spaces, '.', '_' and '-' (1 to 32)");
        }
        GroupRow g = groups.byCode(code).orElseThrow(() -> ApiException.notFound("group"));
        MemberRow m = conflicts(() -> groups.join(g, caller.userId(), alias));
        return ApiResponse.created(membershipView(groups.group(g.id()).orElseThrow(), m));
    }

    /** The member leaves the group (its own active membership). */
    private ApiResponse leave(ApiRequest request, Caller caller) {
        long groupId = request.pathId("id");
        MemberRow m = groups.memberships(caller.userId()).stream()
                .filter(x -> x.groupId() == groupId && GroupDao.ACTIVE.equals(x.status()))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("group membership"));
        MemberRow ended = conflicts(() -> groups.end(m, true));
        return ApiResponse.ok(membershipView(groups.group(groupId).orElseThrow(), ended));
    }

    private ApiResponse regenerate(ApiRequest request, Caller caller) {
        GroupRow g = owned(request, caller);
        return ApiResponse.ok(groupView(conflicts(() -> groups.regenerateCode(g)), request));
    }

    private ApiResponse close(GroupRow g, ApiRequest request) {
        return ApiResponse.ok(groupView(groups.close(g), request));
    }

    private ApiResponse remove(GroupRow g, ApiRequest request) {
        MemberRow m = groups.member(request.pathId("member_id")).filter(x -> x.groupId() == g.id())
                .orElseThrow(() -> ApiException.notFound("member"));
        return ApiResponse.ok(memberView(conflicts(() -> groups.end(m, false))));
    }

    private ApiResponse adminList(ApiRequest request, Caller caller) {
        int limit = request.queryInt("limit", 50, 1, 500);
        int offset = request.queryInt("offset", 0, 0, 1_000_000);
        audit.record(caller.userId(), "list_groups", null, "limit=" + limit + " offset=" + offset);
        List<Map<String, Object>> views = new ArrayList<>();
        for (GroupRow g : groups.all(limit, offset)) {
            Map<String, Object> view = groupView(g, request);
            view.put("user_id", g.userId());
            views.add(view);
        }
        return ApiResponse.ok(Json.obj("groups", views, "total", groups.countAll(), "limit", limit, "offset", offset));
    }

    private ApiResponse settlement(GroupRow g, ApiRequest request) {
        Instant to = request.queryInstant("to");
        Instant from = request.queryInstant("from");
        to = to == null ? Instant.now() : to;
        from = from == null ? to.minus(DEFAULT_PERIOD) : from;
        if (!from.isBefore(to)) {
            throw ApiException.invalid("to", "to must be after from");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw ApiException.invalid("from", "the period may span at most 366 days");
        }
        GroupService.Settlement s = groups.settlement(g, from, to);
        List<Map<String, Object>> members = new ArrayList<>();
        for (GroupService.MemberSettlement m : s.members()) {
            members.add(Json.obj("member_id", m.member().id(), "alias", m.member().alias(), "status", m.member().status(),
                    "orders", m.orders(), "realized_pnl", m.realizedPnl(), "commission", m.commission(),
                    "net_profit", m.netProfit(), "fee", m.fee()));
        }
        return ApiResponse.ok(Json.obj("group_id", g.id(), "name", g.name(), "fee_percent", g.feePercent().doubleValue(),
                "from", from, "to", to, "members", members, "orders", s.orders(), "net_profit", s.netProfit(),
                "fees", s.fees(), "note", "a report: no money moves"));
    }

    /** The caller's own group (an admin's too); others' and missing ones answer 404. */
    private GroupRow owned(ApiRequest request, Caller caller) {
        return groups.group(request.pathId("id")).filter(g -> caller.owns(g.userId()))
                .orElseThrow(() -> ApiException.notFound("group"));
    }

    /** Any group, for an admin; the access is audited (with the group's owner as the target user). */
    private GroupRow any(ApiRequest request, Caller caller, String action) {
        GroupRow g = groups.group(request.pathId("group_id")).orElseThrow(() -> ApiException.notFound("group"));
        String member = request.pathParam("member_id");
        audit.record(caller.userId(), action, g.userId(), "group=" + g.id() + (member == null ? "" : " member=" + member));
        return g;
    }

    private Map<String, Object> detail(GroupRow g, ApiRequest request) {
        Map<String, Object> view = groupView(g, request);
        List<Map<String, Object>> members = new ArrayList<>();
        for (MemberRow m : groups.members(g.id())) {
            members.add(memberView(m));
        }
        view.put("members", members);
        return view;
    }

    private static Map<String, Object> groupView(GroupRow g, ApiRequest request) {
        boolean open = GroupDao.ACTIVE.equals(g.status());
        return Json.obj("group_id", g.id(), "name", g.name(), "master_id", g.masterId(), "master_name", g.masterName(),
                "fee_percent", g.feePercent().doubleValue(), "status", g.status(),
                "invite_code", open ? g.inviteCode() : null,
                "invite_url", open ? request.baseUrl() + "/#/copy?join=" + g.inviteCode() : null,
                "members_active", g.activeMembers(), "created_at", g.createdAt());
    }

    private static Map<String, Object> memberView(MemberRow m) {
        return Json.obj("member_id", m.id(), "alias", m.alias(), "status", m.status(), "joined_at", m.joinedAt(),
                "ended_at", m.endedAt());
    }

    private static Map<String, Object> membershipView(GroupRow g, MemberRow m) {
        return Json.obj("member_id", m.id(), "group_id", g.id(), "group_name", g.name(), "master_id", g.masterId(),
                "master_name", g.masterName(), "fee_percent", g.feePercent().doubleValue(), "alias", m.alias(),
                "status", m.status(), "joined_at", m.joinedAt(), "ended_at", m.endedAt());
    }

    private static <T> T conflicts(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (CopyTradingService.CopyConflict e) {
            throw ApiException.conflict(e.code(), e.field(), e.getMessage());
        }
    }
}
