package io.tradeflow.service.notify;

import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring-side hand-off: only notifiable events pass, and a full queue drops (and counts) instead of waiting. */
class DecisionNotifierTest {

    private static RingEvent refused(long journalIndex) {
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        e.userId = 7;
        e.accountId = 3;
        e.journalIndex = journalIndex;
        e.outcome = Outcome.RISK_REJECTED;
        e.reason = "max_quantity";
        return e;
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheRing() {
        DecisionNotifier notifier = new DecisionNotifier(2);
        for (int i = 1; i <= 5; i++) {
            notifier.onDecided(refused(i));
        }
        assertThat(notifier.queue()).hasSize(2);
        assertThat(notifier.dropped()).isEqualTo(3);
        DecisionNotifier.Note first = notifier.queue().peek();
        assertThat(first.event()).isEqualTo(NotificationEvent.REFUSAL);
        assertThat(first.dedupKey()).isEqualTo("refusal:j1");
        assertThat(first.reason()).isEqualTo("max_quantity");
    }

    @Test
    void ignoresWhatNobodyIsNotifiedOf() {
        DecisionNotifier notifier = new DecisionNotifier(10);
        RingEvent accepted = refused(1);
        accepted.outcome = Outcome.ACCEPTED;
        notifier.onDecided(accepted);
        RingEvent anonymous = refused(2);
        anonymous.userId = 0;
        notifier.onDecided(anonymous);
        RingEvent price = refused(3);
        price.type = EventType.PRICE;
        notifier.onDecided(price);
        assertThat(notifier.queue()).isEmpty();

        RingEvent filled = refused(4);
        filled.outcome = Outcome.ACCEPTED;
        filled.filledQuantity = 2;
        filled.fillPrice = 1.1;
        notifier.onDecided(filled);
        assertThat(notifier.queue().poll().event()).isEqualTo(NotificationEvent.FILL);
    }

    @Test
    void backOffDoublesUpToAnHour() {
        Duration base = Duration.ofSeconds(10);
        assertThat(NotificationService.backoff(base, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(NotificationService.backoff(base, 2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(NotificationService.backoff(base, 4)).isEqualTo(Duration.ofSeconds(80));
        assertThat(NotificationService.backoff(base, 30)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void signsTheTimestampAndTheBody() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a well-known value.
        assertThat(WebhookSignature.hmacHex("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
        assertThat(WebhookSignature.header("s", 1700000000L, "{}"))
                .isEqualTo("t=1700000000,v1=" + WebhookSignature.hmacHex("s", "1700000000.{}"));
    }

    private static RingEvent filled(long userId, long journalIndex) {
        RingEvent e = refused(journalIndex);
        e.userId = userId;
        e.outcome = Outcome.ACCEPTED;
        e.reason = null;
        e.filledQuantity = 1;
        e.fillPrice = 1.1;
        return e;
    }

    @Test
    void shouldCopyFillsOnlyOfUsersAFillCouldReach() {
        DecisionNotifier notifier = new DecisionNotifier(16);
        FillRecipients recipients = new FillRecipients();
        recipients.replaceAll(java.util.List.of(7L));
        notifier.fillsOnlyFor(recipients::contains);

        notifier.onDecided(filled(7, 1));
        notifier.onDecided(filled(8, 2));
        assertThat(notifier.queue()).extracting(DecisionNotifier.Note::userId).containsExactly(7L);

        recipients.set(8, true);
        recipients.set(7, false);
        notifier.onDecided(filled(7, 3));
        notifier.onDecided(filled(8, 4));
        assertThat(notifier.queue()).extracting(DecisionNotifier.Note::dedupKey).containsExactly("fill:j1", "fill:j4");
        // Refusals are not filtered: they are on by default and rare.
        notifier.onDecided(refused(5));
        assertThat(notifier.queue()).hasSize(3);
    }
}
