package io.tradeflow.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import net.openhft.chronicle.bytes.Bytes;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The journal record layout: every journaled field comes back as written. */
final class JournalCodecTest {
    /** Bytes version 4 appended at the end of every record: trailing distance and pending lots. */
    private static final int VERSION_4_TAIL = 8 + 8;
    /** Bytes version 6 appended at the end of every non-control record: a copy's master, subscription and parent. */
    private static final int VERSION_6_TAIL = 8 + 8 + 8;

    private final Bytes<?> bytes = Bytes.allocateElasticOnHeap(256);

    @AfterEach
    void release() {
        bytes.releaseLast();
    }

    /** Fields the codec deliberately does not record: where the event sits and who waits for it. */
    static RecursiveComparisonConfiguration journaledFields() {
        BiPredicate<AsciiField, AsciiField> sameText = (a, b) -> a.toString().equals(b.toString());
        return RecursiveComparisonConfiguration.builder()
                .withIgnoredFields("journalIndex", "replyTo", "receivedAtNanos", "copyAccepted", "copyRefused",
                        "copyRefusedByOutcome")
                .withEqualsForType(sameText, AsciiField.class)
                .withEqualsForType(Objects::equals, RiskLimits.class)
                .withEqualsForType(Objects::equals, AlertSettings.class)
                .build();
    }

