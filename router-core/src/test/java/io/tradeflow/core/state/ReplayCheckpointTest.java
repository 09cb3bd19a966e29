package io.tradeflow.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.PlanTier;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A replay checkpoint gives back exactly what it was taken of: every idempotency answer (every outcome, null and
 * shared reasons and fields, the longest client ids and symbols, exact doubles), the alert settings, the users'
 * plans and alert counts, the pending orders and the signal times. A file of another version, or a damaged one,
 * is not used (start-up then reads the whole journal).
 */
final class ReplayCheckpointTest {
    private static final RiskLimits LIMITS = new RiskLimits(1000, 0, 100, "", ZoneId.of("UTC"), List.of(), 1_000_000,
            Duration.ofMinutes(1));
    private static final AlertSettings DEFAULTS = new AlertSettings(10, Duration.ofSeconds(5), Duration.ZERO,
            Duration.ofHours(24), Map.of(), "");
    private static final long T0 = 1_795_000_000_000L;
    private static final long WINDOW = Duration.ofHours(24).toMillis();
    private static final int ANSWERS = 20_000;
    private static final String[] REASONS = {null, "order submitted", "risk: max lots", "no open position to close"};
    private static final String[] FIELDS = {null, "broker", "qty"};

    @TempDir
    Path dir;

    /** Accounts 1 and 2 of user 10, account 3 of user 20: what the projection gives a start-up. */
    private static RouterState projected(boolean withAccount3) {
        RouterState state = new RouterState(LIMITS, DEFAULTS);
        state.putAccount(1, 10, BrokerKind.PAPER, true, T0, false, 0);
        state.putAccount(2, 10, BrokerKind.PAPER, true, T0, false, 0);
        if (withAccount3) {
            state.putAccount(3, 20, BrokerKind.PAPER, false, T0, true, 4);
        }
        return state;
    }

    private static RouterState history() {
        RouterState state = projected(true);
        state.alertSettings(2, new AlertSettings(3, Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofHours(6),
                Map.of("GOLD", "XAUUSD", "SILVER", "XAGUSD"), ".PRO"));
        state.plan(20, PlanTier.PRO, true, T0 + 86_400_000L);
        state.suspend(20, true);
        state.countAlert(state.user(10), T0);
        state.countAlert(state.user(10), T0 + 1);
        RingEvent e = new RingEvent();
        Outcome[] outcomes = Outcome.values();
        for (int i = 0; i < ANSWERS; i++) {
            e.reset();
            e.accountId = 1 + i % 3;
            e.clientId.set(i % 7 == 0 ? String.format("%064d", i) : "alert-" + i);
            e.symbol.set(i % 5 == 0 ? String.format("SYM%029d", i % 100) : "EURUSD");
            e.bodyHash = i * 0x9E3779B97F4A7C15L;
            e.receivedAtMillis = T0 + i;
            e.journalIndex = 1_000_000L + i;
            e.outcome = outcomes[i % outcomes.length];
            // Shared constants, nulls, and reasons that carry a number (as fills and closes do).
            e.reason = i % 11 == 0 ? "limit order filled at " + (i % 13) : REASONS[i % REASONS.length];
            e.field = FIELDS[i % FIELDS.length];
            e.orderId = i % 2 == 0 ? 0 : 500_000L + i;
            e.fillPrice = 1.0 + i / 1e5;
            e.filledQuantity = i % 3 == 0 ? -0.0 : 0.01 * i;
            e.positionQuantity = -0.1 * i;
            e.positionStopLoss = i % 4 == 0 ? Double.NaN : 0.9;
            e.positionTakeProfit = Double.MIN_VALUE * i;
            e.pendingQuantity = i % 9 == 0 ? Double.MAX_VALUE : 0;
            // Every 97th answer expires an hour after it is given: gone by the newest time, so never kept.
            state.idempotency().remember(e, i % 97 == 0 ? 3_600_000L : WINDOW);
        }
        // The same key again, with another answer: only the newer one is kept.
        e.reset();
        e.accountId = 2;
        e.clientId.set("alert-1");
        e.symbol.set("GBPUSD");
        e.receivedAtMillis = T0 + ANSWERS + 3_600_000L;
        e.journalIndex = 2_000_000L;
        e.outcome = Outcome.ACCEPTED;
        state.idempotency().remember(e, WINDOW);
        e.reset();
        e.orderId = 900_001;
        e.accountId = 3;
        e.userId = 20;
        e.action = Action.OPEN;
        e.side = Side.SELL;
        e.orderType = OrderType.STOP;
        e.orderPrice = 1.2345;
        e.stopLossMode = StopMode.PIPS;
        e.stopLossValue = 20;
        e.takeProfitMode = StopMode.RR;
        e.takeProfitValue = 2.5;
        e.strategy.set("breakout-v2");
        state.pendingOrders().add(e, state.symbols().intern("GBPUSD"), 0.3);
        state.signalAccepted(signalKey(1, state.symbols().intern("EURUSD"), 5), T0 + 42);
        state.signalAccepted(signalKey(3, state.symbols().intern("XAUUSD"), 9), T0 + 43);
        state.observeOrderId(900_001);
        return state;
    }

