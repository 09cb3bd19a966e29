package io.tradeflow.service.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.config.NotificationsConfig;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.AccountSecurityDao;
import io.tradeflow.persistence.dao.NotificationDao;
import io.tradeflow.persistence.dao.NotificationDao.Channel;
import io.tradeflow.persistence.dao.NotificationDao.Delivery;
import io.tradeflow.persistence.dao.NotificationDao.Preference;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;
import io.tradeflow.service.mail.MailSender;
import io.tradeflow.service.security.CredentialCipher;
import jakarta.mail.MessagingException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Notifications of a user, per event type, by email and outbound webhooks. {@link #notify} only writes
 * the outbox (one row per user, event, channel and dedup key: a repeat is dropped); the
 * {@link NotificationDispatcher} delivers it in the background with retries and exponential back-off,
 * and the outbox is the user's delivery log. Webhooks are a JSON POST that Discord, Slack and Telegram bots
 * accept ({@link WebhookPayload}), signed with the channel's secret (see {@link WebhookSignature}).
 */
public final class NotificationService {
    public static final String EMAIL = "email";
    public static final String WEBHOOK = "webhook";
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR = 300;

    private final NotificationDao dao;
    private final UserDao users;
    private final AccountSecurityDao security;
    private final MailSender mail;
    private final CredentialCipher cipher;
    private final NotificationsConfig config;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WEBHOOK_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private volatile Runnable wake = () -> { };
    private final FillRecipients fillRecipients = new FillRecipients();

    public NotificationService(Database database, MailSender mail, CredentialCipher cipher, NotificationsConfig config, Clock clock) {
        this.dao = new NotificationDao(database.jdbi());
        this.users = new UserDao(database.jdbi());
        this.security = new AccountSecurityDao(database.jdbi());
        this.mail = mail;
        this.cipher = cipher;
        this.config = config;
        this.clock = clock;
    }

    /** The users a fill can reach, for the ring-side filter; loaded here, kept current by every change below. */
    public FillRecipients fillRecipients() {
        return fillRecipients;
    }

    /** Start-up: every user a fill notification could reach. */
    public void loadFillRecipients() {
        fillRecipients.replaceAll(fillRecipientRows(null));
    }

    private void refreshFillRecipient(long userId) {
        fillRecipients.set(userId, !fillRecipientRows(userId).isEmpty());
    }

    private List<Long> fillRecipientRows(Long userId) {
        NotificationEvent fill = NotificationEvent.FILL;
        return dao.recipients(fill.wireName(), mail.enabled(), fill.emailByDefault(), fill.webhookByDefault(), userId);
    }

    /** Called after something was queued, so the dispatcher delivers at once rather than at its next poll. */
    void onQueued(Runnable wakeDispatcher) {
        this.wake = wakeDispatcher;
    }

    public boolean mailEnabled() {
        return mail.enabled();
    }

    public boolean emailVerified(long userId) {
        return security.status(userId).map(AccountSecurityDao.Status::emailVerified).orElse(false);
    }

    // ---- preferences --------------------------------------------------------------------------

    /** Every event with the user's choice, or the default for events never set. */
    public Map<NotificationEvent, Preference> preferences(long userId) {
        Map<String, Preference> stored = dao.preferences(userId);
        Map<NotificationEvent, Preference> all = new EnumMap<>(NotificationEvent.class);
        for (NotificationEvent e : NotificationEvent.values()) {
            all.put(e, stored.getOrDefault(e.wireName(), new Preference(e.emailByDefault(), e.webhookByDefault())));
        }
        return all;
    }

    public void setPreferences(long userId, Map<NotificationEvent, Preference> changes) {
        Map<String, Preference> rows = new LinkedHashMap<>();
        changes.forEach((e, p) -> rows.put(e.wireName(), p));
        dao.setPreferences(userId, rows);
        refreshFillRecipient(userId);
    }

    // ---- channels -----------------------------------------------------------------------------

    /** A new webhook channel and its signing secret, which is shown this once. */
    public record NewChannel(Channel channel, String secret) {
    }

    public NewChannel addWebhook(long userId, String label, String url) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = dao.addChannel(userId, label, url, cipher.encrypt(secret.getBytes(StandardCharsets.UTF_8), userId));
        refreshFillRecipient(userId);
        return new NewChannel(dao.channel(userId, id).orElseThrow(), secret);
    }

    public List<Channel> channels(long userId) {
        return dao.channels(userId);
    }

    public Optional<Channel> channel(long userId, long channelId) {
        return dao.channel(userId, channelId);
    }

    public boolean updateChannel(long userId, long channelId, String label, String url, Boolean enabled) {
        boolean updated = dao.updateChannel(userId, channelId, label, url, enabled);
        refreshFillRecipient(userId);
        return updated;
    }

    public boolean deleteChannel(long userId, long channelId) {
        boolean deleted = dao.deleteChannel(userId, channelId, clock.instant());
        refreshFillRecipient(userId);
        return deleted;
    }

    /**
     * Why a webhook URL cannot be used, or null when it can: http(s), a host, and (unless
     * {@code notifications.allow-private-urls}) no literal private, loopback or link-local address.
     */
    public String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "url is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getUserInfo() != null) {
            return "url must be an http(s) URL with a host, such as https://discord.com/api/webhooks/...";
        }
        String host = uri.getHost();
        if (!config.allowPrivateUrls() && (host.equalsIgnoreCase("localhost") || host.matches("[0-9.]+|\\[.*]"))) {
            try {
                if (isPrivate(InetAddress.getByName(host))) {
                    return "url must not point at a private, loopback or link-local address";
                }
            } catch (UnknownHostException e) {
                return "url's host cannot be resolved";
            }
        }
        return null;
    }

    // ---- events -------------------------------------------------------------------------------

    /**
     * Queues {@code event} for the user on every channel their preferences enable: email (when mail is
     * configured and their address is verified) and each enabled webhook. Returns the rows queued;
     * a (user, event, channel, dedupKey) queued before is not queued again.
     */
    public int notify(long userId, NotificationEvent event, String dedupKey, String title, String text) {
        Preference preference = preferences(userId).get(event);
        Instant now = clock.instant();
        int queued = 0;
        if (preference.email() && mail.enabled() && emailVerified(userId)
                && dao.enqueue(userId, event.wireName(), EMAIL, null, dedupKey, title, text, now).isPresent()) {
            queued++;
        }
        if (preference.webhook()) {
            for (Channel c : dao.channels(userId)) {
                if (c.enabled() && dao.enqueue(userId, event.wireName(), WEBHOOK, c.id(), dedupKey, title, text, now).isPresent()) {
                    queued++;
                }
            }
        }
        if (queued > 0) {
            wake.run();
        }
        return queued;
    }

    /** Billing's entry point: a payment failed ({@code dedupKey}: the invoice or payment id). */
    public int paymentFailed(long userId, String dedupKey, String detail) {
        return notify(userId, NotificationEvent.PAYMENT_FAILED, "payment:" + dedupKey, "Payment failed",
                "A payment for your TradeFlow plan failed: " + detail + ". Update your payment method to keep trading.");
    }

    /** Billing's entry point: the trial or plan {@code plan} ends at {@code endsAt}. */
    public int planEnding(long userId, String plan, Instant endsAt) {
        return notify(userId, NotificationEvent.PLAN_ENDING, "plan-ending:" + plan + ":" + endsAt, "Your " + plan + " ends soon",
                "Your TradeFlow " + plan + " ends at " + endsAt + ". Choose a plan to keep routing alerts.");
    }

    /** The daily summary of a user for {@code day} (e.g. 2026-12-04). */
    public int dailySummary(long userId, String day, String text) {
        return notify(userId, NotificationEvent.DAILY_SUMMARY, "summary:" + day, "Daily summary for " + day, text);
    }

    // ---- delivery -----------------------------------------------------------------------------

    /** Sends a test message on a channel ({@code channelId} null: email) now, and returns its delivery row. */
    public Delivery test(long userId, Long channelId) {
        String dedup = "test:" + clock.millis() + ":" + random.nextInt(1_000_000);
        String text = "This is a test from TradeFlow: this channel receives your notifications.";
        long id = dao.enqueue(userId, "test", channelId == null ? EMAIL : WEBHOOK, channelId, dedup, "Test notification", text,
                clock.instant()).orElseThrow();
        // One attempt, now: the user is waiting for the answer.
        deliver(dao.delivery(id).orElseThrow(), 1);
        return dao.delivery(id).orElseThrow();
    }

    public List<Delivery> log(long userId, String status, int limit, int offset) {
        return dao.log(userId, status, limit, offset);
    }

    public long logCount(long userId, String status) {
        return dao.logCount(userId, status);
    }

    /** Delivers what is due; returns how many were tried. */
    int deliverDue(int limit) {
        List<Delivery> due = dao.due(clock.instant(), limit);
        for (Delivery d : due) {
            deliver(d, config.maxAttempts());
        }
        return due.size();
    }

    private void deliver(Delivery d, int maxAttempts) {
        try {
            if (d.channel().equals(EMAIL)) {
                UserRow user = users.findById(d.userId()).orElseThrow();
                mail.send(user.email(), "TradeFlow: " + d.title(), d.body() + "\n\nChange what you receive in the dashboard:"
                        + " Profile > Notifications.\n");
            } else {
                sendWebhook(d);
            }
            dao.markSent(d.id(), clock.instant());
        } catch (MessagingException | IOException | RuntimeException e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            error = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
            int attempt = d.attempts() + 1;
            dao.markFailed(d.id(), error, attempt >= maxAttempts ? null : clock.instant().plus(backoff(config.retryBase(), attempt)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The wait after failed attempt {@code attempt} (1 = the first): base, 2 × base, 4 × base, ..., at most an hour. */
    public static Duration backoff(Duration base, int attempt) {
        Duration wait = base.multipliedBy(1L << Math.min(20, attempt - 1));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private void sendWebhook(Delivery d) throws IOException, InterruptedException {
        Channel channel = dao.channel(d.userId(), d.channelId()).orElseThrow(() -> new IllegalStateException("channel deleted"));
        if (!channel.enabled()) {
            throw new IllegalStateException("channel disabled");
        }
        URI uri = URI.create(channel.url());
        if (!config.allowPrivateUrls()) {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (isPrivate(address)) {
                    throw new IllegalStateException("the URL resolves to a private address; refused");
                }
            }
        }
        Map<String, Object> payload = WebhookPayload.of(d, uri);
        String body;
        try {
            body = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String secret = new String(cipher.decrypt(channel.secret(), d.userId()), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(WEBHOOK_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "TradeFlow-Notifications/1")
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new IllegalStateException("the webhook answered HTTP " + response.statusCode());
        }
    }

    private static boolean isPrivate(InetAddress a) {
        return a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress() || a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc;
    }
}
