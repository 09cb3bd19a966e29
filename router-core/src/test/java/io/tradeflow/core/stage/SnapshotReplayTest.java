package io.tradeflow.core.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.JournalSync;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.RouterStateDigest;
import io.tradeflow.core.state.RouterStateSnapshot;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import io.tradeflow.core.event.BrokerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots bound replay: for generated event streams, the state written at a random point,
 * read back and brought forward by replaying the journal after the snapshot's index has the same
 * state digest as the live run; replaying the same journal again changes nothing; and the
 * restored state decides the next alerts exactly as the live one.
 */
final class SnapshotReplayTest {
    private static final RiskLimits TIGHT = new RiskLimits(3, 100, 2, "", ZoneId.of("Europe/London"), List.of("EURUSD", "XAUUSD"),
            8, Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private static RoutingPipeline pipelineOver(RouterState state) {
        return new RoutingPipeline(state, ReplayDeterminismTest.TRIAL,
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
    }

    /** The shared generated stream, with per-account risk limits changed along the way. */
    private static List<RingEvent> streamWithRiskChanges(long seed) {
        List<RingEvent> events = ReplayDeterminismTest.stream(seed);
        Random random = new Random(seed);
        for (int n = 0; n < 6; n++) {
            int at = 12 + random.nextInt(events.size() - 12);
            RingEvent before = events.get(at - 1);
            RingEvent limits = Events.control(new RingEvent(), before.receivedAtMillis, ControlType.RISK_LIMITS,
                    n % 2 == 0 ? 11 : 21, n % 2 == 0 ? 1 : 2);
            limits.controlRiskLimits = TIGHT;
            events.add(at, limits);
        }
        return events;
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 20261123L, 77L})
    void shouldReachTheLiveStateDigestFromASnapshotPlusTheJournalAfterIt(long seed) throws IOException {
        List<RingEvent> events = streamWithRiskChanges(seed);
        int snapshotAt = 20 + new Random(seed * 31).nextInt(events.size() - 40);
        Path snapshots = dir.resolve("snapshots");
        RoutingPipeline live = ReplayDeterminismTest.newPipeline();
        String digestAtSnapshot = null;
        try (ChronicleJournal journal = new ChronicleJournal(dir.resolve("journal"), JournalSync.NONE)) {
            for (int i = 0; i < events.size(); i++) {
                RingEvent e = events.get(i);
                live.process(e);
                e.journalIndex = journal.append(e);
                if (i == snapshotAt) {
                    RouterStateSnapshot.write(live.state(), e.journalIndex, snapshots);
                    digestAtSnapshot = RouterStateDigest.of(live.state());
                }
            }
            String liveDigest = RouterStateDigest.of(live.state());
            assertThat(liveDigest).isNotEqualTo(digestAtSnapshot);
            assertThat(events).anyMatch(e -> e.controlType == ControlType.RISK_LIMITS && e.outcome == Outcome.ACCEPTED);

            RouterStateSnapshot.Loaded loaded = RouterStateSnapshot.readLatest(snapshots, ReplayDeterminismTest.LIMITS)
                    .orElseThrow();
            assertThat(loaded.journalIndex()).isEqualTo(events.get(snapshotAt).journalIndex);
            assertThat(RouterStateDigest.of(loaded.state())).isEqualTo(digestAtSnapshot);

            RoutingPipeline restored = pipelineOver(loaded.state());
            int replayed = replayAfter(journal, loaded.journalIndex(), restored);
            assertThat(replayed).isEqualTo(events.size() - snapshotAt - 1);
            assertThat(RouterStateDigest.of(restored.state())).isEqualTo(liveDigest);

            replayAfter(journal, loaded.journalIndex(), restored);
            assertThat(RouterStateDigest.of(restored.state())).as("replaying twice").isEqualTo(liveDigest);

            RoutingPipeline fromScratch = ReplayDeterminismTest.newPipeline();
            replayAfter(journal, 0, fromScratch);
            assertThat(RouterStateDigest.of(fromScratch.state())).as("replaying the whole journal").isEqualTo(liveDigest);

            // The restored state routes the next alerts exactly as the live one.
            long later = events.get(events.size() - 1).receivedAtMillis + Duration.ofHours(1).toMillis();
            for (String key : List.of("tf_replay_11_0", "tf_replay_21_0", "tf_replay_31_0", "tf_replay_41_0")) {
                RingEvent onLive = Events.exit(key, later += 1000, io.tradeflow.core.event.Action.CLOSE, "EURUSD", 100);
                RingEvent onRestored = Events.copyOf(onLive);
                live.process(onLive);
                restored.process(onRestored);
                assertThat(onRestored).usingRecursiveComparison().ignoringFields("symbol", "clientId", "decisionNanos")
                        .isEqualTo(onLive);
            }
            assertThat(RouterStateDigest.of(restored.state())).isEqualTo(RouterStateDigest.of(live.state()));
        }
    }

    @Test
    void shouldFallBackToThePreviousSnapshotWhenTheNewestIsCorrupt() throws IOException {
        RoutingPipeline live = ReplayDeterminismTest.newPipeline();
        List<RingEvent> events = ReplayDeterminismTest.stream(5);
        Path snapshots = dir.resolve("snapshots");
        String digestAt100 = null;
        for (int i = 0; i < 200; i++) {
            live.process(events.get(i));
            if (i == 100) {
                RouterStateSnapshot.write(live.state(), 100, snapshots);
                digestAt100 = RouterStateDigest.of(live.state());
            }
        }
        Path newest = RouterStateSnapshot.write(live.state(), 200, snapshots);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(newest, bytes);

        RouterStateSnapshot.Loaded loaded = RouterStateSnapshot.readLatest(snapshots, ReplayDeterminismTest.LIMITS).orElseThrow();

        assertThat(loaded.journalIndex()).isEqualTo(100);
        assertThat(RouterStateDigest.of(loaded.state())).isEqualTo(digestAt100);
    }

    @Test
    void shouldKeepOnlyTheNewestSnapshotsAndFindNoneInAnEmptyDirectory() throws IOException {
        Path snapshots = dir.resolve("snapshots");
        assertThat(RouterStateSnapshot.readLatest(snapshots, ReplayDeterminismTest.LIMITS)).isEmpty();
        RouterState state = ReplayDeterminismTest.newPipeline().state();
        for (long index = 1; index <= 6; index++) {
            RouterStateSnapshot.write(state, index, snapshots);
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "state-00000000000000000004.snap", "state-00000000000000000005.snap", "state-00000000000000000006.snap");
        }
        assertThat(RouterStateSnapshot.readLatest(snapshots, ReplayDeterminismTest.LIMITS).orElseThrow().journalIndex())
                .isEqualTo(6);
    }

    private static int replayAfter(ChronicleJournal journal, long index, RoutingPipeline pipeline) {
        int count = 0;
        RingEvent e = new RingEvent();
        try (JournalReader reader = journal.readerAfter(index)) {
            while (reader.next(e)) {
                pipeline.replay().apply(e);
                count++;
            }
        }
        return count;
    }
}
