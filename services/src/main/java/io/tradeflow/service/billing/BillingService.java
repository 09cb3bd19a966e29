package io.tradeflow.service.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.tradeflow.config.BillingConfig;
import io.tradeflow.config.PlanLimits;
import io.tradeflow.config.PlanTier;
import io.tradeflow.core.ring.ControlPublisher;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.BillingDao;
import io.tradeflow.persistence.dao.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plans and Stripe billing: checkout and portal sessions, signed webhooks, payment failure grace,
 * admin plan changes and suspension. Every plan change reaches the router as a journaled
 * PLAN_CHANGED control (so it applies from the next alert and survives a restart from the journal)
 * and is written to the database. Webhooks never trust arrival order: each one re-reads the
 * subscription from Stripe and applies its current state. Secrets stay in {@link BillingConfig}.
 */
public final class BillingService {
    private static final Logger LOG = LoggerFactory.getLogger(BillingService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long CONTROL_TIMEOUT_SECONDS = 10;

    private final BillingConfig config;
    private final BillingDao dao;
    private final ControlPublisher control;
    private final Clock clock;
    private volatile BillingListener listener;
    private final StripeClient stripe;

    public BillingService(Database database, ControlPublisher control, BillingConfig config, Clock clock,
                          BillingListener listener) {
        this.config = config;
        this.dao = new BillingDao(database.jdbi());
        this.control = control;
        this.clock = clock;
        this.listener = listener;
        this.stripe = config.stripeConfigured()
                ? new StripeClient.StripeClientBuilder().setApiKey(config.stripeSecretKey())
                        .setApiBase(config.stripeApiBase()).setMaxNetworkRetries(2).build()
                : null;
    }

    /** Replaces who hears about payment failures and plan changes (the notification service, at start-up). */
    public void listener(BillingListener listener) {
        this.listener = listener;
    }

    public BillingConfig config() {
        return config;
    }

    public boolean configured() {
        return stripe != null;
    }

    /** What the billing page shows: plan, status (active, grace, lapsed), period end, cancellation, grace end. */
    public record Status(PlanTier plan, String status, Instant currentPeriodEnd, boolean cancelAtPeriodEnd,
                         Instant graceEndsAt, boolean hasCustomer, boolean suspended) {
    }

    public Status status(long userId) {
        BillingDao.PlanState state = dao.planState(userId).orElseThrow();
        Optional<BillingDao.Subscription> sub = dao.find(userId);
        return new Status(state.plan().tier(), statusOf(state.lapsed(), state.graceEndsAt()),
                sub.map(BillingDao.Subscription::currentPeriodEnd).orElse(null),
                sub.map(BillingDao.Subscription::cancelAtPeriodEnd).orElse(false),
                state.graceEndsAt(), sub.isPresent(), state.suspended());
    }

    private String statusOf(boolean lapsed, Instant graceEndsAt) {
        if (lapsed || (graceEndsAt != null && !clock.instant().isBefore(graceEndsAt))) {
            return "lapsed";
        }
        return graceEndsAt != null ? "grace" : "active";
    }

    /** A Stripe Checkout url for the plan; one Stripe customer per user, an Idempotency-Key on every create. */
    public String checkout(long userId, String email, String planName, String returnUrl) {
        PlanTier tier = PlanTier.fromWireName(planName);
        if (tier == null || tier == PlanTier.TRIAL) {
            throw new BillingException(400, "INVALID_INPUT", "plan", "plan must be one of starter, pro, elite");
        }
        requireConfigured();
        PlanLimits limits = config.plan(tier);
        if (!limits.purchasable()) {
            throw new BillingException(400, "INVALID_INPUT", "plan",
                    "plan " + planName + " has no Stripe price: set billing.plans." + planName + ".price-id");
        }
        try {
            String customer = customerOf(userId, email);
            SessionCreateParams params = SessionCreateParams.builder()
                    .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                    .setCustomer(customer)
                    .setClientReferenceId(Long.toString(userId))
                    .addLineItem(SessionCreateParams.LineItem.builder().setPrice(limits.priceId()).setQuantity(1L).build())
                    .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                            .putMetadata("user_id", Long.toString(userId)).putMetadata("plan", tier.wireName()).build())
                    .setSuccessUrl(returnUrl + "?checkout=success")
                    .setCancelUrl(returnUrl + "?checkout=cancelled")
                    .build();
            return stripe.v1().checkout().sessions().create(params, idempotent("checkout-" + userId)).getUrl();
        } catch (StripeException e) {
            throw stripeFailed(e);
        }
    }

