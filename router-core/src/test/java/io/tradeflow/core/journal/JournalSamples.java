package io.tradeflow.core.journal;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.ReportKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.testing.RingEventFields;
import net.openhft.chronicle.bytes.Bytes;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sample journal records, committed under {@code src/test/resources/journal-samples/} once per codec
 * version ({@code v4.bin}: the records, each prefixed with its length; {@code v4.txt}: what each
 * decodes to). They are written once, when a version is introduced, and never regenerated:
 * {@code JournalSamplesTest} decodes every committed version, so a change that alters what an
 * existing journal means fails it.
 *
 * <p>When the codec's {@code VERSION} changes, or a constant is appended to a code table, run
 * {@code main} from {@code router-core} and list the new files in {@code JournalSamplesTest}:
 * <pre>
 * ../mvnw -q -pl router-core -am test-compile \
 *     org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) --add-opens=java.base/java.lang=ALL-UNNAMED \
 *     io.tradeflow.core.journal.JournalSamples
 * </pre>
 */
public final class JournalSamples {
    /** Not journaled: where the event sits in the ring and who waits for its answer. */
    static final List<String> NOT_JOURNALED = List.of("journalIndex", "replyTo", "receivedAtNanos", "copyAccepted",
            "copyRefused", "copyRefusedByOutcome");
    /** Fields a version added, left out of the description of an older version's records (which cannot hold them). */
    static final Map<String, Integer> ADDED_IN = Map.of("copyMasterAccountId", 6, "copySubscriptionId", 6,
            "copyParentIndex", 6, "controlCopyLink", 6);

    private JournalSamples() {
    }

    /** Records covering every code of every journaled enum and every control payload. */
    static List<RingEvent> samples() {
        List<RingEvent> samples = new ArrayList<>();
        int outcomes = Outcome.values().length;
        for (int i = 0; i < outcomes; i++) {
            RingEvent e = JournalCodecTest.fullIntent();
            e.receivedAtMillis += i;
            e.action = pick(Action.values(), i);
            e.side = i % 3 == 2 ? null : pick(Side.values(), i);
            e.orderType = pick(OrderType.values(), i);
            e.stopLossMode = pick(StopMode.values(), i);
            e.takeProfitMode = pick(StopMode.values(), i + 3);
            e.format = pick(AlertFormat.values(), i);
            e.sizeMode = pick(SizeMode.values(), i);
            e.requestedBroker = i % 5 == 4 ? null : pick(BrokerKind.values(), i);
            e.outcome = Outcome.values()[i];
            if (i % 4 == 1) {
                // A follower's copy of a master's alert (version 6).
                e.copyMasterAccountId = 900 + i;
                e.copySubscriptionId = 70 + i;
                e.copyParentIndex = 5_000 + i;
            }
            samples.add(e);
        }
        for (ControlType type : ControlType.values()) {
            RingEvent e = JournalCodecTest.fullControl();
            e.controlType = type;
            e.controlBroker = pick(BrokerKind.values(), type.ordinal());
            if (type == ControlType.RISK_LIMITS) {
                e.controlRiskLimits = new RiskLimits(5, 250.5, 3, "22:00-04:00", ZoneId.of("America/New_York"),
                        List.of("EURUSD", "NQ1!"), 7, Duration.ofSeconds(30));
            } else if (type == ControlType.ALERT_SETTINGS) {
                e.controlAlertSettings = new AlertSettings(3, Duration.ofSeconds(5), Duration.ofSeconds(30),
                        Duration.ofHours(2), Map.of("NQ1!", "MNQ", "OANDA:XAUUSD", "XAUUSD"), ".m");
            } else if (type == ControlType.SOURCE_ALLOWLIST) {
                e.controlAllowedSources = List.of(CidrBlock.parse("52.89.214.238").orElseThrow(),
                        CidrBlock.parse("10.0.0.0/8").orElseThrow(), CidrBlock.parse("2001:db8::/32").orElseThrow());
            } else if (type == ControlType.CLOSE_POSITION) {
                e.symbol.set("XAUUSD");
            } else if (type == ControlType.COPY_LINK) {
                e.controlCopyLink = new CopyLink(31, 41, 51, 61, null, 1.5, true, Map.of("NQ1!", "MNQ"));
            } else if (type == ControlType.COPY_UNLINK) {
                e.controlCopyLink = new CopyLink(32, 42, 52, 62, SizeMode.RISK_PERCENT, 0.5, false, Map.of());
            }
            samples.add(e);
        }
        for (ReportKind kind : ReportKind.values()) {
            RingEvent e = JournalCodecTest.fullIntent();
            e.type = EventType.BROKER_REPORT;
            e.reportKind = kind;
            e.brokerOrderId.set("TL-" + (1000 + kind.ordinal()));
            samples.add(e);
        }
        for (EventType type : new EventType[]{EventType.TIMER, EventType.PRICE, EventType.TRIGGERED}) {
            RingEvent e = JournalCodecTest.fullIntent();
            e.type = type;
            e.source(new byte[]{127, 0, 0, 1});
            samples.add(e);
        }
        return samples;
    }