    private static long signalKey(long accountId, int symbolId, int low) {
        return ((accountId << 20 | symbolId) << 6) | low;
    }

    /** What the digest covers, plus what it leaves out but the checkpoint carries. */
    private static String describe(RouterState state) {
        StringBuilder text = new StringBuilder(RouterStateDigest.describeAll(state));
        for (long userId : new long[] {10, 20}) {
            UserState u = state.user(userId);
            text.append("user ").append(userId).append(' ').append(u.plan()).append(" lapsed=").append(u.lapsedFlag())
                    .append(" grace=").append(u.graceEndsAtMillis()).append(" suspended=").append(u.suspended())
                    .append(" alerts=").append(u.alertDay()).append('/').append(u.alertsToday()).append('\n');
        }
        RingEvent e = new RingEvent();
        for (PendingOrder o : state.pendingOrders().all()) {
            o.describe(e);
            text.append("pending ").append(o.orderId()).append(' ').append(o.userId()).append(' ').append(e.action)
                    .append(' ').append(e.stopLossMode).append(' ').append(e.stopLossValue).append(' ')
                    .append(e.takeProfitMode).append(' ').append(e.takeProfitValue).append(' ').append(e.strategy).append('\n');
        }
        return text.toString();
    }

    @Test
    void shouldGiveBackEveryAnswerAndEverythingElseItWasTakenOf() {
        RouterState before = history();
        ReplayCheckpoint.write(before, 1_020_000L, dir);

        ReplayCheckpoint.Loaded loaded = ReplayCheckpoint.read(dir).orElseThrow();
        RouterState after = projected(true);
        loaded.applyTo(after);

        assertThat(loaded.journalIndex()).isEqualTo(1_020_000L);
        String expected = describe(before);
        assertThat(expected).containsPattern("idempotent \\d/\\d{64} ").contains(" USER_SUSPENDED ")
                .contains(" null null order ").contains("limit order filled at 12").contains("pending 900001 20 OPEN PIPS");
        assertThat(describe(after)).isEqualTo(expected);
        assertThat(RouterStateDigest.ofAll(after)).isEqualTo(RouterStateDigest.ofAll(before));
        assertThat(after.lastOrderId()).isEqualTo(900_001);

        // The longest key is found again, with its answer, as a repeat of the alert would be.
        AsciiField longest = new AsciiField(RingEvent.CLIENT_ID_CAPACITY);
        longest.set(String.format("%064d", 14_000));
        IdempotencyIndex.Answer answer = after.idempotency().find(3, longest, T0 + ANSWERS);
        assertThat(answer).isNotNull();
        RingEvent repeat = new RingEvent();
        answer.answer(repeat);
        assertThat(repeat.symbol.toString()).isEqualTo(String.format("SYM%029d", 0));
        assertThat(repeat.repeatOfIndex).isEqualTo(1_014_000L);
        assertThat(repeat.outcome).isEqualTo(Outcome.values()[14_000 % Outcome.values().length]);

        // Read back twice (a start-up that falls back after a mismatch may apply it again): the same.
        RouterState again = projected(true);
        loaded.applyTo(again);
        assertThat(describe(again)).isEqualTo(expected);
    }

