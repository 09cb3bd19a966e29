package io.tradeflow.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Chronicle Queue journal: appends in order, reads from the start or after an index, survives a reopen. */
final class ChronicleJournalTest {
    @TempDir
    Path dir;

    private static RingEvent intent(int n) {
        RingEvent e = JournalCodecTest.fullIntent();
        e.receivedAtMillis += n;
        e.orderId = n;
        e.symbol.set("SYM" + n);
        return e;
    }

    private static RingEvent control(int n) {
        RingEvent e = JournalCodecTest.fullControl();
        e.controlType = ControlType.KEY_ADDED;
        e.receivedAtMillis += n;
        e.controlAccountId = n;
        return e;
    }

    private static List<RingEvent> readAll(JournalReader reader) {
        List<RingEvent> events = new ArrayList<>();
        RingEvent e = new RingEvent();
        while (reader.next(e)) {
            RingEvent copy = new RingEvent();
            copy.copyFrom(e);
            events.add(copy);
        }
        return events;
    }

    @ParameterizedTest
    @EnumSource(JournalSync.class)
    void shouldReadBackEveryEventInOrderWithItsIndex(JournalSync sync) {
        List<RingEvent> written = List.of(intent(1), control(2), intent(3), control(4));
        List<Long> indexes = new ArrayList<>();
        try (ChronicleJournal journal = new ChronicleJournal(dir, sync)) {
            for (RingEvent e : written) {
                indexes.add(journal.append(e));
            }
            assertThat(indexes).doesNotHaveDuplicates().isSorted();
            assertThat(journal.lastIndex()).isEqualTo(indexes.get(3));
            assertThat(journal.isDurable()).isTrue();

            List<RingEvent> read;
            try (JournalReader reader = journal.readerAfter(0)) {
                read = readAll(reader);
            }

            assertThat(read).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(read.get(i)).usingRecursiveComparison(JournalCodecTest.journaledFields())
                        .isEqualTo(written.get(i));
                assertThat(read.get(i).journalIndex).isEqualTo(indexes.get(i));
            }
            assertThat(read).extracting(e -> e.type)
                    .containsExactly(EventType.INTENT, EventType.CONTROL, EventType.INTENT, EventType.CONTROL);
        }
    }

    @Test
    void shouldStartReadingAfterTheGivenIndex() {
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            List<Long> indexes = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                indexes.add(journal.append(intent(i)));
            }

            try (JournalReader reader = journal.readerAfter(indexes.get(1))) {
                List<RingEvent> rest = readAll(reader);

                assertThat(rest).extracting(e -> e.orderId).containsExactly(3L, 4L, 5L);
                assertThat(rest).extracting(e -> e.journalIndex).containsExactlyElementsOf(indexes.subList(2, 5));
            }
            try (JournalReader reader = journal.readerAfter(indexes.get(4))) {
                assertThat(reader.next(new RingEvent())).isFalse();
            }
        }
    }

    @Test
    void shouldLetAReaderAtTheEndSeeLaterAppends() {
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            long first = journal.append(intent(1));
            try (JournalReader reader = journal.readerAfter(first)) {
                RingEvent e = new RingEvent();
                assertThat(reader.next(e)).isFalse();

                long second = journal.append(intent(2));

                assertThat(reader.next(e)).isTrue();
                assertThat(e.orderId).isEqualTo(2);
                assertThat(e.journalIndex).isEqualTo(second);
            }
        }
    }

    @Test
    void shouldReadNothingFromAnEmptyJournal() {
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE);
             JournalReader reader = journal.readerAfter(0)) {
            assertThat(journal.lastIndex()).isZero();
            assertThat(reader.next(new RingEvent())).isFalse();
        }
    }

    @Test
    void shouldRefuseToStartAfterAnIndexItDoesNotHold() {
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            long last = journal.append(intent(1));

            assertThatIllegalStateException().isThrownBy(() -> journal.readerAfter(last + 1_000))
                    .withMessageContaining("no record");
        }
    }

    @Test
    void shouldKeepRecordsWhenTheSameDirectoryIsOpenedAgain() {
        List<Long> indexes = new ArrayList<>();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            indexes.add(journal.append(intent(1)));
            indexes.add(journal.append(control(2)));
        }

        try (ChronicleJournal reopened = new ChronicleJournal(dir, JournalSync.NONE)) {
            assertThat(reopened.lastIndex()).isEqualTo(indexes.get(1));
            long third = reopened.append(intent(3));
            assertThat(third).isGreaterThan(indexes.get(1));

            try (JournalReader reader = reopened.readerAfter(0)) {
                List<RingEvent> all = readAll(reader);

                assertThat(all).hasSize(3);
                assertThat(all.get(0)).usingRecursiveComparison(JournalCodecTest.journaledFields()).isEqualTo(intent(1));
                assertThat(all.get(1)).usingRecursiveComparison(JournalCodecTest.journaledFields()).isEqualTo(control(2));
                assertThat(all.get(2).orderId).isEqualTo(3);
            }
            try (JournalReader reader = reopened.readerAfter(indexes.get(0))) {
                assertThat(readAll(reader)).extracting(e -> e.journalIndex).containsExactly(indexes.get(1), third);
            }
        }
    }

    @Test
    void shouldCountWithoutRecordingWhenDisabled() {
        try (DisabledJournal journal = new DisabledJournal()) {
            assertThat(journal.append(intent(1))).isEqualTo(1);
            assertThat(journal.append(intent(2))).isEqualTo(2);
            assertThat(journal.isDurable()).isFalse();
            try (JournalReader reader = journal.readerAfter(0)) {
                assertThat(reader.next(new RingEvent())).isFalse();
            }
        }
    }
}