    /** A Stripe customer portal url (payment method, invoices, cancellation); 404 before the first checkout. */
    public String portal(long userId, String returnUrl) {
        requireConfigured();
        BillingDao.Subscription sub = dao.find(userId).orElseThrow(() -> new BillingException(404, "NOT_FOUND", null,
                "no Stripe customer yet: choose a plan first"));
        try {
            com.stripe.param.billingportal.SessionCreateParams params = com.stripe.param.billingportal.SessionCreateParams
                    .builder().setCustomer(sub.customerId()).setReturnUrl(returnUrl).build();
            return stripe.v1().billingPortal().sessions().create(params, idempotent("portal-" + userId)).getUrl();
        } catch (StripeException e) {
            throw stripeFailed(e);
        }
    }

    private String customerOf(long userId, String email) throws StripeException {
        Optional<BillingDao.Subscription> known = dao.find(userId);
        if (known.isPresent()) {
            return known.get().customerId();
        }
        Customer customer = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail(email)
                .putMetadata("user_id", Long.toString(userId)).build(),
                // Stable per user: two concurrent first checkouts still make one customer.
                RequestOptions.builder().setIdempotencyKey("tradeflow-customer-" + userId).build());
        dao.saveCustomer(userId, customer.getId());
        return dao.find(userId).orElseThrow().customerId();
    }

    private static RequestOptions idempotent(String what) {
        return RequestOptions.builder().setIdempotencyKey("tradeflow-" + what + "-" + UUID.randomUUID()).build();
    }

    /** What a webhook delivery did. */
    public enum WebhookResult { APPLIED, DUPLICATE, IGNORED }

    /**
     * Verifies and applies a Stripe webhook. A bad or stale signature (Stripe's 300 s tolerance)
     * throws a 400 and changes nothing; an event id seen before changes nothing.
     */
    public WebhookResult webhook(String payload, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new BillingException(400, "INVALID_SIGNATURE", "Stripe-Signature", "the Stripe-Signature header is missing");
        }
        requireConfigured();
        Event event;
        try {
            event = Webhook.constructEvent(payload, signatureHeader == null ? "" : signatureHeader,
                    config.stripeWebhookSecret(), Webhook.DEFAULT_TOLERANCE, clock);
        } catch (SignatureVerificationException e) {
            throw new BillingException(400, "INVALID_SIGNATURE", "Stripe-Signature",
                    "the Stripe-Signature header does not verify (wrong secret, altered body or older than 300 s)");
        } catch (RuntimeException e) {
            throw new BillingException(400, "INVALID_INPUT", null, "the webhook body is not a Stripe event");
        }
        if (event.getId() == null || dao.eventApplied(event.getId())) {
            return WebhookResult.DUPLICATE;
        }
        JsonNode object;
        try {
            object = JSON.readTree(payload).path("data").path("object");
        } catch (IOException e) {
            throw new BillingException(400, "INVALID_INPUT", null, "the webhook body is not JSON");
        }
        Long userId = apply(event.getType(), object);
        boolean first = dao.recordEvent(event.getId(), event.getType(), userId);
        return !first ? WebhookResult.DUPLICATE : userId == null ? WebhookResult.IGNORED : WebhookResult.APPLIED;
    }

    private Long apply(String type, JsonNode object) {
        String subscriptionId;
        OptionalLong userId;
        switch (type) {
            case "checkout.session.completed":
                userId = parseUser(object.path("client_reference_id").asText(""));
                String customer = object.path("customer").asText("");
                if (userId.isPresent() && !customer.isEmpty()) {
                    dao.saveCustomer(userId.getAsLong(), customer);
                }
                subscriptionId = object.path("subscription").asText("");
                break;
            case "customer.subscription.created":
            case "customer.subscription.updated":
            case "customer.subscription.deleted":
                userId = userOf(object.path("customer").asText(""));
                subscriptionId = object.path("id").asText("");
                break;
            case "invoice.paid":
            case "invoice.payment_failed":
                userId = userOf(object.path("customer").asText(""));
                subscriptionId = object.path("subscription").asText(
                        object.path("parent").path("subscription_details").path("subscription").asText(""));
                break;
            default:
                return null;
        }
        if (userId.isEmpty() || subscriptionId.isEmpty()) {
            LOG.info("Stripe event {} names no known user or subscription; ignored", type);
            return null;
        }
        sync(userId.getAsLong(), subscriptionId);
        return userId.getAsLong();
    }

    private OptionalLong userOf(String customerId) {
        return customerId.isEmpty() ? OptionalLong.empty() : dao.userOfCustomer(customerId);
    }

    private static OptionalLong parseUser(String id) {
        try {
            return OptionalLong.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Applies the subscription's current state as Stripe reports it now: arrival order never matters. */
    private void sync(long userId, String subscriptionId) {
        Subscription sub;
        try {
            sub = stripe.v1().subscriptions().retrieve(subscriptionId);
        } catch (StripeException e) {
            throw stripeFailed(e);
        }
        SubscriptionItem item = sub.getItems() == null || sub.getItems().getData().isEmpty()
                ? null : sub.getItems().getData().get(0);
        PlanTier tier = tierOf(item, sub);
        String status = sub.getStatus() == null ? "" : sub.getStatus();
        Instant periodEnd = item == null || item.getCurrentPeriodEnd() == null
                ? null : Instant.ofEpochSecond(item.getCurrentPeriodEnd());
        boolean cancelAtEnd = Boolean.TRUE.equals(sub.getCancelAtPeriodEnd());
        BillingDao.Subscription before = dao.find(userId).orElse(null);
        Instant graceBefore = before == null ? null : before.graceEndsAt();
        boolean lapsed;
        Instant graceEnds = null;
        switch (status) {
            case "active":
            case "trialing":
                lapsed = false;
                break;
            case "past_due":
                lapsed = false;
                graceEnds = graceBefore != null ? graceBefore : clock.instant().plus(config.gracePeriod());
                break;
            case "incomplete":
                // The first payment is still being made: nothing is bought yet.
                return;
            default:
                // canceled, unpaid, incomplete_expired, paused: the plan has ended.
                lapsed = true;
                break;
        }
        dao.saveSubscription(userId, sub.getId(), tier.wireName(), status, periodEnd, cancelAtEnd, graceEnds);
        changePlan(userId, tier, lapsed, graceEnds);
        if (graceEnds != null && graceBefore == null) {
            listener.paymentFailed(userId, tier, graceEnds);
        }
        if (cancelAtEnd && periodEnd != null && (before == null || !before.cancelAtPeriodEnd())) {
            listener.planEnding(userId, tier, periodEnd);
        }
    }

    private PlanTier tierOf(SubscriptionItem item, Subscription sub) {
        String priceId = item == null || item.getPrice() == null ? "" : item.getPrice().getId();
        for (PlanLimits p : config.plans().values()) {
            if (p.purchasable() && p.priceId().equals(priceId)) {
                return p.tier();
            }
        }
        PlanTier fromMetadata = sub.getMetadata() == null ? null : PlanTier.fromWireName(sub.getMetadata().get("plan"));
        if (fromMetadata == null || fromMetadata == PlanTier.TRIAL) {
            throw new BillingException(422, "UNKNOWN_PRICE", null, "subscription " + sub.getId()
                    + " sells a price no billing.plans.<plan>.price-id names");
        }
        return fromMetadata;
    }

    /** Sets the user's plan in the router (journaled PLAN_CHANGED, applied from the next alert) and the database. */
    public void changePlan(long userId, PlanTier tier, boolean lapsed, Instant graceEndsAt) {
        BillingDao.PlanState now = dao.planState(userId).orElseThrow(() -> new BillingException(404, "NOT_FOUND", null, "user"));
        if (now.plan().tier() == tier && now.lapsed() == lapsed && java.util.Objects.equals(now.graceEndsAt(), graceEndsAt)) {
            return;
        }
        await(control.planChanged(userId, tier, lapsed, graceEndsAt == null ? 0 : graceEndsAt.toEpochMilli()));
        dao.setPlan(userId, Plan.of(tier), lapsed, graceEndsAt);
        listener.planChanged(userId, tier, statusOf(lapsed, graceEndsAt));
    }

    /** Suspends or reactivates the user: alerts refused in the router, sessions ended, login refused. */
    public void suspend(long userId, boolean on) {
        dao.planState(userId).orElseThrow(() -> new BillingException(404, "NOT_FOUND", null, "user"));
        dao.suspend(userId, on, clock.instant());
        await(control.userSuspended(userId, on));
    }

    /**
     * Refuses (403 PLAN_LIMIT) a new broker account the user's plan does not allow: more than
     * {@code billing.plans.<plan>.broker-accounts}, or a broker outside {@code .brokers}.
     */
    public void checkNewAccount(long userId, String broker, int existingAccounts) {
        PlanTier tier = dao.planState(userId).map(s -> s.plan().tier()).orElse(PlanTier.TRIAL);
        PlanLimits limits = config.plan(tier);
        if (!limits.brokers().isEmpty() && !limits.brokers().contains(broker)) {
            throw new BillingException(403, "PLAN_LIMIT", "broker", "the " + tier.wireName() + " plan allows the brokers "
                    + String.join(", ", limits.brokers()) + "; upgrade for " + broker);
        }
        if (limits.brokerAccounts() > 0 && existingAccounts >= limits.brokerAccounts()) {
            throw new BillingException(403, "PLAN_LIMIT", null, "the " + tier.wireName() + " plan allows "
                    + limits.brokerAccounts() + " broker account(s); upgrade for more");
        }
    }

    public boolean suspended(long userId) {
        return dao.suspended(userId);
    }

    /** Revenue: active subscriptions per plan, monthly recurring revenue and churn over the last 30 days. */
    public record Revenue(java.util.Map<String, Long> activeByPlan, double mrr, long canceledLast30Days, double churnRate) {
    }

    public Revenue revenue() {
        java.util.List<String> paid = java.util.List.of("starter", "pro", "elite");
        java.util.Map<String, Long> active = dao.activeByPlan(paid);
        double mrr = 0;
        long total = 0;
        for (java.util.Map.Entry<String, Long> e : active.entrySet()) {
            mrr += e.getValue() * config.plan(PlanTier.fromWireName(e.getKey())).pricePerMonth();
            total += e.getValue();
        }
        long canceled = dao.canceledSince(clock.instant().minus(java.time.Duration.ofDays(30)));
        double churn = total + canceled == 0 ? 0 : (double) canceled / (total + canceled);
        return new Revenue(active, mrr, canceled, churn);
    }

    private void requireConfigured() {
        if (stripe == null) {
            throw BillingException.notConfigured();
        }
    }

    private static BillingException stripeFailed(StripeException e) {
        // The SDK's message names the request, never the key.
        LOG.warn("Stripe request failed: {} ({})", e.getMessage(), e.getStatusCode());
        return new BillingException(502, "STRIPE_ERROR", null, "Stripe did not answer as expected; try again");
    }

    private static void await(CompletableFuture<Long> applied) {
        try {
            applied.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the router applied a plan change", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the router did not apply the plan change", e);
        }
    }
}