    @Test
    void shouldLeaveOutTheAnswersOfAnAccountTheProjectionNoLongerHolds() {
        ReplayCheckpoint.write(history(), 1_020_000L, dir);

        RouterState after = projected(false);
        ReplayCheckpoint.read(dir).orElseThrow().applyTo(after);

        List<String> answers = new java.util.ArrayList<>();
        after.idempotency().forEachCanonical(answers::add);
        assertThat(answers).isNotEmpty().noneMatch(a -> a.startsWith("3/"));
        assertThat(answers).anyMatch(a -> a.startsWith("1/")).anyMatch(a -> a.startsWith("2/"));
    }

    @Test
    void shouldWriteTheSameFileFromARunningCheckpointsBytesAsAtACleanStop() throws IOException {
        RouterState state = history();
        ReplayCheckpoint.write(state, 1_020_000L, dir);
        byte[] atStop = Files.readAllBytes(dir.resolve("replay-checkpoint.bin"));

        Path running = dir.resolve("running");
        ReplayCheckpoint.writeEncoded(ReplayCheckpoint.encode(state, 1_020_000L), running);

        assertThat(Files.readAllBytes(running.resolve("replay-checkpoint.bin"))).isEqualTo(atStop);
        assertThat(ReplayCheckpoint.read(running).orElseThrow().journalIndex()).isEqualTo(1_020_000L);
    }

    @Test
    void shouldRestoreAnEmptyState() {
        RouterState empty = new RouterState(LIMITS, DEFAULTS);
        ReplayCheckpoint.write(empty, 7, dir);

        RouterState after = new RouterState(LIMITS, DEFAULTS);
        ReplayCheckpoint.read(dir).orElseThrow().applyTo(after);

        assertThat(RouterStateDigest.describeAll(after)).isEqualTo(RouterStateDigest.describeAll(empty));
    }

    @Test
    void shouldIgnoreAVersion2Checkpoint() throws IOException {
        // A whole, valid version 2 file of an empty state, as the previous release wrote it: DataOutputStream, CRC32.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x54465243);
        out.writeInt(2);
        out.writeLong(42);
        out.writeLong(0);      // last order id
        out.writeInt(0);       // accounts
        out.writeInt(0);       // users
        out.writeInt(0);       // pending orders
        out.writeLong(T0);     // newest idempotency time
        out.writeInt(0);       // answers
        out.writeInt(0);       // signals
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        Files.write(dir.resolve("replay-checkpoint.bin"), bytes.toByteArray());

        assertThat(ReplayCheckpoint.read(dir)).isEmpty();
    }

    @Test
    void shouldIgnoreADamagedOrCutShortCheckpoint() throws IOException {
        ReplayCheckpoint.write(history(), 1_020_000L, dir);
        Path file = dir.resolve("replay-checkpoint.bin");
        byte[] whole = Files.readAllBytes(file);

        byte[] damaged = whole.clone();
        damaged[whole.length / 2] ^= 0x10;
        Files.write(file, damaged);
        assertThat(ReplayCheckpoint.read(dir)).isEmpty();

        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 100));
        assertThat(ReplayCheckpoint.read(dir)).isEmpty();

        Files.write(file, java.util.Arrays.copyOf(whole, 20));
        assertThat(ReplayCheckpoint.read(dir)).isEmpty();

        Files.write(file, whole);
        assertThat(ReplayCheckpoint.read(dir)).isPresent();
    }
}
