package io.tradeflow.persistence.dao;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.SizeMode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copy trading's control plane: masters, follower subscriptions (with the license token's hash,
 * never the token) and their accounts, and protection events. The service writes masters and
 * subscriptions; the projection writes the router's refused copies as protection events.
 */
public final class CopyDao {
    public static final String MULTIPLIER = "multiplier";

    /** A published (or withdrawn) master account. */
    public record MasterRow(long id, long userId, long accountId, String name, boolean published, Instant createdAt) {
    }

    /** A follower's subscription to a master, with the follower accounts it binds. */
    public record SubscriptionRow(long id, long masterId, long masterAccountId, String masterName, long userId,
                                  String sizing, double sizeValue, List<String> symbolMap, String status,
                                  Instant expiresAt, Instant createdAt, List<Long> accountIds) {
        /** The ring's link for one of the subscription's accounts. */
        public CopyLink link(long accountId) {
            SizeMode mode = MULTIPLIER.equals(sizing) ? null : SizeMode.valueOf(sizing.toUpperCase(java.util.Locale.ROOT));
            Map<String, String> map = AlertSettings.parseSymbolMap(symbolMap);
            return new CopyLink(id, masterAccountId, accountId, userId, mode, sizeValue, "active".equals(status),
                    map == null ? Map.of() : map);
        }
    }

    /** One protection event (a signal a follower's account did not take). */
    public record ProtectionEventRow(long id, long userId, Long subscriptionId, Long accountId, String source,
                                     String reason, String details, String symbol, Instant createdAt) {
    }

    /** Filters of the protection event list; null = any. */
    public record ProtectionFilter(Long accountId, Long subscriptionId, String reason, String source, Instant from,
                                   Instant to) {
    }

    private static final String SUBSCRIPTION_SELECT = "select s.id, s.master_id, m.account_id as master_account_id,"
            + " m.name as master_name, s.user_id, s.sizing, s.size_value, s.symbol_map, s.status, s.expires_at,"
            + " s.created_at, array(select a.account_id from copy_subscription_accounts a where a.subscription_id = s.id"
            + " order by a.account_id) as account_ids from copy_subscriptions s join copy_masters m on m.id = s.master_id";

    private final Jdbi jdbi;

    public CopyDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public MasterRow insertMaster(long userId, long accountId, String name) {
        return jdbi.withHandle(h -> h.createQuery("insert into copy_masters (user_id, account_id, name) values"
                        + " (:userId, :accountId, :name) returning *")
                .bind("userId", userId)
                .bind("accountId", accountId)
                .bind("name", name)
                .map((rs, ctx) -> master(rs))
                .one());
    }

