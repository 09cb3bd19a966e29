package io.tradeflow.service.notify;

import org.agrona.collections.LongHashSet;

import java.util.Collection;

/**
 * The users a fill notification could reach: fills are the one notifiable event that comes with almost
 * every alert, and most users never route them anywhere (email is off for fills by default, and a webhook
 * needs a channel). The ring thread asks {@link #contains} before it copies a fill into a note, so a fill
 * nobody would receive costs no allocation, no hand-off and no wake-up of the dispatcher thread, and
 * no database reads there.
 *
 * <p>A superset is harmless (the dispatcher still applies every rule: preferences, a verified address,
 * enabled channels); a user missing would lose notifications, so every change that can add a recipient
 * (preferences, channels) refreshes the user. Copy-on-write: the ring reads an immutable set without a
 * lock; the rare writers replace it.
 */
public final class FillRecipients {
    private volatile LongHashSet users = new LongHashSet();

    /** On the ring thread: allocation-free. */
    public boolean contains(long userId) {
        return users.contains(userId);
    }

    /** Replaces the whole set (start-up). */
    public synchronized void replaceAll(Collection<Long> userIds) {
        LongHashSet fresh = new LongHashSet();
        userIds.forEach(fresh::add);
        users = fresh;
    }

    /** Adds or removes one user after their preferences or channels changed. */
    public synchronized void set(long userId, boolean receives) {
        if (users.contains(userId) == receives) {
            return;
        }
        LongHashSet fresh = new LongHashSet();
        fresh.addAll(users);
        if (receives) {
            fresh.add(userId);
        } else {
            fresh.remove(userId);
        }
        users = fresh;
    }
}
