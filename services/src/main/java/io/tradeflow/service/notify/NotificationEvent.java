package io.tradeflow.service.notify;

import java.util.Locale;
import java.util.Optional;

/** What a user can be notified of, with the default choice of channels for a user who never set any. */
public enum NotificationEvent {
    FILL("An order was filled", false, true),
    REFUSAL("An alert or order was refused", true, true),
    BROKER_DISCONNECTED("A broker or the MetaTrader EA disconnected", true, true),
    CIRCUIT_OPEN("A broker's circuit breaker opened", true, true),
    EMERGENCY_STOP("The emergency stop was used", true, true),
    PLAN_ENDING("The trial or plan is ending", true, false),
    PAYMENT_FAILED("A payment failed", true, false),
    DAILY_SUMMARY("Daily summary", false, false);

    private final String description;
    private final boolean emailByDefault;
    private final boolean webhookByDefault;

    NotificationEvent(String description, boolean emailByDefault, boolean webhookByDefault) {
        this.description = description;
        this.emailByDefault = emailByDefault;
        this.webhookByDefault = webhookByDefault;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    public boolean emailByDefault() {
        return emailByDefault;
    }

    public boolean webhookByDefault() {
        return webhookByDefault;
    }

    public static Optional<NotificationEvent> fromWire(String name) {
        for (NotificationEvent e : values()) {
            if (e.wireName().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