    public Optional<MasterRow> findMaster(long id) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_masters where id = :id")
                .bind("id", id)
                .map((rs, ctx) -> master(rs))
                .findOne());
    }

    public Optional<MasterRow> findMasterByAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_masters where account_id = :id")
                .bind("id", accountId)
                .map((rs, ctx) -> master(rs))
                .findOne());
    }

    /** Published masters anyone may follow, and the caller's own (published or not). */
    public List<MasterRow> listMasters(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select * from copy_masters where published or user_id = :userId"
                        + " order by id")
                .bind("userId", userId)
                .map((rs, ctx) -> master(rs))
                .list());
    }

    public long insertSubscription(long masterId, long userId, String sizing, double sizeValue, List<String> symbolMap,
                                   byte[] tokenHash, Instant expiresAt, List<Long> accountIds) {
        return jdbi.inTransaction(h -> {
            long id = h.createQuery("insert into copy_subscriptions (master_id, user_id, sizing, size_value, symbol_map,"
                            + " license_token_hash, expires_at) values (:masterId, :userId, :sizing, :sizeValue, :symbolMap,"
                            + " :tokenHash, :expiresAt) returning id")
                    .bind("masterId", masterId)
                    .bind("userId", userId)
                    .bind("sizing", sizing)
                    .bind("sizeValue", sizeValue)
                    .bind("symbolMap", symbolMap.toArray(new String[0]))
                    .bind("tokenHash", tokenHash)
                    .bind("expiresAt", expiresAt == null ? null : SqlTime.utc(expiresAt))
                    .mapTo(Long.class)
                    .one();
            for (long accountId : accountIds) {
                h.createUpdate("insert into copy_subscription_accounts (subscription_id, account_id) values (:s, :a)")
                        .bind("s", id)
                        .bind("a", accountId)
                        .execute();
            }
            return id;
        });
    }

    public Optional<SubscriptionRow> findSubscription(long id) {
        return jdbi.withHandle(h -> h.createQuery(SUBSCRIPTION_SELECT + " where s.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> subscription(rs))
                .findOne());
    }

    public Optional<SubscriptionRow> findSubscriptionByToken(byte[] tokenHash) {
        return jdbi.withHandle(h -> h.createQuery(SUBSCRIPTION_SELECT + " where s.license_token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> subscription(rs))
                .findOne());
    }

    /** The user's subscriptions, cancelled ones included (newest first). */
    public List<SubscriptionRow> listSubscriptions(long userId) {
        return jdbi.withHandle(h -> h.createQuery(SUBSCRIPTION_SELECT + " where s.user_id = :userId order by s.id desc")
                .bind("userId", userId)
                .map((rs, ctx) -> subscription(rs))
                .list());
    }

    /** The subscriptions to one master that are not cancelled (for the master's follower view). */
    public List<SubscriptionRow> listFollowers(long masterId) {
        return jdbi.withHandle(h -> h.createQuery(SUBSCRIPTION_SELECT + " where s.master_id = :masterId"
                        + " and s.status <> 'cancelled' order by s.id")
                .bind("masterId", masterId)
                .map((rs, ctx) -> subscription(rs))
                .list());
    }

    /** Whether the account follows any master under a subscription that is not cancelled. */
    public boolean isFollowerAccount(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from copy_subscription_accounts a"
                        + " join copy_subscriptions s on s.id = a.subscription_id where a.account_id = :a"
                        + " and s.status <> 'cancelled')")
                .bind("a", accountId)
                .mapTo(Boolean.class)
                .one());
    }

    /** Whether the account follows this master under a subscription that is not cancelled. */
    public boolean isLinked(long masterId, long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select exists (select 1 from copy_subscription_accounts a"
                        + " join copy_subscriptions s on s.id = a.subscription_id where a.account_id = :a"
                        + " and s.master_id = :m and s.status <> 'cancelled')")
                .bind("a", accountId)
                .bind("m", masterId)
                .mapTo(Boolean.class)
                .one());
    }

    /** Replaces the license token's hash: the old token stops authenticating at once. */
    public void setTokenHash(long subscriptionId, byte[] tokenHash) {
        jdbi.useHandle(h -> h.createUpdate("update copy_subscriptions set license_token_hash = :hash, updated_at = now()"
                        + " where id = :id")
                .bind("hash", tokenHash)
                .bind("id", subscriptionId)
                .execute());
    }

    public void setStatus(long subscriptionId, String status) {
        jdbi.useHandle(h -> h.createUpdate("update copy_subscriptions set status = :status, updated_at = now()"
                        + " where id = :id")
                .bind("status", status)
                .bind("id", subscriptionId)
                .execute());
    }

    /** Every link of a subscription that is not cancelled, read in the caller's transaction (start-up loading). */
    public static List<CopyLink> listLinks(Handle h) {
        List<CopyLink> links = new ArrayList<>();
        h.createQuery(SUBSCRIPTION_SELECT + " where s.status <> 'cancelled' order by s.id")
                .map((rs, ctx) -> subscription(rs))
                .forEach(s -> s.accountIds().forEach(a -> links.add(s.link(a))));
        return links;
    }

    /** The accounts of published masters, read in the caller's transaction (start-up loading). */
    public static List<Long> listPublishedMasterAccounts(Handle h) {
        return h.createQuery("select account_id from copy_masters where published order by account_id")
                .mapTo(Long.class)
                .list();
    }

    public long insertProtectionEvent(long userId, Long subscriptionId, Long accountId, String reason, String details,
                                      String symbol, Instant at) {
        return jdbi.withHandle(h -> h.createQuery("insert into protection_events (user_id, subscription_id, account_id,"
                        + " source, reason, details, symbol, created_at) values (:userId, :subscriptionId, :accountId, 'ea',"
                        + " :reason, :details, :symbol, :at) returning id")
                .bind("userId", userId)
                .bind("subscriptionId", subscriptionId)
                .bind("accountId", accountId)
                .bind("reason", reason)
                .bind("details", details)
                .bind("symbol", symbol)
                .bind("at", SqlTime.utc(at))
                .mapTo(Long.class)
                .one());
    }

    public List<ProtectionEventRow> listProtectionEvents(long userId, ProtectionFilter f, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("select * from protection_events where user_id = :userId"
                        + filterSql(f) + " order by created_at desc, id desc limit :limit offset :offset")
                .bind("userId", userId)
                .bindMap(filterBindings(f))
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> protectionEvent(rs))
                .list());
    }

    public long countProtectionEvents(long userId, ProtectionFilter f) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from protection_events where user_id = :userId"
                        + filterSql(f))
                .bind("userId", userId)
                .bindMap(filterBindings(f))
                .mapTo(Long.class)
                .one());
    }

    /** Counts grouped by {@code reason}, {@code day} (UTC date) or {@code account}, for the summary. */
    public Map<String, Long> countProtectionEventsBy(long userId, ProtectionFilter f, String dimension) {
        String key = switch (dimension) {
            case "reason" -> "reason";
            case "day" -> "to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')";
            case "account" -> "coalesce(account_id::text, 'none')";
            default -> throw new IllegalArgumentException("unknown dimension " + dimension);
        };
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbi.useHandle(h -> h.createQuery("select " + key + " as k, count(*) as n from protection_events where user_id = :userId"
                        + filterSql(f) + " group by k order by k")
                .bind("userId", userId)
                .bindMap(filterBindings(f))
                .map((rs, ctx) -> Map.entry(rs.getString("k"), rs.getLong("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    private static String filterSql(ProtectionFilter f) {
        StringBuilder sql = new StringBuilder();
        if (f.accountId() != null) {
            sql.append(" and account_id = :accountId");
        }
        if (f.subscriptionId() != null) {
            sql.append(" and subscription_id = :subscriptionId");
        }
        if (f.reason() != null) {
            sql.append(" and reason = :reason");
        }
        if (f.source() != null) {
            sql.append(" and source = :source");
        }
        if (f.from() != null) {
            sql.append(" and created_at >= :from");
        }
        if (f.to() != null) {
            sql.append(" and created_at < :to");
        }
        return sql.toString();
    }

    private static Map<String, Object> filterBindings(ProtectionFilter f) {
        Map<String, Object> b = new LinkedHashMap<>();
        if (f.accountId() != null) {
            b.put("accountId", f.accountId());
        }
        if (f.subscriptionId() != null) {
            b.put("subscriptionId", f.subscriptionId());
        }
        if (f.reason() != null) {
            b.put("reason", f.reason());
        }
        if (f.source() != null) {
            b.put("source", f.source());
        }
        if (f.from() != null) {
            b.put("from", SqlTime.utc(f.from()));
        }
        if (f.to() != null) {
            b.put("to", SqlTime.utc(f.to()));
        }
        return b;
    }

    private static MasterRow master(ResultSet rs) throws SQLException {
        return new MasterRow(rs.getLong("id"), rs.getLong("user_id"), rs.getLong("account_id"), rs.getString("name"),
                rs.getBoolean("published"), SqlTime.instant(rs, "created_at"));
    }

    private static SubscriptionRow subscription(ResultSet rs) throws SQLException {
        String[] map = (String[]) rs.getArray("symbol_map").getArray();
        Long[] accounts = (Long[]) rs.getArray("account_ids").getArray();
        return new SubscriptionRow(rs.getLong("id"), rs.getLong("master_id"), rs.getLong("master_account_id"),
                rs.getString("master_name"), rs.getLong("user_id"), rs.getString("sizing"), rs.getDouble("size_value"),
                List.of(map), rs.getString("status"),
                rs.getObject("expires_at") == null ? null : SqlTime.instant(rs, "expires_at"),
                SqlTime.instant(rs, "created_at"), Arrays.asList(accounts));
    }

    private static ProtectionEventRow protectionEvent(ResultSet rs) throws SQLException {
        return new ProtectionEventRow(rs.getLong("id"), rs.getLong("user_id"),
                (Long) rs.getObject("subscription_id"), (Long) rs.getObject("account_id"), rs.getString("source"),
                rs.getString("reason"), rs.getString("details"), rs.getString("symbol"), SqlTime.instant(rs, "created_at"));
    }
}
