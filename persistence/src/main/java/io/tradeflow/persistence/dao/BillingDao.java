package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The billing tables: each user's Stripe customer and subscription as Stripe last described them,
 * the Stripe event ids already applied, and the user's suspension. Ids only: no card data, no secrets.
 */
public final class BillingDao {
    private static final String COLUMNS = "user_id, customer_id, subscription_id, plan, status, current_period_end,"
            + " cancel_at_period_end, grace_ends_at";

    private final Jdbi jdbi;

    public BillingDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A user's subscription row; {@code subscriptionId}, {@code plan}, {@code status} null before checkout completes. */
    public record Subscription(long userId, String customerId, String subscriptionId, String plan, String status,
                               Instant currentPeriodEnd, boolean cancelAtPeriodEnd, Instant graceEndsAt) {
    }

    public Optional<Subscription> find(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from billing_subscriptions where user_id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new Subscription(rs.getLong("user_id"), rs.getString("customer_id"),
                        rs.getString("subscription_id"), rs.getString("plan"), rs.getString("status"),
                        SqlTime.instant(rs, "current_period_end"), rs.getBoolean("cancel_at_period_end"),
                        SqlTime.instant(rs, "grace_ends_at")))
                .findOne());
    }

    /** The user whose Stripe customer this is. */
    public OptionalLong userOfCustomer(String customerId) {
        return jdbi.withHandle(h -> h.createQuery("select user_id from billing_subscriptions where customer_id = :c")
                .bind("c", customerId)
                .mapTo(Long.class)
                .findOne()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty()));
    }

    /** Remembers the user's Stripe customer (one per user; the first one stays). */
    public void saveCustomer(long userId, String customerId) {
        jdbi.useHandle(h -> h.createUpdate("insert into billing_subscriptions (user_id, customer_id) values (:u, :c)"
                        + " on conflict (user_id) do nothing")
                .bind("u", userId)
                .bind("c", customerId)
                .execute());
    }

    /** Replaces what is known of the user's subscription (absolute: the subscription's own current state). */
    public void saveSubscription(long userId, String subscriptionId, String plan, String status, Instant periodEnd,
                                 boolean cancelAtPeriodEnd, Instant graceEndsAt) {
        jdbi.useHandle(h -> h.createUpdate("update billing_subscriptions set subscription_id = :s, plan = :p, status = :st,"
                        + " current_period_end = :end, cancel_at_period_end = :cancel, grace_ends_at = :grace,"
                        + " updated_at = now() where user_id = :u")
                .bind("u", userId)
                .bind("s", subscriptionId)
                .bind("p", plan)
                .bind("st", status)
                .bind("end", periodEnd == null ? null : SqlTime.utc(periodEnd))
                .bind("cancel", cancelAtPeriodEnd)
                .bind("grace", graceEndsAt == null ? null : SqlTime.utc(graceEndsAt))
                .execute());
    }

    /** Records a Stripe event as applied; false when it was applied before (a redelivery). */
    public boolean recordEvent(String eventId, String type, Long userId) {
        return jdbi.withHandle(h -> h.createUpdate("insert into billing_events (event_id, type, user_id) values (:id, :t, :u)"
                        + " on conflict (event_id) do nothing")
                .bind("id", eventId)
                .bind("t", type)
                .bind("u", userId)
                .execute()) == 1;
    }

    public boolean eventApplied(String eventId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from billing_events where event_id = :id")
                .bind("id", eventId)
                .mapTo(Long.class)
                .one()) > 0;
    }

    /** Sets the user's plan row at once (the projection writes the same values from PLAN_CHANGED). */
    public void setPlan(long userId, Plan plan, boolean lapsed, Instant graceEndsAt) {
        jdbi.useHandle(h -> h.createUpdate("update users set plan = :p, plan_lapsed = :l, grace_ends_at = :g where id = :id")
                .bind("p", plan.dbName())
                .bind("l", lapsed)
                .bind("g", graceEndsAt == null ? null : SqlTime.utc(graceEndsAt))
                .bind("id", userId)
                .execute());
    }

    /** The router's view of the user's plan: lapsed flag and grace end. */
    public record PlanState(Plan plan, boolean lapsed, Instant graceEndsAt, boolean suspended) {
    }

    public Optional<PlanState> planState(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select plan, plan_lapsed, grace_ends_at, suspended from users where id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new PlanState(Plan.fromDbName(rs.getString("plan")), rs.getBoolean("plan_lapsed"),
                        SqlTime.instant(rs, "grace_ends_at"), rs.getBoolean("suspended")))
                .findOne());
    }

    /**
     * Suspends or reactivates the user; suspending also ends every session: refresh tokens deleted
     * and access tokens issued before {@code now} refused.
     */
    public void suspend(long userId, boolean on, Instant now) {
        jdbi.useTransaction(h -> {
            h.createUpdate("update users set suspended = :on where id = :id").bind("on", on).bind("id", userId).execute();
            if (on) {
                h.createUpdate("delete from refresh_tokens where user_id = :id").bind("id", userId).execute();
                h.createUpdate("update users set sessions_valid_after = :at where id = :id")
                        .bind("at", SqlTime.utc(now)).bind("id", userId).execute();
            }
        });
    }

    public boolean suspended(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select suspended from users where id = :id")
                .bind("id", userId)
                .mapTo(Boolean.class)
                .findOne()
                .orElse(false));
    }

    /** Active (or grace) subscriptions per plan, in plan order. */
    public Map<String, Long> activeByPlan(List<String> plans) {
        Map<String, Long> counts = new LinkedHashMap<>();
        plans.forEach(p -> counts.put(p, 0L));
        jdbi.useHandle(h -> h.createQuery("select plan, count(*) as n from billing_subscriptions"
                        + " where status in ('active', 'trialing', 'past_due') and plan is not null group by plan")
                .map((rs, ctx) -> Map.entry(rs.getString("plan"), rs.getLong("n")))
                .forEach(e -> counts.merge(e.getKey(), e.getValue(), Long::sum)));
        return counts;
    }

    /** Subscriptions that ended ({@code canceled}) since {@code since}. */
    public long canceledSince(Instant since) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from billing_subscriptions"
                        + " where status = 'canceled' and updated_at >= :since")
                .bind("since", SqlTime.utc(since))
                .mapTo(Long.class)
                .one());
    }
}
