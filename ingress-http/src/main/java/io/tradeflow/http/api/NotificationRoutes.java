package io.tradeflow.http.api;

import io.tradeflow.persistence.dao.NotificationDao.Channel;
import io.tradeflow.persistence.dao.NotificationDao.Delivery;
import io.tradeflow.persistence.dao.NotificationDao.Preference;
import io.tradeflow.service.notify.NotificationEvent;
import io.tradeflow.service.notify.NotificationService;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Notification settings of the caller: preferences per event and channel, webhook channels (their
 * signing secret shown once), a test send per channel, and the delivery log. Every channel id is the
 * caller's or answers 404.
 */
public final class NotificationRoutes implements RouteSource {
    private static final int MAX_LABEL = 100;
    private static final int MAX_URL = 2000;
    private static final Set<String> EVENT_NAMES = Arrays.stream(NotificationEvent.values())
            .map(NotificationEvent::wireName).collect(Collectors.toUnmodifiableSet());

    private final NotificationService notifications;

    public NotificationRoutes(NotificationService notifications) {
        this.notifications = notifications;
    }

    @Override
    public List<Route> routes() {
        String base = DashboardApi.BASE + "/notifications";
        return List.of(
                new Route("GET", base + "/preferences", Access.USER, this::preferences),
                new Route("PUT", base + "/preferences", Access.USER, this::setPreferences),
                new Route("GET", base + "/channels", Access.USER, this::channels),
                new Route("POST", base + "/channels", Access.USER, this::addChannel),
                new Route("PATCH", base + "/channels/{id}", Access.USER, this::updateChannel),
                new Route("DELETE", base + "/channels/{id}", Access.USER, this::deleteChannel),
                new Route("POST", base + "/channels/{id}/test", Access.USER, this::testChannel),
                new Route("POST", base + "/email/test", Access.USER, this::testEmail),
                new Route("GET", base + "/deliveries", Access.USER, this::deliveries));
    }

    private ApiResponse preferences(ApiRequest request, Caller caller) {
        return ApiResponse.ok(preferencesOf(caller.userId()));
    }

    private Map<String, Object> preferencesOf(long userId) {
        List<Map<String, Object>> events = new ArrayList<>();
        notifications.preferences(userId).forEach((event, p) -> events.add(Json.obj("event", event.wireName(),
                "description", event.description(), "email", p.email(), "webhook", p.webhook())));
        return Json.obj("events", events, "mail_enabled", notifications.mailEnabled(),
                "email_verified", notifications.emailVerified(userId),
                "webhook_channels", notifications.channels(userId).size());
    }

    private ApiResponse setPreferences(ApiRequest request, Caller caller) {
        JsonBody prefs = request.body().allowOnly(Set.of("preferences")).object("preferences").allowOnly(EVENT_NAMES);
        Map<NotificationEvent, Preference> current = notifications.preferences(caller.userId());
        Map<NotificationEvent, Preference> changes = new EnumMap<>(NotificationEvent.class);
        for (NotificationEvent event : NotificationEvent.values()) {
            if (!prefs.has(event.wireName())) {
                continue;
            }
            JsonBody one = prefs.object(event.wireName()).allowOnly(Set.of("email", "webhook"));
            Boolean email = one.optionalBoolean("email");
            Boolean webhook = one.optionalBoolean("webhook");
            Preference was = current.get(event);
            changes.put(event, new Preference(email == null ? was.email() : email, webhook == null ? was.webhook() : webhook));
        }
        if (changes.isEmpty()) {
            throw ApiException.invalid("preferences", "preferences must name at least one event: " + String.join(", ",
                    EVENT_NAMES.stream().sorted().toList()));
        }
        notifications.setPreferences(caller.userId(), changes);
        return ApiResponse.ok(preferencesOf(caller.userId()));
    }

    private ApiResponse channels(ApiRequest request, Caller caller) {
        return ApiResponse.ok(Json.obj("channels", notifications.channels(caller.userId()).stream()
                .map(NotificationRoutes::channel).toList()));
    }

