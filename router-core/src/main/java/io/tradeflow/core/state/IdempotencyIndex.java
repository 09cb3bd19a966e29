package io.tradeflow.core.state;

import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The first answer given to each idempotency key, per account, for the account's idempotency
 * window. A repeat of the key is answered from here and places nothing; a repeat with another body
 * is a conflict. Rebuilt on restart by replaying the journal, which records every key and answer.
 * Records are recycled once expired, so steady traffic does not allocate.
 */
public final class IdempotencyIndex {
    /**
     * One remembered answer: the fields the webhook reply is made of. Its client id and symbol are kept in a
     * slab of bytes the index shares among answers ({@link #newAnswer}), not in two fields and arrays of their
     * own: a checkpoint restores a million answers at once, and five objects each (to allocate, and for the
     * collector to copy) cost more than decoding them.
     */
    public static final class Answer {
        private static final int SYMBOL_AT = RingEvent.CLIENT_ID_CAPACITY;
        static final int TEXT_BYTES = RingEvent.CLIENT_ID_CAPACITY + RingEvent.SYMBOL_CAPACITY;

        long accountId;
        long bodyHash;
        long expiresAtMillis;
        long journalIndex;
        Outcome outcome;
        String reason;
        String field;
        long orderId;
        double fillPrice;
        double filledQuantity;
        double positionQuantity;
        double positionStopLoss;
        double positionTakeProfit;
        /** Signed lots of the pending order the first answer placed (the repeat answers "pending" again). */
        double pendingQuantity;
        /** The client id at {@code at}, then the symbol at {@code at + SYMBOL_AT}; this answer's alone. */
        final byte[] text;
        final int at;
        int clientIdLength;
        int symbolLength;

        Answer(byte[] text, int at) {
            this.text = text;
            this.at = at;
        }

        public long bodyHash() {
            return bodyHash;
        }

        public long journalIndex() {
            return journalIndex;
        }

        /** Every field, as text with exact doubles, for state digests. */
        String canonical() {
            return accountId + "/" + ascii(at, clientIdLength) + " body " + Long.toHexString(bodyHash) + " until "
                    + expiresAtMillis + " index " + journalIndex + " " + outcome + " " + reason + " " + field + " order "
                    + orderId + " " + bits(fillPrice) + " " + bits(filledQuantity) + " " + bits(positionQuantity) + " "
                    + bits(positionStopLoss) + " " + bits(positionTakeProfit) + " " + bits(pendingQuantity) + " "
                    + ascii(at + SYMBOL_AT, symbolLength);
        }

        private String ascii(int from, int length) {
            return new String(text, from, length, StandardCharsets.US_ASCII);
        }

        private static String bits(double value) {
            return Long.toHexString(Double.doubleToLongBits(value == 0.0 ? 0.0 : value));
        }

        /** Writes the remembered decision into a repeat's event. */
        public void answer(RingEvent e) {
            e.outcome = outcome;
            e.reason = reason;
            e.field = field;
            e.orderId = orderId;
            e.fillPrice = fillPrice;
            e.filledQuantity = filledQuantity;
            e.positionQuantity = positionQuantity;
            e.positionStopLoss = positionStopLoss;
            e.positionTakeProfit = positionTakeProfit;
            e.pendingQuantity = pendingQuantity;
            e.symbol.set(text, at + SYMBOL_AT, symbolLength);
            e.repeatOfIndex = journalIndex;
        }

        void clientId(AsciiField value) {
            System.arraycopy(value.array(), 0, text, at, value.length());
            clientIdLength = value.length();
        }

        void symbol(AsciiField value) {
            System.arraycopy(value.array(), 0, text, at + SYMBOL_AT, value.length());
            symbolLength = value.length();
        }

        boolean clientIdEquals(AsciiField value) {
            return Arrays.equals(text, at, at + clientIdLength, value.array(), 0, value.length());
        }

        /** Where the client id's bytes go (at most {@link RingEvent#CLIENT_ID_CAPACITY}); then {@link #clientIdLength}. */
        int clientIdAt() {
            return at;
        }

