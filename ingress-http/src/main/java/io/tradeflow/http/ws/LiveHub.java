package io.tradeflow.http.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import io.tradeflow.core.event.RingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams and their clients. Every method runs on one Netty event loop ({@link #loop()}: the live
 * loop, which also owns every client's connection, so a write to a client is a direct call), so
 * nothing here is shared between threads: the ring thread only reaches it through {@link LiveFeed}'s
 * hand-off. An event updates its account's stream and its user's stream, each with its own
 * sequence. Streams exist while they have clients, and for {@code retention} after the last one
 * left so a reconnecting client can resume.
 */
final class LiveHub {
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    private final LiveSettings settings;
    private final LiveMessages messages;
    /** Changes at each start: a {@code since} from another run is not this run's sequence. */
    final String epoch = Long.toString(System.currentTimeMillis(), 36)
            + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    private final Map<Long, LiveStream> accountStreams = new HashMap<>();
    private final Map<Long, LiveStream> userStreams = new HashMap<>();
    /**
     * The keys of the two maps, for the ring thread ({@link #watches}): written on the live loop only, replaced
     * whole (copy-on-write) when a stream is created or expires, so the ring reads them without a lock.
     */
    private volatile org.agrona.collections.LongHashSet watchedAccounts = new org.agrona.collections.LongHashSet();
    private volatile org.agrona.collections.LongHashSet watchedUsers = new org.agrona.collections.LongHashSet();
    private EventLoop loop;

    LiveHub(LiveSettings settings, double startingBalance) {
        this.settings = settings;
        this.messages = new LiveMessages(startingBalance);
    }

    void start(EventLoop eventLoop) {
        this.loop = eventLoop;
        long every = Math.max(1, settings.retention().toSeconds() / 2);
        eventLoop.scheduleAtFixedRate(this::expire, every, every, TimeUnit.SECONDS);
    }

    EventLoop loop() {
        return loop;
    }

    /** One decided event (the slot is reused once this returns: nothing of it is kept). */
    void publish(RingEvent e) {
        if (LiveFeed.suspension(e)) {
            closeUser(e.userId, "this user is suspended; contact support");
            return;
        }
        LiveStream account = accountStreams.get(e.accountId);
        LiveStream user = e.userId == 0 ? null : userStreams.get(e.userId);
        if (account == null && user == null) {
            return;
        }
        List<ObjectNode> out = messages.of(e);
        for (ObjectNode m : out) {
            send(account, user, m);
        }
    }

    /**
     * The extension point for messages that do not come from one decided event's fields, such as
     * copy trading's {@code protection_event}: {@code data} goes to the account's and the user's
     * streams as a message of {@code type}. Call it on {@link #loop()}.
     */
    void publishExtra(String type, long accountId, long userId, ObjectNode data) {
        LiveStream account = accountStreams.get(accountId);
        LiveStream user = userId == 0 ? null : userStreams.get(userId);
        if (account == null && user == null) {
            return;
        }
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("type", type);
        m.put("account_id", accountId);
        m.put("at", java.time.Instant.now().toString());
        m.set("data", data);
        send(account, user, m);
    }

    private static void send(LiveStream account, LiveStream user, ObjectNode m) {
        if (account != null) {
            account.send(m);
        }
        if (user != null) {
            user.send(m);
        }
    }

    /** The hand-off dropped updates: nobody can resume across the gap. */
    void lost(long count) {
        LOG.warn("live stream: {} updates dropped (hand-off full); every client is told to reload", count);
        ObjectNode reload = JsonNodeFactory.instance.objectNode()
                .put("type", "reload")
                .put("reason", "updates were lost (the server fell behind); reload and continue");
        accountStreams.values().forEach(s -> s.lost(reload));
        userStreams.values().forEach(s -> s.lost(reload));
    }

    /** Closes every client (server stop). */
    void closeAll(int code, String reason) {
        for (Map<Long, LiveStream> streams : List.of(accountStreams, userStreams)) {
            for (LiveStream s : streams.values()) {
                s.closeAll(code, reason);
            }
        }
    }

    /** Closes (4401) every client signed in as the user, on any stream (an admin's too, on their own account). */
    void closeUser(long userId, String reason) {
        closeWhere(c -> c.userId == userId, reason);
    }

    /** Closes (4401) the clients whose session is one of {@code ended}. */
    void closeSessions(Set<LiveAuth.Session> ended, String reason) {
        if (!ended.isEmpty()) {
            closeWhere(c -> ended.contains(c.session), reason);
        }
    }

    private void closeWhere(java.util.function.Predicate<LiveClient> which, String reason) {
        List<LiveClient> closing = new ArrayList<>();
        for (Map<Long, LiveStream> streams : List.of(accountStreams, userStreams)) {
            for (LiveStream s : streams.values()) {
                s.forEachClient(c -> {
                    if (which.test(c)) {
                        closing.add(c);
                    }
                });
            }
        }
        closing.forEach(c -> c.close(CloseCodes.UNAUTHORIZED, reason));
    }

    /** The sessions of the clients connected now, each once. */
    Set<LiveAuth.Session> sessions() {
        Set<LiveAuth.Session> sessions = new HashSet<>();
        for (Map<Long, LiveStream> streams : List.of(accountStreams, userStreams)) {
            for (LiveStream s : streams.values()) {
                s.forEachClient(c -> sessions.add(c.session));
            }
        }
        return sessions;
    }

    /** The account's stream ({@code accountId} > 0) or the user's, created when missing. */
    LiveStream stream(long accountId, long userId) {
        // The watched sets are copied only when a stream is created: another client of a stream changes nothing.
        if (accountId > 0) {
            LiveStream s = accountStreams.get(accountId);
            if (s == null) {
                s = new LiveStream("account:" + accountId, settings.replayWindow(), System.currentTimeMillis());
                accountStreams.put(accountId, s);
                watchedAccounts = keys(accountStreams);
            }
            return s;
        }
        LiveStream s = userStreams.get(userId);
        if (s == null) {
            s = new LiveStream("user:" + userId, settings.replayWindow(), System.currentTimeMillis());
            userStreams.put(userId, s);
            watchedUsers = keys(userStreams);
        }
        return s;
    }

    /** On the ring thread: whether the account or the user has a stream (with clients, or kept for resume). */
    boolean watches(long accountId, long userId) {
        return watchedAccounts.contains(accountId) || userId != 0 && watchedUsers.contains(userId);
    }

    private static org.agrona.collections.LongHashSet keys(Map<Long, LiveStream> streams) {
        org.agrona.collections.LongHashSet keys = new org.agrona.collections.LongHashSet();
        streams.keySet().forEach(keys::add);
        return keys;
    }

    /** Each authenticated client's channel's event loop. */
    List<EventLoop> clientLoops() {
        List<EventLoop> loops = new ArrayList<>();
        for (Map<Long, LiveStream> streams : List.of(accountStreams, userStreams)) {
            for (LiveStream s : streams.values()) {
                s.forEachClient(c -> loops.add(c.channel.eventLoop()));
            }
        }
        return loops;
    }

    int clients() {
        int n = 0;
        for (LiveStream s : accountStreams.values()) {
            n += s.clientCount();
        }
        for (LiveStream s : userStreams.values()) {
            n += s.clientCount();
        }
        return n;
    }

    private void expire() {
        long cutoff = System.currentTimeMillis() - settings.retention().toMillis();
        expire(accountStreams, cutoff);
        expire(userStreams, cutoff);
        watchedAccounts = keys(accountStreams);
        watchedUsers = keys(userStreams);
    }

    private static void expire(Map<Long, LiveStream> streams, long cutoff) {
        for (Iterator<LiveStream> it = streams.values().iterator(); it.hasNext(); ) {
            LiveStream s = it.next();
            if (s.clientCount() == 0 && s.emptySince != 0 && s.emptySince < cutoff) {
                it.remove();
            }
        }
    }
}
