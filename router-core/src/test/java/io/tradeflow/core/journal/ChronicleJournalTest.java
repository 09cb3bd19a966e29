package io.tradeflow.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
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

    /**
     * Power cut. Per-write must put each record, its index entry and the store header on the
     * device before {@code append} returns: right after every append, no page of the cycle file is
     * dirty or under write-back in the page cache. 600 appends cross several index entries (one
     * every {@code indexSpacing} records). The queue's metadata file, which lists the cycle files,
     * must be on the device once the append that created the cycle file returns (later appends
     * dirty it again only with the appender's write-lock word, which recovery does not need).
     * Runs in the module's {@code target/} (a real disk; /tmp may be tmpfs, whose pages never
     * reach a device).
     */
    @Test
    void shouldForceEveryPageOfTheJournalToDiskBeforeAPerWriteAppendReturns() throws IOException {
        Path journalDir = diskDir();
        try {
            assumeTrue(PageCache.whyUnusableIn(journalDir) == null, () -> PageCache.whyUnusableIn(journalDir));
            try (ChronicleJournal journal = new ChronicleJournal(journalDir, JournalSync.PER_WRITE)) {
                for (int i = 1; i <= 600; i++) {
                    long index = journal.append(intent(i));

                    List<Path> files = journalFiles(journalDir);
                    assertThat(files).as("one cycle file and the metadata").hasSize(2);
                    Path cycleFile = files.get(0);
                    PageCache.Stat stat = PageCache.of(cycleFile);
                    assertThat(stat.notOnDisk())
                            .as("pages of %s not on disk after append %d (index %d): %s", cycleFile.getFileName(), i, index, stat)
                            .isZero();
                    assertThat(stat.cached()).as("%s is in the page cache at all", cycleFile.getFileName()).isPositive();
                    if (i == 1) {
                        PageCache.Stat metadata = PageCache.of(files.get(1));
                        assertThat(metadata.notOnDisk()).as("metadata pages not on disk after the first append: %s", metadata)
                                .isZero();
                    }
                }
            }
            try (ChronicleJournal reopened = new ChronicleJournal(journalDir, JournalSync.NONE);
                 JournalReader reader = reopened.readerAfter(0)) {
                assertThat(readAll(reader)).extracting(e -> e.orderId).hasSize(600).startsWith(1L).endsWith(600L);
            }
        } finally {
            deleteTree(journalDir);
        }
    }

    /**
     * The control for the test above: the same check sees a record the default mode leaves to the
     * operating system as not yet on the device, so "nothing dirty" above is the sync's doing.
     */
    @Test
    void shouldLeaveAnAppendWithSyncNoneInThePageCacheForTheOperatingSystem() throws IOException {
        Path journalDir = diskDir();
        try {
            assumeTrue(PageCache.whyUnusableIn(journalDir) == null, () -> PageCache.whyUnusableIn(journalDir));
            int leftDirty = 0;
            try (ChronicleJournal journal = new ChronicleJournal(journalDir, JournalSync.NONE)) {
                for (int i = 1; i <= 20; i++) {
                    journal.append(intent(i));
                    Path cycleFile = journalFiles(journalDir).get(0);
                    if (PageCache.of(cycleFile).dirty() > 0) {
                        leftDirty++;
                    }
                }
            }
            // The kernel's own write-back may clean a page meanwhile, so not every time; but it
            // waits ~30 s for a dirty page, so not every time either.
            assertThat(leftDirty).isPositive();
        } finally {
            deleteTree(journalDir);
        }
    }

    private static Path diskDir() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        return Files.createTempDirectory(target, "journal-sync-");
    }

    /** The cycle file(s) first, then the queue's metadata file. */
    private static List<Path> journalFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(f -> f.toString().endsWith(".cq4")).sorted().forEach(files::add);
        }
        assertThat(files).as("cycle files in %s", dir).isNotEmpty();
        files.add(dir.resolve("metadata.cq4t"));
        return files;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
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