    private static <E> E pick(E[] values, int i) {
        return values[i % values.length];
    }

    static byte[] encode(List<RingEvent> events) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(512);
        try (DataOutputStream out = new DataOutputStream(file)) {
            for (RingEvent e : events) {
                bytes.clear();
                JournalCodec.write(e, bytes);
                byte[] record = bytes.toByteArray();
                out.writeInt(record.length);
                out.write(record);
            }
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        } finally {
            bytes.releaseLast();
        }
        return file.toByteArray();
    }

    static List<RingEvent> decode(InputStream file) throws IOException {
        List<RingEvent> events = new ArrayList<>();
        DataInputStream in = new DataInputStream(file);
        Bytes<?> bytes = Bytes.allocateElasticOnHeap(512);
        try {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return events;
                }
                byte[] record = in.readNBytes(length);
                bytes.clear();
                bytes.write(record);
                RingEvent e = new RingEvent();
                JournalCodec.read(bytes, e);
                if (bytes.readRemaining() != 0) {
                    throw new IllegalStateException("record " + events.size() + ": " + bytes.readRemaining() + " bytes left");
                }
                events.add(e);
            }
        } finally {
            bytes.releaseLast();
        }
    }

    static String describe(List<RingEvent> events) {
        return describe(events, JournalCodec.VERSION);
    }

    /** The records' fields as text, without the fields versions after {@code version} added. */
    static String describe(List<RingEvent> events, int version) {
        List<String> excluded = new ArrayList<>(NOT_JOURNALED);
        ADDED_IN.forEach((field, since) -> {
            if (version < since) {
                excluded.add(field);
            }
        });
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            out.append("# record ").append(i).append('\n').append(RingEventFields.dump(events.get(i), excluded));
        }
        return out.toString();
    }

    /** The journal codes an event carries, as "table constant" (the same tables JournalSamplesTest checks). */
    static Set<String> codes(RingEvent e) {
        Set<String> codes = new TreeSet<>();
        code(codes, JournalCodes.EVENT_TYPE, e.type);
        code(codes, JournalCodes.CONTROL_TYPE, e.controlType);
        code(codes, JournalCodes.BROKER, e.type == EventType.CONTROL ? e.controlBroker : e.requestedBroker);
        code(codes, JournalCodes.ACTION, e.action);
        code(codes, JournalCodes.SIDE, e.side);
        code(codes, JournalCodes.ORDER_TYPE, e.orderType);
        code(codes, JournalCodes.STOP_MODE, e.stopLossMode);
        code(codes, JournalCodes.ALERT_FORMAT, e.format);
        code(codes, JournalCodes.SIZE_MODE, e.sizeMode);
        code(codes, JournalCodes.REPORT_KIND, e.reportKind);
        code(codes, JournalCodes.OUTCOME, e.outcome);
        return codes;
    }

    private static <E extends Enum<E>> void code(Set<String> codes, StableCode<E> table, E constant) {
        if (constant != null) {
            codes.add(table.name() + " " + constant);
        }
    }

    /**
     * Writes the current version's samples, {@code v<VERSION>.bin} and {@code .txt}. When that version
     * is committed already (a constant was appended to a code table since), writes only the records
     * holding codes no committed file of the version holds, as {@code v<VERSION>-<n>}: committed
     * files are never rewritten.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/journal-samples");
        Files.createDirectories(dir);
        List<RingEvent> records = samples();
        String name = "v" + JournalCodec.VERSION;
        Set<String> covered = new TreeSet<>();
        int supplement = 0;
        while (Files.exists(dir.resolve((supplement == 0 ? name : name + "-" + supplement) + ".bin"))) {
            try (InputStream in = Files.newInputStream(dir.resolve((supplement == 0 ? name : name + "-" + supplement) + ".bin"))) {
                decode(in).forEach(e -> covered.addAll(codes(e)));
            }
            supplement++;
        }
        if (supplement > 0) {
            records = records.stream().filter(e -> !covered.containsAll(codes(e))).toList();
            if (records.isEmpty()) {
                System.out.println("the committed samples of version " + JournalCodec.VERSION + " hold every code already");
                return;
            }
            name = name + "-" + supplement;
        }
        byte[] encoded = encode(records);
        Files.write(dir.resolve(name + ".bin"), encoded);
        Files.writeString(dir.resolve(name + ".txt"), describe(decode(new java.io.ByteArrayInputStream(encoded))));
        System.out.println("wrote " + dir.resolve(name + ".bin") + " (" + records.size() + " records): list it in JournalSamplesTest");
    }
}
