package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Notification preferences, webhook channels and the outbox (which is also the delivery log). Every
 * lookup by id takes the user too: a foreign id reads as absent.
 */
public final class NotificationDao {
    private static final String CHANNEL_COLUMNS = "id, user_id, label, url, secret, enabled, created_at";
    private static final String OUTBOX_COLUMNS = "o.id, o.user_id, o.event, o.channel, o.channel_id, o.dedup_key, o.title, o.body,"
            + " o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at";

    private final Jdbi jdbi;

    public NotificationDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public record Preference(boolean email, boolean webhook) {
    }

    public record Channel(long id, long userId, String label, String url, byte[] secret, boolean enabled, Instant createdAt) {
    }

    public record Delivery(long id, long userId, String event, String channel, Long channelId, String dedupKey, String title,
                           String body, String status, int attempts, Instant nextAttemptAt, String lastError, Instant createdAt,
                           Instant sentAt) {
    }

    /** The stored preferences of a user by event (events never set are absent). */
    public Map<String, Preference> preferences(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select event, email, webhook from notification_preferences where user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> Map.entry(rs.getString("event"), new Preference(rs.getBoolean("email"), rs.getBoolean("webhook"))))
                .list()).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public void setPreferences(long userId, Map<String, Preference> preferences) {
        jdbi.useTransaction(h -> {
            for (Map.Entry<String, Preference> p : preferences.entrySet()) {
                h.createUpdate("insert into notification_preferences (user_id, event, email, webhook) values (:user, :event, :email, :webhook)"
                                + " on conflict (user_id, event) do update set email = :email, webhook = :webhook")
                        .bind("user", userId).bind("event", p.getKey())
                        .bind("email", p.getValue().email()).bind("webhook", p.getValue().webhook())
                        .execute();
            }
        });
    }

    public long addChannel(long userId, String label, String url, byte[] encryptedSecret) {
        return jdbi.withHandle(h -> h.createUpdate("insert into notification_channels (user_id, label, url, secret)"
                        + " values (:user, :label, :url, :secret)")
                .bind("user", userId).bind("label", label).bind("url", url).bind("secret", encryptedSecret)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    public List<Channel> channels(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select " + CHANNEL_COLUMNS + " from notification_channels"
                        + " where user_id = :user and deleted_at is null order by id")
                .bind("user", userId).map((rs, ctx) -> channel(rs)).list());
    }

    /** The user's channel, empty when it is another user's, deleted or unknown. */
    public Optional<Channel> channel(long userId, long channelId) {
        return jdbi.withHandle(h -> h.createQuery("select " + CHANNEL_COLUMNS + " from notification_channels"
                        + " where id = :id and user_id = :user and deleted_at is null")
                .bind("id", channelId).bind("user", userId).map((rs, ctx) -> channel(rs)).findOne());
    }

    public boolean updateChannel(long userId, long channelId, String label, String url, Boolean enabled) {
        return jdbi.withHandle(h -> h.createUpdate("update notification_channels set label = coalesce(:label, label),"
                        + " url = coalesce(:url, url), enabled = coalesce(:enabled, enabled)"
                        + " where id = :id and user_id = :user and deleted_at is null")
                .bind("label", label).bind("url", url).bind("enabled", enabled).bind("id", channelId).bind("user", userId)
                .execute()) > 0;
    }

    /** Soft delete: the delivery log keeps pointing at it; its pending deliveries are dropped. */
    public boolean deleteChannel(long userId, long channelId, Instant now) {
        return jdbi.inTransaction(h -> {
            int n = h.createUpdate("update notification_channels set deleted_at = :now, enabled = false"
                            + " where id = :id and user_id = :user and deleted_at is null")
                    .bind("now", SqlTime.utc(now)).bind("id", channelId).bind("user", userId).execute();
            h.createUpdate("update notification_outbox set status = 'failed', last_error = 'channel deleted'"
                            + " where channel_id = :id and status = 'pending'")
                    .bind("id", channelId).execute();
            return n > 0;
        });
    }

    /** Queues a delivery and returns its id; empty when the same (user, event, channel, dedup key) was queued before. */
    public Optional<Long> enqueue(long userId, String event, String channel, Long channelId, String dedupKey, String title,
                                  String body, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("insert into notification_outbox"
                        + " (user_id, event, channel, channel_id, dedup_key, title, body, next_attempt_at, created_at)"
                        + " values (:user, :event, :channel, :channelId, :dedup, :title, :body, :now, :now) on conflict do nothing"
                        + " returning id")
                .bind("user", userId).bind("event", event).bind("channel", channel).bind("channelId", channelId)
                .bind("dedup", dedupKey).bind("title", title).bind("body", body).bind("now", SqlTime.utc(now))
                .mapTo(Long.class).findOne());
    }

    /** Pending deliveries whose time has come, oldest first. */
    public List<Delivery> due(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("select " + OUTBOX_COLUMNS + " from notification_outbox o"
                        + " where o.status = 'pending' and o.next_attempt_at <= :now order by o.next_attempt_at, o.id limit :limit")
                .bind("now", SqlTime.utc(now)).bind("limit", limit).map((rs, ctx) -> delivery(rs)).list());
    }

    public Optional<Delivery> delivery(long id) {
        return jdbi.withHandle(h -> h.createQuery("select " + OUTBOX_COLUMNS + " from notification_outbox o where o.id = :id")
                .bind("id", id).map((rs, ctx) -> delivery(rs)).findOne());
    }

    public void markSent(long id, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("update notification_outbox set status = 'sent', attempts = attempts + 1, sent_at = :now,"
                + " last_error = null where id = :id").bind("now", SqlTime.utc(now)).bind("id", id).execute());
    }

    /** Records a failed attempt: pending again at {@code retryAt}, or failed for good when {@code retryAt} is null. */
    public void markFailed(long id, String error, Instant retryAt) {
        jdbi.useHandle(h -> h.createUpdate("update notification_outbox set attempts = attempts + 1, last_error = :error,"
                        + " status = case when cast(:retry as timestamptz) is null then 'failed' else 'pending' end,"
                        + " next_attempt_at = coalesce(cast(:retry as timestamptz), next_attempt_at) where id = :id")
                .bind("error", error).bind("retry", retryAt == null ? null : SqlTime.utc(retryAt)).bind("id", id).execute());
    }

    /** The user's delivery log, newest first. */
    public List<Delivery> log(long userId, String status, int limit, int offset) {
        return jdbi.withHandle(h -> h.createQuery("select " + OUTBOX_COLUMNS + " from notification_outbox o where o.user_id = :user"
                        + " and (cast(:status as text) is null or o.status = :status) order by o.id desc limit :limit offset :offset")
                .bind("user", userId).bind("status", status).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> delivery(rs)).list());
    }

    public long logCount(long userId, String status) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from notification_outbox where user_id = :user"
                        + " and (cast(:status as text) is null or status = :status)")
                .bind("user", userId).bind("status", status).mapTo(Long.class).one());
    }

    /**
     * Users whose preference for {@code event} (or the defaults when they never set it) enables email while mail
     * is on, or enables webhooks while they have an enabled channel; {@code userId} null for every user.
     */
    public List<Long> recipients(String event, boolean mailOn, boolean emailByDefault, boolean webhookByDefault, Long userId) {
        return jdbi.withHandle(h -> h.createQuery("select u.id from users u"
                        + " left join notification_preferences p on p.user_id = u.id and p.event = :event"
                        + " where (cast(:user as bigint) is null or u.id = :user)"
                        + " and ((:mailOn and coalesce(p.email, :emailDefault))"
                        + " or (coalesce(p.webhook, :webhookDefault) and exists (select 1 from notification_channels c"
                        + " where c.user_id = u.id and c.enabled and c.deleted_at is null)))")
                .bind("event", event).bind("mailOn", mailOn).bind("emailDefault", emailByDefault)
                .bind("webhookDefault", webhookByDefault).bind("user", userId)
                .mapTo(Long.class).list());
    }

    /** Users who asked for the daily summary on some channel (it is off by default). */
    public List<Long> dailySummaryUsers() {
        return jdbi.withHandle(h -> h.createQuery("select user_id from notification_preferences"
                        + " where event = 'daily_summary' and (email or webhook) order by user_id")
                .mapTo(Long.class).list());
    }

    /** A user's fills and realised P&L between two instants (a day). */
    public record DayTotals(long fills, double realizedPnl) {
    }

    public DayTotals dayTotals(long userId, Instant from, Instant to) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) as fills, coalesce(sum(realized_pnl), 0) as pnl from orders"
                        + " where user_id = :user and status = 'filled' and created_at >= :from and created_at < :to")
                .bind("user", userId).bind("from", SqlTime.utc(from)).bind("to", SqlTime.utc(to))
                .map((rs, ctx) -> new DayTotals(rs.getLong("fills"), rs.getDouble("pnl"))).one());
    }

    /** The owner of a broker account, for events that name only the account. */
    public Optional<Long> accountOwner(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select user_id from broker_accounts where id = :id")
                .bind("id", accountId).mapTo(Long.class).findOne());
    }

    public Optional<String> accountLabel(long accountId) {
        return jdbi.withHandle(h -> h.createQuery("select label from broker_accounts where id = :id")
                .bind("id", accountId).mapTo(String.class).findOne());
    }

    private static Channel channel(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Channel(rs.getLong("id"), rs.getLong("user_id"), rs.getString("label"), rs.getString("url"), rs.getBytes("secret"),
                rs.getBoolean("enabled"), SqlTime.instant(rs, "created_at"));
    }

    private static Delivery delivery(java.sql.ResultSet rs) throws java.sql.SQLException {
        long channelId = rs.getLong("channel_id");
        Long channel = rs.wasNull() ? null : channelId;
        return new Delivery(rs.getLong("id"), rs.getLong("user_id"), rs.getString("event"), rs.getString("channel"), channel,
                rs.getString("dedup_key"), rs.getString("title"), rs.getString("body"), rs.getString("status"), rs.getInt("attempts"),
                SqlTime.instant(rs, "next_attempt_at"), rs.getString("last_error"), SqlTime.instant(rs, "created_at"),
                SqlTime.instant(rs, "sent_at"));
    }
}