    private ApiResponse addChannel(ApiRequest request, Caller caller) {
        JsonBody body = request.body().allowOnly(Set.of("label", "url", "type"));
        String type = body.optionalText("type", 20);
        if (type != null && !type.equals("webhook")) {
            throw ApiException.invalid("type", "type must be webhook (email goes to the account's address)");
        }
        String url = url(body.text("url", MAX_URL));
        String label = body.optionalText("label", MAX_LABEL);
        NotificationService.NewChannel created = notifications.addWebhook(caller.userId(), label == null ? "Webhook" : label, url);
        Map<String, Object> answer = Json.obj("channel", channel(created.channel()), "secret", created.secret(),
                "signature", "X-TradeFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\" keyed with the secret>",
                "message", "copy the secret now: it is shown once and verifies the X-TradeFlow-Signature header");
        return ApiResponse.created(answer);
    }

    private ApiResponse updateChannel(ApiRequest request, Caller caller) {
        long id = request.pathId("id");
        JsonBody body = request.body().allowOnly(Set.of("label", "url", "enabled"));
        String label = body.optionalText("label", MAX_LABEL);
        String url = body.has("url") ? url(body.text("url", MAX_URL)) : null;
        Boolean enabled = body.optionalBoolean("enabled");
        if (!notifications.updateChannel(caller.userId(), id, label, url, enabled)) {
            throw ApiException.notFound("channel");
        }
        return ApiResponse.ok(Json.obj("channel", channel(owned(caller, id))));
    }

    private ApiResponse deleteChannel(ApiRequest request, Caller caller) {
        long id = request.pathId("id");
        request.body().allowOnly(Set.of());
        if (!notifications.deleteChannel(caller.userId(), id)) {
            throw ApiException.notFound("channel");
        }
        return ApiResponse.ok(Json.obj("success", true, "deleted", id));
    }

    private ApiResponse testChannel(ApiRequest request, Caller caller) {
        long id = request.pathId("id");
        request.body().allowOnly(Set.of());
        owned(caller, id);
        return ApiResponse.ok(Json.obj("delivery", delivery(notifications.test(caller.userId(), id))));
    }

    private ApiResponse testEmail(ApiRequest request, Caller caller) {
        request.body().allowOnly(Set.of());
        if (!notifications.mailEnabled()) {
            throw new ApiException(503, "MAIL_DISABLED", null, "email notifications are unavailable: this server has no mail configured");
        }
        if (!notifications.emailVerified(caller.userId())) {
            throw ApiException.conflict("EMAIL_NOT_VERIFIED", null, "confirm your email address first: notifications go only to a"
                    + " verified address");
        }
        return ApiResponse.ok(Json.obj("delivery", delivery(notifications.test(caller.userId(), null))));
    }

    private ApiResponse deliveries(ApiRequest request, Caller caller) {
        String status = request.query("status");
        if (status != null && !Set.of("pending", "sent", "failed").contains(status)) {
            throw ApiException.invalid("status", "status must be pending, sent or failed");
        }
        int limit = request.queryInt("limit", 50, 1, 500);
        int offset = request.queryInt("offset", 0, 0, Integer.MAX_VALUE);
        List<Map<String, Object>> rows = notifications.log(caller.userId(), status, limit, offset).stream()
                .map(NotificationRoutes::delivery).toList();
        return ApiResponse.ok(Json.obj("deliveries", rows, "total", notifications.logCount(caller.userId(), status),
                "limit", limit, "offset", offset));
    }

    private Channel owned(Caller caller, long id) {
        return notifications.channel(caller.userId(), id).orElseThrow(() -> ApiException.notFound("channel"));
    }

    private String url(String url) {
        String problem = notifications.urlProblem(url);
        if (problem != null) {
            throw ApiException.invalid("url", problem);
        }
        return url;
    }

    private static Map<String, Object> channel(Channel c) {
        return Json.obj("id", c.id(), "type", "webhook", "label", c.label(), "url", c.url(), "enabled", c.enabled(),
                "created_at", c.createdAt().toString());
    }

    private static Map<String, Object> delivery(Delivery d) {
        return Json.obj("id", d.id(), "event", d.event(), "channel", d.channel(), "channel_id", d.channelId(),
                "title", d.title(), "status", d.status(), "attempts", d.attempts(),
                "next_attempt_at", d.status().equals("pending") ? d.nextAttemptAt().toString() : null,
                "last_error", d.lastError(), "created_at", d.createdAt().toString(),
                "sent_at", d.sentAt() == null ? null : d.sentAt().toString());
    }
}
