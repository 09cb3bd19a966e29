package io.tradeflow.core.state;

import io.tradeflow.core.event.RingEvent;
import org.agrona.collections.Long2ObjectHashMap;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * API-key hashes (SHA-256) to account ids. Only hashes are held; the final comparison of the full
 * hash is constant-time, so timing does not reveal how much of a guessed key matched.
 */
public final class KeyIndex {
    private final Long2ObjectHashMap<Entry> byPrefix = new Long2ObjectHashMap<>();

    private static final class Entry {
        final byte[] hash;
        final long accountId;
        Entry next;

        Entry(byte[] hash, long accountId, Entry next) {
            this.hash = hash;
            this.accountId = accountId;
            this.next = next;
        }
    }

    public void add(byte[] hash, long accountId) {
        remove(hash);
        long prefix = prefix(hash);
        byPrefix.put(prefix, new Entry(Arrays.copyOf(hash, RingEvent.KEY_HASH_LENGTH), accountId, byPrefix.get(prefix)));
    }

    public void remove(byte[] hash) {
        long prefix = prefix(hash);
        Entry head = byPrefix.get(prefix);
        Entry previous = null;
        for (Entry e = head; e != null; e = e.next) {
            if (Arrays.equals(e.hash, hash)) {
                if (previous == null) {
                    if (e.next == null) {
                        byPrefix.remove(prefix);
                    } else {
                        byPrefix.put(prefix, e.next);
                    }
                } else {
                    previous.next = e.next;
                }
                return;
            }
            previous = e;
        }
    }

    /** The account the hash authenticates, or 0 when none. */
    public long accountFor(byte[] hash) {
        for (Entry e = byPrefix.get(prefix(hash)); e != null; e = e.next) {
            if (MessageDigest.isEqual(e.hash, hash)) {
                return e.accountId;
            }
        }
        return 0;
    }

    /** Receives each key hash (do not keep the array) with its account. */
    @FunctionalInterface
    interface EntryConsumer {
        void accept(byte[] hash, long accountId);
    }

    void forEach(EntryConsumer consumer) {
        for (Entry head : byPrefix.values()) {
            for (Entry e = head; e != null; e = e.next) {
                consumer.accept(e.hash, e.accountId);
            }
        }
    }

    public int size() {
        int n = 0;
        for (Entry head : byPrefix.values()) {
            for (Entry e = head; e != null; e = e.next) {
                n++;
            }
        }
        return n;
    }

    private static long prefix(byte[] hash) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (hash[i] & 0xFF);
        }
        return v;
    }
}