    static RingEvent fullIntent() {
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        e.receivedAtMillis = 1_795_442_400_123L;
        e.receivedAtNanos = 987_654_321L;
        System.arraycopy(KeyHasher.sha256("tf_live_codec_key"), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        e.keyPresent = true;
        e.requestedBroker = BrokerKind.TRADELOCKER;
        e.action = Action.REVERSE;
        e.side = Side.SELL;
        e.orderType = OrderType.STOP;
        e.symbol.set("OANDA:XAUUSD_LONG_SYMBOL_NAME_32");
        e.quantity = 1.25;
        e.price = 2_345.678;
        e.stopLossMode = StopMode.TRAIL;
        e.stopLossValue = 15.5;
        e.takeProfitMode = StopMode.RR;
        e.takeProfitValue = 2.0;
        e.clientId.set("x".repeat(RingEvent.CLIENT_ID_CAPACITY));
        e.signalTimeMillis = 1_795_442_399_000L;
        e.format = AlertFormat.PINECONNECTOR;
        e.sizeMode = SizeMode.RISK_AMOUNT;
        e.addToPosition = true;
        e.orderPrice = 2_350.25;
        e.bodyHash = 0x8badf00ddeadbeefL;
        e.ticker.set("OANDA:XAUUSD");
        e.repeatOfIndex = 77_000_000_001L;
        e.strategy.set("S".repeat(RingEvent.STRATEGY_CAPACITY));
        e.source(new byte[]{0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78});
        e.positionEntries = 3;
        e.accountRealizedPnl = -1_234.5;
        e.positionStopLoss = 2_360.5;
        e.positionTakeProfit = 2_320.25;
        e.positionTrailDistance = 1.5;
        e.pendingQuantity = -1.25;
        e.outcome = Outcome.ACCEPTED;
        e.reason = "Market sell order executed for XAUUSD \u2014 ok";
        e.field = "intent.qty";
        e.retryAfterSeconds = 17;
        e.accountId = 123_456_789_012L;
        e.userId = 42;
        e.orderId = 9_876_543_210L;
        e.fillPrice = 2_345.5;
        e.filledQuantity = -2.5;
        e.commission = 0.75;
        e.realizedPnl = -12.125;
        e.positionQuantity = -1.25;
        e.positionAveragePrice = 2_345.5;
        e.tradingDay = 20_780;
        e.dayRealizedPnl = -99.5;
        e.tradesUsed = 77;
        e.decisionNanos = 12_345;
        return e;
    }

    static RingEvent fullControl() {
        RingEvent e = new RingEvent();
        e.type = EventType.CONTROL;
        e.receivedAtMillis = 1_795_442_400_999L;
        e.controlType = ControlType.ACCOUNT_ADDED;
        e.controlAccountId = 31;
        e.controlUserId = 310;
        e.controlBroker = BrokerKind.PROJECTX;
        e.controlFlag = true;
        e.controlTimeMillis = 1_700_000_000_000L;
        e.controlCount = 12;
        e.controlTrial = true;
        System.arraycopy(KeyHasher.sha256("tf_control_codec_key"), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        e.outcome = Outcome.ACCEPTED;
        e.accountId = 31;
        e.userId = 310;
        e.decisionNanos = 1;
        return e;
    }

    private RingEvent roundTrip(RingEvent written) {
        bytes.clear();
        JournalCodec.write(written, bytes);
        RingEvent read = new RingEvent();
        // Pre-fill the target to prove read() does not leave stale values behind.
        read.copyFrom(fullIntent());
        read.replyTo = null;
        JournalCodec.read(bytes, read);
        assertThat(bytes.readRemaining()).as("bytes left after reading the record").isZero();
        return read;
    }

    @Test
    void shouldRoundTripEveryFieldOfAnIntent() {
        RingEvent written = fullIntent();

        RingEvent read = roundTrip(written);

        assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(written);
        assertThat(read.symbol.toString()).isEqualTo("OANDA:XAUUSD_LONG_SYMBOL_NAME_32");
        assertThat(read.keyHash).isEqualTo(KeyHasher.sha256("tf_live_codec_key"));
    }

    @Test
    void shouldRoundTripAnIntentWithEmptyOptionalFields() {
        RingEvent written = new RingEvent();
        written.receivedAtMillis = 5;
        written.symbol.set("X");
        written.reject(Outcome.UNAUTHORIZED, null, null);

        RingEvent read = roundTrip(written);

        assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(written);
        assertThat(read.side).isNull();
        assertThat(read.requestedBroker).isNull();
        assertThat(read.reason).isNull();
        assertThat(read.field).isNull();
        assertThat(read.clientId.isEmpty()).isTrue();
    }

    @Test
    void shouldRoundTripEveryFieldOfAControl() {
        for (ControlType type : ControlType.values()) {
            RingEvent written = fullControl();
            written.controlType = type;
            if (type == ControlType.RISK_LIMITS) {
                written.controlRiskLimits = new RiskLimits(5, 250.5, 3, "22:00-04:00", ZoneId.of("America/New_York"),
                        List.of("EURUSD", "NQ1!"), 7, Duration.ofSeconds(30));
            } else if (type == ControlType.ALERT_SETTINGS) {
                written.controlAlertSettings = new AlertSettings(3, Duration.ofSeconds(5), Duration.ofSeconds(30),
                        Duration.ofHours(2), Map.of("NQ1!", "MNQ", "OANDA:XAUUSD", "XAUUSD"), ".m");
            } else if (type == ControlType.SOURCE_ALLOWLIST) {
                written.controlAllowedSources = List.of(CidrBlock.parse("52.89.214.238").orElseThrow(),
                        CidrBlock.parse("10.0.0.0/8").orElseThrow(), CidrBlock.parse("2001:db8::/32").orElseThrow());
            } else if (type == ControlType.COPY_LINK || type == ControlType.COPY_UNLINK) {
                written.controlCopyLink = new io.tradeflow.core.event.CopyLink(1, 2, 3, 4, null, 2, true, Map.of());
            }

            RingEvent read = roundTrip(written);

            assertThat(read).as("%s", type).usingRecursiveComparison(journaledFields()).isEqualTo(written);
        }
    }

    @Test
    void shouldRoundTripRiskLimitsOfAControl() {
        RingEvent written = fullControl();
        written.controlType = ControlType.RISK_LIMITS;
        written.controlRiskLimits = new RiskLimits(2.5, 0, 1, "", ZoneId.of("UTC"), List.of(), 1, Duration.ofMillis(1500));

        RingEvent read = roundTrip(written);

        assertThat(read.controlRiskLimits).isEqualTo(written.controlRiskLimits);
        assertThat(read.controlRiskLimits.rateLimitWindow()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldRoundTripAnEmptySourceAllowlistAndAnIpv4Source() {
        RingEvent control = fullControl();
        control.controlType = ControlType.SOURCE_ALLOWLIST;
        control.controlAllowedSources = List.of();
        assertThat(roundTrip(control).controlAllowedSources).isEmpty();

        RingEvent intent = fullIntent();
        intent.reset();
        intent.source(new byte[]{127, 0, 0, 1});
        intent.reject(Outcome.SOURCE_NOT_ALLOWED, "source", "not allowed");
        RingEvent read = roundTrip(intent);

        assertThat(read.sourceAddressLength).isEqualTo(4);
        assertThat(read.sourceAddress).startsWith(127, 0, 0, 1);
        assertThat(read.outcome).isEqualTo(Outcome.SOURCE_NOT_ALLOWED);
        assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(intent);
    }

    @Test
    void shouldRoundTripTheSymbolOfACloseAndItsFill() {
        RingEvent written = fullControl();
        written.controlType = ControlType.CLOSE_POSITION;
        written.symbol.set("XAUUSD");

        RingEvent read = roundTrip(written);

        assertThat(read.symbol.toString()).isEqualTo("XAUUSD");
        assertThat(read.orderId).isEqualTo(written.orderId);
        assertThat(read.positionQuantity).isEqualTo(written.positionQuantity);
    }

    @Test
    void shouldRoundTripAControlWithoutBroker() {
        RingEvent written = fullControl();
        written.controlType = ControlType.EMERGENCY_STOP;
        written.controlBroker = null;

        RingEvent read = roundTrip(written);

        assertThat(read.controlBroker).isNull();
        assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(written);
    }

    @Test
    void shouldRoundTripEveryEnumValue() {
        for (Action action : Action.values()) {
            for (Outcome outcome : Outcome.values()) {
                RingEvent written = fullIntent();
                written.action = action;
                written.outcome = outcome;
                written.stopLossMode = StopMode.of(action.ordinal() % StopMode.all().length);
                written.requestedBroker = BrokerKind.of(outcome.ordinal() % BrokerKind.values().length);

                assertThat(roundTrip(written)).usingRecursiveComparison(journaledFields()).isEqualTo(written);
            }
        }
    }

    @Test
    void shouldReadAVersionOneRecordWithDefaultsForTheFieldsAddedSince() {
        RingEvent written = fullIntent();
        JournalCodec.write(written, bytes);
        // A version 1 intent is the version 3 one without the alert fields after the signal time (including version
        // 3's source address), and without the entry count, the account's realised total and the position's stop
        // loss and take profit at the end.
        int alertFieldsAt = 1 + 1 + 8 + 1 + RingEvent.KEY_HASH_LENGTH + 1 + 1 + 1 + 1 + 1 + written.symbol.length()
                + 8 + 8 + 1 + 8 + 1 + 8 + 1 + written.clientId.length() + 8;
        int alertFieldsLength = 1 + 1 + 1 + 8 + 8 + 1 + written.ticker.length() + 8 + 1 + written.strategy.length()
                + 1 + written.sourceAddressLength;
        byte[] v2 = bytes.toByteArray();
        Bytes<?> v1 = Bytes.allocateElasticOnHeap(256);
        try {
            v1.write(v2, 0, alertFieldsAt);
            v1.write(v2, alertFieldsAt + alertFieldsLength,
                    v2.length - alertFieldsAt - alertFieldsLength - 4 - 8 - 8 - 8 - VERSION_4_TAIL - VERSION_6_TAIL);
            v1.writeByte(0, (byte) 1);

            RingEvent read = new RingEvent();
            JournalCodec.read(v1, read);

            assertThat(v1.readRemaining()).isZero();
            assertThat(read.symbol.toString()).isEqualTo(written.symbol.toString());
            assertThat(read.signalTimeMillis).isEqualTo(written.signalTimeMillis);
            assertThat(read.format).isEqualTo(AlertFormat.UNIFY);
            assertThat(read.sizeMode).isEqualTo(SizeMode.QTY);
            assertThat(read.repeatOfIndex).isZero();
            assertThat(read.orderId).isEqualTo(written.orderId);
            assertThat(read.decisionNanos).isEqualTo(written.decisionNanos);
            assertThat(read.positionEntries).isZero();
            assertThat(read.accountRealizedPnl).isZero();
            assertThat(read.positionStopLoss).isZero();
            assertThat(read.strategy.isEmpty()).isTrue();
        } finally {
            v1.releaseLast();
        }
    }

    @Test
    void shouldReadAVersionTwoRecordAsUntaggedWithAnUnknownSource() {
        RingEvent written = fullIntent();
        JournalCodec.write(written, bytes);
        // A version 2 intent is the version 3 one without the strategy tag and the source address (each a length
        // byte and its bytes) after the repeat-of index.
        int cutAt = 1 + 1 + 8 + 1 + RingEvent.KEY_HASH_LENGTH + 1 + 1 + 1 + 1 + 1 + written.symbol.length()
                + 8 + 8 + 1 + 8 + 1 + 8 + 1 + written.clientId.length() + 8
                + 1 + 1 + 1 + 8 + 8 + 1 + written.ticker.length() + 8;
        int cutLength = 1 + written.strategy.length() + 1 + written.sourceAddressLength;
        byte[] v3 = bytes.toByteArray();
        Bytes<?> v2 = Bytes.allocateElasticOnHeap(256);
        try {
            v2.write(v3, 0, cutAt);
            v2.write(v3, cutAt + cutLength, v3.length - cutAt - cutLength - VERSION_4_TAIL - VERSION_6_TAIL);
            v2.writeByte(0, (byte) 2);

            RingEvent read = new RingEvent();
            JournalCodec.read(v2, read);

            assertThat(v2.readRemaining()).isZero();
            assertThat(read.strategy.isEmpty()).isTrue();
            assertThat(read.sourceAddressLength).isZero();
            RingEvent expected = new RingEvent();
            expected.copyFrom(written);
            expected.strategy.clear();
            expected.sourceAddressLength = 0;
            Arrays.fill(expected.sourceAddress, (byte) 0);
            expected.positionTrailDistance = 0;
            expected.pendingQuantity = 0;
            assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(expected);
        } finally {
            v2.releaseLast();
        }
    }

    @Test
    void shouldReadAVersionThreeRecordWithoutTrailOrPendingOrder() {
        RingEvent written = fullIntent();
        JournalCodec.write(written, bytes);
        // A version 3 record is the version 4 one without the trailing distance and pending lots at the end.
        byte[] v4 = bytes.toByteArray();
        Bytes<?> v3 = Bytes.allocateElasticOnHeap(256);
        try {
            v3.write(v4, 0, v4.length - VERSION_4_TAIL - VERSION_6_TAIL);
            v3.writeByte(0, (byte) 3);

            RingEvent read = new RingEvent();
            JournalCodec.read(v3, read);

            assertThat(v3.readRemaining()).isZero();
            RingEvent expected = new RingEvent();
            expected.copyFrom(written);
            expected.positionTrailDistance = 0;
            expected.pendingQuantity = 0;
            assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(expected);
        } finally {
            v3.releaseLast();
        }
    }

    @Test
    void shouldReadAVersionFourRecordAsNoCopy() {
        RingEvent written = fullIntent();
        written.copyMasterAccountId = 9;
        written.copySubscriptionId = 8;
        written.copyParentIndex = 7;
        JournalCodec.write(written, bytes);
        // A version 4 record is the version 6 one without the copy's master, subscription and parent at the end.
        byte[] v6 = bytes.toByteArray();
        Bytes<?> v4 = Bytes.allocateElasticOnHeap(256);
        try {
            v4.write(v6, 0, v6.length - VERSION_6_TAIL);
            v4.writeByte(0, (byte) 4);

            RingEvent read = new RingEvent();
            JournalCodec.read(v4, read);

            assertThat(v4.readRemaining()).isZero();
            RingEvent expected = new RingEvent();
            expected.copyFrom(written);
            expected.copyMasterAccountId = 0;
            expected.copySubscriptionId = 0;
            expected.copyParentIndex = 0;
            assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(expected);
            assertThat(read.isCopy()).isFalse();
        } finally {
            v4.releaseLast();
        }
    }

    @Test
    void shouldRoundTripAFollowersCopyAndTheCopyControls() {
        RingEvent copy = fullIntent();
        copy.copyMasterAccountId = 11;
        copy.copySubscriptionId = 12;
        copy.copyParentIndex = 13;
        assertThat(roundTrip(copy)).usingRecursiveComparison(journaledFields()).isEqualTo(copy);
        for (ControlType type : new ControlType[]{ControlType.COPY_LINK, ControlType.COPY_UNLINK}) {
            RingEvent link = fullControl();
            link.controlType = type;
            link.controlCopyLink = new io.tradeflow.core.event.CopyLink(5, 6, 7, 8, SizeMode.PERCENT_EQUITY, 2.5,
                    type == ControlType.COPY_LINK, java.util.Map.of("NQ1!", "MNQ", "ES1!", "MES"));
            RingEvent read = roundTrip(link);
            assertThat(read.controlCopyLink).isEqualTo(link.controlCopyLink);
            assertThat(read).usingRecursiveComparison(journaledFields()).isEqualTo(link);
        }
        RingEvent master = fullControl();
        master.controlType = ControlType.COPY_MASTER;
        master.controlFlag = true;
        assertThat(roundTrip(master)).usingRecursiveComparison(journaledFields()).isEqualTo(master);
    }

    @Test
    void shouldRoundTripAPriceTick() {
        RingEvent tick = new RingEvent();
        tick.type = EventType.PRICE;
        tick.receivedAtMillis = 1_795_442_400_500L;
        tick.symbol.set("EURUSD");
        tick.price = 1.08432;
        tick.outcome = Outcome.ACCEPTED;

        assertThat(roundTrip(tick)).usingRecursiveComparison(journaledFields()).isEqualTo(tick);
    }

    @Test
    void shouldRoundTripATriggeredFillWithItsAbsoluteResults() {
        RingEvent fill = new RingEvent();
        fill.type = EventType.TRIGGERED;
        fill.receivedAtMillis = 1_795_442_400_600L;
        fill.symbol.set("EURUSD");
        fill.price = 1.0800;
        fill.action = Action.CLOSE;
        fill.side = Side.SELL;
        fill.quantity = 1;
        fill.outcome = Outcome.ACCEPTED;
        fill.reason = "trailing stop hit at 1.087";
        fill.accountId = 7;
        fill.userId = 70;
        fill.orderId = 12;
        fill.fillPrice = 1.07988;
        fill.filledQuantity = -1;
        fill.commission = 3;
        fill.realizedPnl = -527;
        fill.positionQuantity = 0;
        fill.tradingDay = 20_780;
        fill.dayRealizedPnl = -530;
        fill.accountRealizedPnl = -530;
        fill.tradesUsed = 2;
        fill.positionTrailDistance = 0.002;

        assertThat(roundTrip(fill)).usingRecursiveComparison(journaledFields()).isEqualTo(fill);
    }

    @Test
    void shouldRoundTripTheStrategyTagOfAnIntent() {
        RingEvent written = fullIntent();
        written.strategy.set("breakout-v2");

        assertThat(roundTrip(written).strategy.toString()).isEqualTo("breakout-v2");
    }

    @Test
    void shouldRefuseARecordOfAnotherVersion() {
        JournalCodec.write(fullIntent(), bytes);
        bytes.writeByte(0, (byte) 99);

        assertThatIllegalStateException().isThrownBy(() -> JournalCodec.read(bytes, new RingEvent()))
                .withMessageContaining("99");
    }
}
