package io.tradeflow.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.tradeflow.core.event.RingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Real records of every codec version, committed when that version was current, still decode to
 * exactly what they meant then. Reordering a code table in {@link JournalCodes}, or changing what
 * a field of an old version is read as, fails here.
 */
final class JournalSamplesTest {
    /**
     * Every committed sample file: {@code v<version>}, and {@code v<version>-<n>} for records of codes
     * appended to a table after that version's samples were committed. Newest version last.
     */
    private static final String[] SAMPLES = {"v4", "v4-1", "v4-2", "v6-copy"};

    @Test
    void shouldDecodeEveryCommittedVersionToWhatItMeantWhenWritten() throws IOException {
        for (String sample : SAMPLES) {
            List<RingEvent> decoded;
            try (InputStream bin = resource(sample + ".bin")) {
                decoded = JournalSamples.decode(bin);
            }
            String expected;
            try (InputStream txt = resource(sample + ".txt")) {
                expected = new String(txt.readAllBytes(), StandardCharsets.UTF_8);
            }

            assertThat(JournalSamples.describe(decoded, version(sample))).as("journal samples %s", sample).isEqualTo(expected);
        }
    }

    @Test
    void shouldWriteTheNewestCommittedVersionByteForByte() throws IOException {
        assertThat(version(SAMPLES[SAMPLES.length - 1]))
                .as("the codec's VERSION changed: add its sample files (JournalSamples.main) and list them in SAMPLES")
                .isEqualTo(JournalCodec.VERSION);
        for (String sample : newestVersion()) {
            byte[] committed;
            try (InputStream bin = resource(sample + ".bin")) {
                committed = bin.readAllBytes();
            }
            List<RingEvent> decoded = JournalSamples.decode(new java.io.ByteArrayInputStream(committed));

            assertThat(JournalSamples.encode(decoded))
                    .as("today's writer must write %s exactly as committed; a layout change needs a new version", sample)
                    .isEqualTo(committed);
        }
    }

    @Test
    void shouldCoverEveryCodeOfEveryJournaledEnum() throws IOException {
        Set<String> covered = new TreeSet<>();
        for (String sample : newestVersion()) {
            try (InputStream bin = resource(sample + ".bin")) {
                JournalSamples.decode(bin).forEach(e -> covered.addAll(JournalSamples.codes(e)));
            }
        }
        List<String> missing = new ArrayList<>();
        for (StableCode<?> table : JournalCodes.ALL) {
            for (int code = 0; code < table.size(); code++) {
                String name = table.name() + " " + table.fromCode(code);
                if (!covered.contains(name)) {
                    missing.add(name);
                }
            }
        }

        assertThat(missing).as("codes no committed sample of the newest version holds: run JournalSamples.main").isEmpty();
    }

    private static List<String> newestVersion() {
        int newest = version(SAMPLES[SAMPLES.length - 1]);
        return Arrays.stream(SAMPLES).filter(sample -> version(sample) == newest).toList();
    }

    private static int version(String sample) {
        int dash = sample.indexOf('-');
        return Integer.parseInt(sample.substring(1, dash < 0 ? sample.length() : dash));
    }

    @Test
    void shouldRefuseAnUnknownCodeNamingIt() {
        assertThatIllegalStateException().isThrownBy(() -> JournalCodes.OUTCOME.fromCode(JournalCodes.OUTCOME.size()))
                .withMessageContaining("unknown outcome code " + JournalCodes.OUTCOME.size());
        assertThatIllegalStateException().isThrownBy(() -> JournalCodes.SIDE.fromCode(-3))
                .withMessageContaining("unknown side code -3");
    }

    @Test
    void shouldRefuseAConstantWithoutACodeOrWithTwo() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StableCode<>("side", io.tradeflow.core.event.Side.class, List.of(io.tradeflow.core.event.Side.BUY)))
                .withMessageContaining("Side.SELL has no journal code");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StableCode<>("side", io.tradeflow.core.event.Side.class,
                        List.of(io.tradeflow.core.event.Side.BUY, io.tradeflow.core.event.Side.SELL,
                                io.tradeflow.core.event.Side.BUY)))
                .withMessageContaining("BUY is given two codes");
    }

    private static InputStream resource(String name) {
        InputStream in = JournalSamplesTest.class.getResourceAsStream("/journal-samples/" + name);
        assertThat(in).as("committed sample %s", name).isNotNull();
        return in;
    }
}
