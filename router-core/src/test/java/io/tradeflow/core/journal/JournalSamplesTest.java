package io.tradeflow.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.RingEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Real records of every codec version, committed when that version was current, still decode to
 * exactly what they meant then. Reordering a code table in {@link JournalCodes}, or changing what
 * a field of an old version is read as, fails here.
 */
final class JournalSamplesTest {
    /** Every version with committed samples; a new codec version adds its own. */
    private static final int[] VERSIONS = {4};

    @Test
    void shouldDecodeEveryCommittedVersionToWhatItMeantWhenWritten() throws IOException {
        for (int version : VERSIONS) {
            List<RingEvent> decoded;
            try (InputStream bin = resource("v" + version + ".bin")) {
                decoded = JournalSamples.decode(bin);
            }
            String expected;
            try (InputStream txt = resource("v" + version + ".txt")) {
                expected = new String(txt.readAllBytes(), StandardCharsets.UTF_8);
            }

            assertThat(JournalSamples.describe(decoded)).as("samples of journal version %d", version).isEqualTo(expected);
        }
    }

    @Test
    void shouldWriteTheNewestCommittedVersionByteForByte() throws IOException {
        assertThat(VERSIONS[VERSIONS.length - 1])
                .as("the codec's VERSION changed: add its sample files (JournalSamples.main) and list it in VERSIONS")
                .isEqualTo(JournalCodec.VERSION);
        byte[] committed;
        try (InputStream bin = resource("v" + JournalCodec.VERSION + ".bin")) {
            committed = bin.readAllBytes();
        }
        List<RingEvent> decoded = JournalSamples.decode(new java.io.ByteArrayInputStream(committed));

        assertThat(JournalSamples.encode(decoded))
                .as("today's writer must write version %d exactly as committed; a layout change needs a new version",
                        JournalCodec.VERSION)
                .isEqualTo(committed);
    }

    @Test
    void shouldCoverEveryCodeOfEveryJournaledEnum() throws IOException {
        List<RingEvent> decoded;
        try (InputStream bin = resource("v" + JournalCodec.VERSION + ".bin")) {
            decoded = JournalSamples.decode(bin);
        }
        List<String> missing = new ArrayList<>();
        covers(missing, JournalCodes.EVENT_TYPE, decoded, e -> e.type);
        covers(missing, JournalCodes.CONTROL_TYPE, decoded, e -> e.controlType);
        covers(missing, JournalCodes.BROKER, decoded, e -> e.type == EventType.CONTROL ? e.controlBroker : e.requestedBroker);
        covers(missing, JournalCodes.ACTION, decoded, e -> e.action);
        covers(missing, JournalCodes.SIDE, decoded, e -> e.side);
        covers(missing, JournalCodes.ORDER_TYPE, decoded, e -> e.orderType);
        covers(missing, JournalCodes.STOP_MODE, decoded, e -> e.stopLossMode);
        covers(missing, JournalCodes.ALERT_FORMAT, decoded, e -> e.format);
        covers(missing, JournalCodes.SIZE_MODE, decoded, e -> e.sizeMode);
        covers(missing, JournalCodes.REPORT_KIND, decoded, e -> e.reportKind);
        covers(missing, JournalCodes.OUTCOME, decoded, e -> e.outcome);

        assertThat(missing).as("codes no committed sample of the newest version holds").isEmpty();
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

    private static <E extends Enum<E>> void covers(List<String> missing, StableCode<E> codes, List<RingEvent> events,
                                                   java.util.function.Function<RingEvent, Object> field) {
        for (int code = 0; code < codes.size(); code++) {
            E constant = codes.fromCode(code);
            if (events.stream().map(field).noneMatch(v -> Objects.equals(v, constant))) {
                missing.add(codes.name() + " " + constant);
            }
        }
    }

    private static InputStream resource(String name) {
        InputStream in = JournalSamplesTest.class.getResourceAsStream("/journal-samples/" + name);
        assertThat(in).as("committed sample %s", name).isNotNull();
        return in;
    }
}
