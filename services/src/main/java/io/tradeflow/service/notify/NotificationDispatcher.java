package io.tradeflow.service.notify;

import io.tradeflow.persistence.dao.NotificationDao;
import io.tradeflow.persistence.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The background thread {@code tradeflow-notify}: turns the notes of the {@link DecisionNotifier} into
 * outbox rows (one per channel the user's preferences enable) and delivers what is due, retrying
 * failures with exponential back-off. It is the only thread that waits for SMTP and webhook receivers.
 */
public final class NotificationDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
    private static final long IDLE_POLL_MILLIS = 500;
    private static final int BATCH = 50;

    private final DecisionNotifier notes;
    private final NotificationService notifications;
    private final NotificationDao dao;
    private final Thread thread;
    private volatile boolean running = true;
    private java.time.LocalDate summarizedFor;

    public NotificationDispatcher(DecisionNotifier notes, NotificationService notifications, Database database) {
        this.notes = notes;
        this.notifications = notifications;
        this.dao = new NotificationDao(database.jdbi());
        this.thread = new Thread(this::run, "tradeflow-notify");
        this.thread.setDaemon(true);
        notifications.onQueued(this::wake);
    }

    public void start() {
        thread.start();
    }

    /** Rows were queued from another thread (a test send, billing): deliver now rather than at the next poll. */
    private void wake() {
        if (Thread.currentThread() != thread) {
            notes.wakeUp();
        }
    }

    private void run() {
        List<DecisionNotifier.Note> batch = new ArrayList<>();
        while (running) {
            try {
                DecisionNotifier.Note first = notes.queue().poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    notes.queue().drainTo(batch, BATCH - 1);
                    for (DecisionNotifier.Note note : batch) {
                        queue(note);
                    }
                    batch.clear();
                }
                dailySummaries();
                while (running && notifications.deliverDue(BATCH) == BATCH) {
                    // More are due: go on.
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database may be down: the outbox waits, nothing is lost but the notes in hand.
                LOG.warn("notification dispatch failed: {}", e.toString());
                batch.clear();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    /**
     * Once per UTC day (after 00:05): yesterday's fills and realised P&L for every user who asked for the
     * summary. The dedup key is the day, so a restart does not send it twice.
     */
    private void dailySummaries() {
        java.time.Instant now = java.time.Instant.now();
        java.time.LocalDate today = now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        if (today.equals(summarizedFor) || now.isBefore(today.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(300))) {
            return;
        }
        java.time.LocalDate day = today.minusDays(1);
        java.time.Instant from = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        for (long userId : dao.dailySummaryUsers()) {
            NotificationDao.DayTotals t = dao.dayTotals(userId, from, from.plus(java.time.Duration.ofDays(1)));
            notifications.dailySummary(userId, day.toString(), "On " + day + " (UTC): " + t.fills() + " fill"
                    + (t.fills() == 1 ? "" : "s") + ", realised P&L " + String.format(Locale.ROOT, "%.2f", t.realizedPnl()) + ".");
        }
        summarizedFor = today;
    }

    private void queue(DecisionNotifier.Note n) {
        if (n.event() == null) {
            return;
        }
        long userId = n.userId() != 0 ? n.userId() : dao.accountOwner(n.accountId()).orElse(0L);
        if (userId == 0) {
            return;
        }
        String account = n.accountId() == 0 ? ""
                : "account " + dao.accountLabel(n.accountId()).orElse("") + " (#" + n.accountId() + ")";
        switch (n.event()) {
            case FILL -> notifications.notify(userId, n.event(), n.dedupKey(),
                    "Filled: " + side(n) + " " + num(n.quantity()) + " " + n.symbol(),
                    "Filled " + side(n) + " " + num(n.quantity()) + " " + n.symbol() + " at " + num(n.price()) + " on " + account + ".");
            case REFUSAL -> notifications.notify(userId, n.event(), n.dedupKey(), "Refused: " + n.outcome() + " on " + n.symbol(),
                    "An alert for " + (n.side() == null ? "" : side(n) + " ") + n.symbol() + " on " + account + " was refused: "
                            + n.outcome() + (n.reason() == null ? "" : " (" + n.reason() + ")") + ".");
            case BROKER_DISCONNECTED -> notifications.notify(userId, n.event(), n.dedupKey(), "Broker disconnected: " + account,
                    "The " + n.side() + " connection of " + account + " is down: " + n.reason()
                            + ". Alerts for it are refused until it is back.");
            case CIRCUIT_OPEN -> notifications.notify(userId, n.event(), n.dedupKey(), "Broker failing: " + account,
                    "The " + n.side() + " broker of " + account + " failed repeatedly (" + n.reason()
                            + "); orders are refused at once for a while, then tried again.");
            case EMERGENCY_STOP -> notifications.notify(userId, n.event(), n.dedupKey(), "Emergency stop",
                    "The emergency stop of your TradeFlow account was used: new entries are refused on every account and open"
                            + " positions are being closed.");
            default -> {
            }
        }
    }

    private static String side(DecisionNotifier.Note n) {
        return n.side() == null ? "" : n.side().toLowerCase(Locale.ROOT);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
