package io.tradeflow.http.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One stream: an account's ({@code /ws/accounts/{id}}) or a user's ({@code /ws}, all their
 * accounts). It numbers its messages 1, 2, 3… ({@code seq}), keeps the last {@code window} of them
 * for clients resuming with {@code since}, and sends each to its clients. Confined to the hub's
 * event loop.
 */
final class LiveStream {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Sent(long seq, byte[] text) {
    }

    final String key;
    private final int window;
    private final ArrayDeque<Sent> recent = new ArrayDeque<>();
    private final Set<LiveClient> clients = new LinkedHashSet<>();
    private long seq;
    /** When the last client left (ms), or 0 while one is connected. */
    long emptySince;

    LiveStream(String key, int window, long now) {
        this.key = key;
        this.window = window;
        this.emptySince = now;
    }

    long seq() {
        return seq;
    }

    /** Numbers the message, keeps it for resuming clients and sends it to every client. */
    void send(ObjectNode message) {
        ObjectNode numbered = message.deepCopy();
        numbered.put("seq", ++seq);
        byte[] text = bytes(numbered);
        recent.addLast(new Sent(seq, text));
        if (recent.size() > window) {
            recent.removeFirst();
        }
        if (clients.isEmpty()) {
            return;
        }
        // Encoded once for all the clients, each writing a duplicate that shares its bytes.
        ByteBuf frame = LiveFrames.text(text);
        try {
            // A copy: a client too slow is removed while the loop runs.
            for (LiveClient c : clients.toArray(new LiveClient[0])) {
                c.send(frame.retainedDuplicate());
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Updates were lost before they were numbered (the hand-off overflowed): no client can resume
     * across them, so the window restarts with a numbered {@code reload} every client receives.
     */
    void lost(ObjectNode reload) {
        recent.clear();
        send(reload);
    }

    /**
     * Adds a client; with {@code since} >= 0 first sends it every message after {@code since}. Returns false
     * (nothing sent) when that is impossible: {@code since} is older than the window or newer than the stream.
     */
    boolean subscribe(LiveClient client, long since) {
        List<byte[]> missed = since >= 0 ? missedAfter(since) : List.of();
        if (missed == null) {
            return false;
        }
        // Added first: a client closed while the missed messages go out (too slow) leaves the stream again.
        clients.add(client);
        client.stream = this;
        emptySince = 0;
        missed.forEach(client::send);
        return true;
    }

    private List<byte[]> missedAfter(long since) {
        if (since > seq) {
            return null;
        }
        long oldest = recent.isEmpty() ? seq + 1 : recent.getFirst().seq();
        if (since + 1 < oldest) {
            return null;
        }
        List<byte[]> missed = new ArrayList<>();
        for (Sent s : recent) {
            if (s.seq() > since) {
                missed.add(s.text());
            }
        }
        return missed;
    }

    void remove(LiveClient client) {
        if (clients.remove(client) && clients.isEmpty()) {
            emptySince = Math.max(1, System.currentTimeMillis());
        }
    }

    void closeAll(int code, String reason) {
        for (LiveClient c : new ArrayList<>(clients)) {
            c.close(code, reason);
        }
    }

    void forEachClient(java.util.function.Consumer<LiveClient> action) {
        clients.forEach(action);
    }

    int clientCount() {
        return clients.size();
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
