package io.tradeflow.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import org.junit.jupiter.api.Test;

/**
 * Answers keep their client id and symbol in slabs the index shares: over several slabs, and when an expired
 * answer is recycled for a key of another length, each answer reads back its own text and nothing of another's.
 */
final class IdempotencyIndexTest {
    private static final long T0 = 1_795_000_000_000L;
    private static final long WINDOW = 60_000;
    /** More than one slab's worth (4,096 answers each). */
    private static final int ANSWERS = 10_000;

    private final IdempotencyIndex index = new IdempotencyIndex();
    private final RingEvent e = new RingEvent();

    private static String clientId(int i) {
        return i % 2 == 0 ? String.format("%064d", i) : "k" + i;
    }

    private static String symbol(int i) {
        return i % 3 == 0 ? String.format("S%031d", i) : "EURUSD";
    }

    private void remember(long accountId, String clientId, String symbol, long at, long orderId) {
        e.reset();
        e.accountId = accountId;
        e.clientId.set(clientId);
        e.symbol.set(symbol);
        e.receivedAtMillis = at;
        e.journalIndex = orderId * 10;
        e.outcome = Outcome.ACCEPTED;
        e.reason = "order submitted";
        e.orderId = orderId;
        index.remember(e, WINDOW);
    }

    private RingEvent repeat(long accountId, String clientId, long at) {
        AsciiField key = new AsciiField(RingEvent.CLIENT_ID_CAPACITY);
        key.set(clientId);
        IdempotencyIndex.Answer answer = index.find(accountId, key, at);
        if (answer == null) {
            return null;
        }
        RingEvent out = new RingEvent();
        answer.answer(out);
        return out;
    }

    @Test
    void shouldGiveEachAnswerItsOwnClientIdAndSymbolAcrossSlabs() {
        for (int i = 0; i < ANSWERS; i++) {
            remember(1 + i % 5, clientId(i), symbol(i), T0 + i, i + 1);
        }

        for (int i = 0; i < ANSWERS; i++) {
            RingEvent found = repeat(1 + i % 5, clientId(i), T0 + ANSWERS);
            assertThat(found).as("answer %d", i).isNotNull();
            assertThat(found.orderId).isEqualTo(i + 1);
            assertThat(found.symbol.toString()).isEqualTo(symbol(i));
        }
        assertThat(repeat(2, clientId(0), T0 + ANSWERS)).as("another account's key").isNull();
        assertThat(repeat(1, clientId(0).substring(1), T0 + ANSWERS)).as("a shorter key").isNull();
    }

    @Test
    void shouldRecycleExpiredAnswersForKeysOfOtherLengths() {
        for (int i = 0; i < ANSWERS; i++) {
            remember(1, clientId(i), symbol(i), T0 + i, i + 1);
        }
        long later = T0 + ANSWERS + WINDOW;
        // Each of these recycles one expired answer: a long key's place now holds a short one and the reverse.
        for (int i = 0; i < ANSWERS; i++) {
            remember(1, clientId(i + 1), symbol(i + 1), later + i, 100_000 + i);
        }

        assertThat(index.size()).isEqualTo(ANSWERS);
        for (int i = 0; i < ANSWERS; i++) {
            RingEvent found = repeat(1, clientId(i + 1), later + ANSWERS);
            assertThat(found).as("answer %d", i).isNotNull();
            assertThat(found.orderId).isEqualTo(100_000 + i);
            assertThat(found.symbol.toString()).isEqualTo(symbol(i + 1));
        }
        assertThat(repeat(1, clientId(0), later + ANSWERS)).as("expired, and its place reused").isNull();
    }
}