        /** Where the symbol's bytes go (at most {@link RingEvent#SYMBOL_CAPACITY}); then {@link #symbolLength}. */
        int symbolAt() {
            return at + SYMBOL_AT;
        }

        long key() {
            return IdempotencyIndex.key(accountId, text, at, clientIdLength);
        }
    }

    /** Table slots restored together (see {@link #restore}): their keys and values stay in the CPU's caches. */
    private static final int SLOTS_PER_STRETCH = 2048;
    /** Answers' texts per slab: 384 KiB, under the size G1 allocates apart (half a region of at least 1 MiB). */
    private static final int ANSWERS_PER_SLAB = 4096;

    // Not final: restore replaces both with larger ones before a checkpoint's answers go in.
    private Long2ObjectHashMap<Answer> byKey = new Long2ObjectHashMap<>();
    private ArrayDeque<Answer> byAge = new ArrayDeque<>();
    /** The newest time {@link #remember} was called with. */
    private long latestMillis = Long.MIN_VALUE;
    /** Where new answers' texts go, from {@link #slabUsed} on (an answer keeps its place when recycled). */
    private byte[] slab = new byte[0];
    private int slabUsed;

    /** The live answer for the event's account and key, or null. */
    public Answer find(long accountId, AsciiField clientId, long nowMillis) {
        Answer a = byKey.get(key(accountId, clientId.array(), 0, clientId.length()));
        if (a == null || a.accountId != accountId || a.expiresAtMillis <= nowMillis || !a.clientIdEquals(clientId)) {
            return null;
        }
        return a;
    }

    /** Remembers a decided event's answer under its key until {@code now + window}. */
    public void remember(RingEvent e, long windowMillis) {
        long now = e.receivedAtMillis;
        if (now + windowMillis <= latestMillis) {
            // Already expired for the newest event this index has seen: it can never be found again.
            // Live, times only grow; this is a journal replayed onto a state that already holds it,
            // which must leave the index as it was (replaying twice is harmless).
            return;
        }
        latestMillis = Math.max(latestMillis, now);
        Answer a = byAge.peekFirst();
        if (a != null && a.expiresAtMillis <= now) {
            byAge.pollFirst();
            long oldKey = a.key();
            if (byKey.get(oldKey) == a) {
                byKey.remove(oldKey);
            }
        } else {
            a = newAnswer();
        }
        a.accountId = e.accountId;
        a.clientId(e.clientId);
        a.bodyHash = e.bodyHash;
        a.expiresAtMillis = now + windowMillis;
        a.journalIndex = e.journalIndex;
        a.outcome = e.outcome;
        a.reason = e.reason;
        a.field = e.field;
        a.orderId = e.orderId;
        a.fillPrice = e.fillPrice;
        a.filledQuantity = e.filledQuantity;
        a.positionQuantity = e.positionQuantity;
        a.positionStopLoss = e.positionStopLoss;
        a.positionTakeProfit = e.positionTakeProfit;
        a.pendingQuantity = e.pendingQuantity;
        a.symbol(e.symbol);
        byKey.put(a.key(), a);
        byAge.addLast(a);
    }

    public int size() {
        return byKey.size();
    }

    /** The newest time remembered (replay uses it to skip records it already holds). */
    long latestMillis() {
        return latestMillis;
    }

    /**
     * The answers a later alert can still get, oldest first (the order they expire in): what a
     * checkpoint keeps. Superseded and expired records, still held until recycled, are left out.
     */
    void forEachLive(java.util.function.Consumer<Answer> action) {
        for (Answer a : byAge) {
            if (a.expiresAtMillis > latestMillis && byKey.get(a.key()) == a) {
                action.accept(a);
            }
        }
    }

    /** A new answer, its text in the current slab (a new slab when that is full). */
    Answer newAnswer() {
        if (slabUsed == slab.length) {
            slab = new byte[Answer.TEXT_BYTES * ANSWERS_PER_SLAB];
            slabUsed = 0;
        }
        Answer a = new Answer(slab, slabUsed);
        slabUsed += Answer.TEXT_BYTES;
        return a;
    }

    /**
     * Adds the {@code count} first of {@code answers}, read from a checkpoint (given oldest first), then
     * {@link #restoreLatest}. A checkpoint holds each live key once; were a key there twice, the later answer
     * would be kept, as when they were remembered.
     *
     * <p>The map is sized for them once, not rehashed step by step as they arrive; and they go into it in the
     * order of their slots, not their age: a million keys put in age order land all over a table of tens of
     * megabytes, a cache (and TLB) miss each, which took longer than reading them. Slot order depends on how
     * agrona hashes ({@link Hashing#hash(long, int)}, linear probing); were that to change, the answers would
     * still go in right, only more slowly.
     */
    void restore(Answer[] answers, int count) {
        reserve(count);
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            Answer a = answers[i];
            keys[i] = a.key();
            byAge.addLast(a);
        }
        for (int i : slotOrder(keys, count, byKey.capacity())) {
            byKey.put(keys[i], answers[i]);
        }
    }

    private void reserve(int more) {
        int needed = byKey.size() + more;
        if (needed > byKey.resizeThreshold()) {
            float loadFactor = byKey.loadFactor();
            int capacity = (int) Math.min(1 << 30, (long) Math.ceil(needed / (double) loadFactor) + 1);
            Long2ObjectHashMap<Answer> larger = new Long2ObjectHashMap<>(capacity, loadFactor);
            larger.putAll(byKey);
            byKey = larger;
        }
        ArrayDeque<Answer> longer = new ArrayDeque<>(byAge.size() + more);
        longer.addAll(byAge);
        byAge = longer;
    }

    /**
     * The indexes of {@code keys}, grouped by the stretch of {@link #SLOTS_PER_STRETCH} slots of a table of
     * {@code capacity} each hashes to (a counting sort: stable, so equal keys keep their order). Puts in this order
     * touch one small stretch of the table at a time.
     */
    private static int[] slotOrder(long[] keys, int count, int capacity) {
        int shift = Math.min(Integer.numberOfTrailingZeros(SLOTS_PER_STRETCH), Integer.numberOfTrailingZeros(capacity));
        int[] starts = new int[(capacity >>> shift) + 1];
        for (int i = 0; i < count; i++) {
            starts[(Hashing.hash(keys[i], capacity - 1) >>> shift) + 1]++;
        }
        for (int b = 1; b < starts.length; b++) {
            starts[b] += starts[b - 1];
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[starts[Hashing.hash(keys[i], capacity - 1) >>> shift]++] = i;
        }
        return order;
    }

    void restoreLatest(long millis) {
        latestMillis = Math.max(latestMillis, millis);
    }

    /**
     * Each answer a later alert can still get, as canonical text (see {@link RouterStateDigest#ofAll}),
     * in no particular order. Answers already expired at the newest remembered time are left out:
     * {@link #find} never returns them to a later alert, and how many of them are still held
     * depends only on how lazily they were recycled.
     */
    void forEachCanonical(java.util.function.Consumer<String> action) {
        byKey.values().forEach(a -> {
            if (a.expiresAtMillis > latestMillis) {
                action.accept(a.canonical());
            }
        });
    }

    /** Whether an answer is worth repeating: final business decisions, not transient or malformed ones. */
    public static boolean remembers(Outcome outcome) {
        switch (outcome) {
            case ACCEPTED:
            case ACCOUNT_DISABLED:
            case TRIAL_LIMIT:
            case TRIAL_EXPIRED:
            case RISK_REJECTED:
            case DUPLICATE:
            case STALE_SIGNAL:
                return true;
            default:
                return false;
        }
    }

    private static long key(long accountId, byte[] clientId, int from, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < from + length; i++) {
            h ^= clientId[i] & 0xFF;
            h *= 0x100000001b3L;
        }
        return h * 31 + accountId;
    }
}
