package io.tradeflow.core.stage;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.KEY;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.testing.Events;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Position-aware semantics, idempotency, the duplicate-signal window, stale signals and symbol maps,
 * through the real pipeline.
 */
final class AlertSemanticsTest {
    private static final AlertSettings STRICT = new AlertSettings(1, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(10), Map.of("NQ1!", "MNQZ6", "OANDA:XAUUSD", "XAUUSD", "US100", "NAS100"), ".M");

    @TempDir
    Path dir;

    private static RingEvent keyed(RingEvent e, String id, long bodyHash) {
        e.clientId.set(id);
        e.bodyHash = bodyHash;
        return e;
    }

    /** Decides, journals and remembers, as the ring's handler does. */
    private static RingEvent route(PipelineFixture f, ChronicleJournal journal, RingEvent e) {
        f.pipeline.process(e);
        e.journalIndex = journal.append(e);
        f.pipeline.onJournaled(e);
        return e;
    }

    // ---------------- position-aware semantics ----------------

    @Test
    void shouldRefuseASecondEntryInTheSameDirectionAsADuplicate() {
        PipelineFixture f = new PipelineFixture();
        f.buy(T0, "EURUSD", 1, 100);

        RingEvent again = f.buy(T0 + 1, "EURUSD", 1, 101);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.outcome.httpStatus()).isEqualTo(409);
        assertThat(again.field).isEqualTo("side");
        assertThat(again.reason).contains("already long EURUSD").contains("add");
        assertThat(again.orderId).isZero();
        assertThat(f.quantity("EURUSD")).isEqualTo(1.0);
    }

    @Test
    void shouldAddToAPositionWhenTheAlertSaysAdd() {
        PipelineFixture f = new PipelineFixture();
        f.sell(T0, "EURUSD", 1, 100);

        RingEvent add = f.add(T0 + 1, Side.SELL, "EURUSD", 2, 97);

        assertThat(add.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(add.positionQuantity).isEqualTo(-3.0);
        assertThat(add.positionAveragePrice).isEqualTo(98.0);
        assertThat(add.positionEntries).isEqualTo(2);
    }

    @Test
    void shouldAllowPyramidingUpToTheAccountsCount() {
        PipelineFixture f = new PipelineFixture(new AlertSettings(3, Duration.ZERO, Duration.ZERO, Duration.ofHours(1),
                Map.of(), ""));
        assertThat(f.buy(T0, "EURUSD", 1, 100).positionEntries).isEqualTo(1);
        assertThat(f.buy(T0 + 1, "EURUSD", 1, 100).positionEntries).isEqualTo(2);
        assertThat(f.buy(T0 + 2, "EURUSD", 1, 100).positionEntries).isEqualTo(3);

        assertThat(f.buy(T0 + 3, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(f.quantity("EURUSD")).isEqualTo(3.0);
    }

    @Test
    void shouldExitAShortFirstWhenABuyArrivesThenOpenTheLong() {
        PipelineFixture f = new PipelineFixture();
        f.sell(T0, "XAUUSD", 2, 2650);

        RingEvent buy = f.buy(T0 + 1, "XAUUSD", 1, 2640);

        assertThat(buy.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(buy.filledQuantity).isEqualTo(3.0);
        assertThat(buy.realizedPnl).isEqualTo(20.0);     // 2 × (2650 − 2640)
        assertThat(buy.positionQuantity).isEqualTo(1.0);
        assertThat(buy.positionAveragePrice).isEqualTo(2640.0);
        assertThat(buy.positionEntries).isEqualTo(1);
    }

    @Test
    void shouldCloseOnlyTheAlertsQuantityOnAPartialClose() {
        PipelineFixture f = new PipelineFixture();
        f.buy(T0, "EURUSD", 5, 100);

        RingEvent partial = f.exit(T0 + 1, Action.CLOSE_LONG, "EURUSD", 2, 104);
        RingEvent tooMuch = f.exit(T0 + 2, Action.CLOSE, "EURUSD", 50, 105);

        assertThat(partial.filledQuantity).isEqualTo(-2.0);
        assertThat(partial.realizedPnl).isEqualTo(8.0);
        assertThat(partial.positionQuantity).isEqualTo(3.0);
        assertThat(tooMuch.filledQuantity).isEqualTo(-3.0);
        assertThat(tooMuch.positionQuantity).isZero();
    }

    @Test
    void shouldCloseEveryOpenPositionWithCloseAll() {
        PipelineFixture f = new PipelineFixture();
        f.buy(T0, "EURUSD", 2, 100);
        f.sell(T0 + 1, "GBPUSD", 1, 50);
        // Nothing to close, but the alert's price is the latest price of EURUSD.
        f.exit(T0 + 2, Action.CLOSE_SHORT, "EURUSD", 110);

        RingEvent all = f.process(Events.exit(KEY, T0 + 4, Action.CLOSE_ALL, "", 0));

        assertThat(all.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(all.orderId).isPositive();
        assertThat(all.reason).isEqualTo("closed 2 positions");
        // EURUSD closes at its last price 110 (+20), GBPUSD at 50 (0).
        assertThat(all.realizedPnl).isEqualTo(20.0);
        assertThat(f.quantity("EURUSD")).isZero();
        assertThat(f.quantity("GBPUSD")).isZero();
        assertThat(f.account().openPositions()).isZero();
        RingEvent again = f.process(Events.exit(KEY, T0 + 5, Action.CLOSE_ALL, "", 0));
        assertThat(again.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(again.orderId).isZero();
        assertThat(again.reason).isEqualTo("no open positions to close");
    }

    @Test
    void shouldAnswerCancelWithNoActionSincePendingOrdersAreNotAcceptedYet() {
        PipelineFixture f = new PipelineFixture();
        f.buy(T0, "EURUSD", 1, 100);

        RingEvent cancel = f.exit(T0 + 1, Action.CANCEL, "EURUSD", 0);

        assertThat(cancel.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(cancel.orderId).isZero();
        assertThat(cancel.reason).isEqualTo("no pending orders to cancel");
        assertThat(f.quantity("EURUSD")).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseSizesOtherThanAFixedQuantityNamingTheField() {
        PipelineFixture f = new PipelineFixture();
        RingEvent e = Events.open(KEY, T0, Side.BUY, "EURUSD", 10, 100);
        e.sizeMode = SizeMode.PERCENT_EQUITY;

        f.process(e);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("size");
    }

    // ---------------- idempotency ----------------

    @Test
    void shouldAnswerARepeatedKeyWithTheFirstAnswerAndPlaceNothing() {
        PipelineFixture f = new PipelineFixture();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RingEvent entry = keyed(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100), "tv-1", 42);
            entry.stopLossMode = StopMode.PRICE;
            entry.stopLossValue = 95;
            RingEvent first = route(f, journal, entry);

            RingEvent repeat = route(f, journal, keyed(Events.open(KEY, T0 + 500, Side.BUY, "EURUSD", 1, 100), "tv-1", 42));
            assertThat(repeat.positionStopLoss).isEqualTo(95.0);

            assertThat(repeat.outcome).isEqualTo(Outcome.ACCEPTED);
            assertThat(repeat.orderId).isEqualTo(first.orderId);
            assertThat(repeat.fillPrice).isEqualTo(first.fillPrice);
            assertThat(repeat.repeatOfIndex).isEqualTo(first.journalIndex);
            assertThat(f.state.lastOrderId()).isEqualTo(first.orderId);
            assertThat(f.quantity("EURUSD")).isEqualTo(1.0);
            assertThat(f.state.user(USER).tradesUsed()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseAUsedKeyWithAnotherBodyWith422() {
        PipelineFixture f = new PipelineFixture();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            route(f, journal, keyed(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100), "tv-1", 42));

            RingEvent other = route(f, journal, keyed(Events.open(KEY, T0 + 1, Side.SELL, "EURUSD", 1, 100), "tv-1", 43));

            assertThat(other.outcome).isEqualTo(Outcome.IDEMPOTENCY_CONFLICT);
            assertThat(other.outcome.httpStatus()).isEqualTo(422);
            assertThat(other.field).isEqualTo("id");
            assertThat(f.quantity("EURUSD")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldTreatAKeyAsNewOnceTheWindowHasPassed() {
        PipelineFixture f = new PipelineFixture(STRICT);
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            route(f, journal, keyed(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100), "tv-1", 42));
            route(f, journal, Events.exit(KEY, T0 + 1_000, Action.CLOSE, "EURUSD", 100));

            RingEvent later = route(f, journal, keyed(Events.open(KEY, T0 + Duration.ofMinutes(10).toMillis(), Side.BUY,
                    "EURUSD", 1, 100), "tv-1", 42));

            assertThat(later.outcome).isEqualTo(Outcome.ACCEPTED);
            assertThat(later.repeatOfIndex).isZero();
            assertThat(f.quantity("EURUSD.M")).isEqualTo(1.0);
        }
    }

    @Test
    void shouldKeepKeysAndSignalTimesAcrossAJournalReplay() {
        PipelineFixture live = new PipelineFixture(STRICT);
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RingEvent first = route(live, journal, keyed(Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100), "tv-1", 42));
            RingEvent repeat = route(live, journal, keyed(Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 100), "tv-1", 42));
            assertThat(repeat.repeatOfIndex).isEqualTo(first.journalIndex);

            PipelineFixture restarted = new PipelineFixture(STRICT);
            try (JournalReader reader = journal.readerAfter(0)) {
                RingEvent e = new RingEvent();
                while (reader.next(e)) {
                    restarted.pipeline.replay().apply(e);
                }
            }

            assertThat(restarted.quantity("EURUSD.M")).isEqualTo(1.0);
            assertThat(restarted.state.idempotency().size()).isEqualTo(1);
            RingEvent afterRestart = restarted.process(keyed(Events.open(KEY, T0 + 2, Side.BUY, "EURUSD", 1, 100), "tv-1", 42));
            assertThat(afterRestart.orderId).isEqualTo(first.orderId);
            assertThat(afterRestart.repeatOfIndex).isEqualTo(first.journalIndex);
            assertThat(restarted.state.lastOrderId()).isEqualTo(first.orderId);
            RingEvent conflict = restarted.process(keyed(Events.open(KEY, T0 + 3, Side.BUY, "EURUSD", 1, 100), "tv-1", 7));
            assertThat(conflict.outcome).isEqualTo(Outcome.IDEMPOTENCY_CONFLICT);
            // The duplicate window (5 s) was rebuilt too: the same signal without a key is refused as one.
            RingEvent sameSignal = restarted.process(Events.open(KEY, T0 + 4, Side.BUY, "EURUSD", 1, 100));
            assertThat(sameSignal.outcome).isEqualTo(Outcome.DUPLICATE);
            assertThat(sameSignal.field).isEqualTo("signal");
        }
    }

    @Test
    void shouldRebuildStopLossAndTakeProfitIncludingModifiesByJournalReplay() {
        PipelineFixture live = new PipelineFixture();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RingEvent open = Events.open(KEY, T0, Side.BUY, "ACME", 3, 100);
            open.stopLossMode = StopMode.PRICE;
            open.stopLossValue = 90;
            route(live, journal, open);
            RingEvent modify = Events.exit(KEY, T0 + 1, Action.MODIFY, "ACME", 0);
            modify.takeProfitMode = StopMode.OFFSET;
            modify.takeProfitValue = 25;
            route(live, journal, modify);
            assertThat(modify.positionTakeProfit).isEqualTo(125.0);

            PipelineFixture restarted = new PipelineFixture();
            try (JournalReader reader = journal.readerAfter(0)) {
                RingEvent e = new RingEvent();
                while (reader.next(e)) {
                    restarted.pipeline.replay().apply(e);
                }
            }

            assertThat(restarted.position("ACME").quantity()).isEqualTo(3.0);
            assertThat(restarted.position("ACME").stopLoss()).isEqualTo(90.0);
            assertThat(restarted.position("ACME").takeProfit()).isEqualTo(125.0);
        }
    }

    @Test
    void shouldRebuildAlertSettingsAndKeysFromEventsTheProjectionAlreadyHolds() {
        PipelineFixture restarted = new PipelineFixture();
        RingEvent settings = Events.control(new RingEvent(), T0, ControlType.ALERT_SETTINGS, ACCOUNT, USER);
        settings.controlAlertSettings = STRICT;
        settings.outcome = Outcome.ACCEPTED;
        RingEvent keyed = keyed(Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 100), "tv-9", 9);
        keyed.outcome = Outcome.ACCEPTED;
        keyed.accountId = ACCOUNT;
        keyed.orderId = 1;
        keyed.journalIndex = 77;
        keyed.positionQuantity = 1;

        restarted.pipeline.replay().rebuildUnprojected(settings);
        restarted.pipeline.replay().rebuildUnprojected(keyed);

        assertThat(restarted.account().alertRules().settings()).isEqualTo(STRICT);
        assertThat(restarted.state.idempotency().size()).isEqualTo(1);
        // The position itself comes from the database, not from this pass.
        assertThat(restarted.quantity("EURUSD")).isZero();
    }

    // ---------------- duplicate window, stale signals ----------------

    @Test
    void shouldRefuseTheSameSignalWithinTheDuplicateWindow() {
        PipelineFixture f = new PipelineFixture(STRICT);
        RingEvent first = f.buy(T0, "EURUSD", 1, 100);
        f.pipeline.onJournaled(first);
        RingEvent close = f.exit(T0 + 10, Action.CLOSE, "EURUSD", 100);
        f.pipeline.onJournaled(close);

        RingEvent again = f.buy(T0 + 4_999, "EURUSD", 1, 100);
        RingEvent afterWindow = f.buy(T0 + 5_000, "EURUSD", 1, 100);

        assertThat(again.outcome).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.field).isEqualTo("signal");
        assertThat(afterWindow.outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseASignalOlderThanTheMaxSignalAge() {
        PipelineFixture f = new PipelineFixture(STRICT);
        RingEvent stale = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100);
        stale.signalTimeMillis = T0 - 30_001;
        RingEvent fresh = Events.open(KEY, T0, Side.BUY, "GBPUSD", 1, 100);
        fresh.signalTimeMillis = T0 - 30_000;
        RingEvent tradersPost = Events.open(KEY, T0, Side.BUY, "USDJPY", 1, 100);
        tradersPost.signalTimeMillis = T0 - 60_000;
        tradersPost.format = AlertFormat.TRADERSPOST;

        f.process(stale);
        f.process(fresh);
        f.process(tradersPost);

        assertThat(stale.outcome).isEqualTo(Outcome.STALE_SIGNAL);
        assertThat(stale.outcome.httpStatus()).isEqualTo(422);
        assertThat(stale.field).isEqualTo("ts");
        assertThat(fresh.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(tradersPost.field).isEqualTo("time");
    }

    // ---------------- symbol maps ----------------

    @Test
    void shouldTranslateTickersIntoTheBrokersInstruments() {
        PipelineFixture f = new PipelineFixture(STRICT);

        assertThat(f.buy(T0, "NQ1!", 1, 21000).symbol.toString()).isEqualTo("MNQZ6");
        assertThat(f.buy(T0 + 10, "OANDA:XAUUSD", 1, 2650).symbol.toString()).isEqualTo("XAUUSD");
        assertThat(f.buy(T0 + 20, "CAPITALCOM:US100", 1, 21000).symbol.toString()).isEqualTo("NAS100");
        assertThat(f.buy(T0 + 30, "FX:EURUSD", 1, 1.08).symbol.toString()).isEqualTo("EURUSD.M");
        assertThat(f.buy(T0 + 40, "CME_MINI:ES1!", 1, 5900).symbol.toString()).isEqualTo("ES.M");
        RingEvent suffixed = f.buy(T0 + 50, "GBPUSD.M", 1, 1.27);
        assertThat(suffixed.symbol.toString()).isEqualTo("GBPUSD.M");
        assertThat(suffixed.ticker.toString()).isEqualTo("GBPUSD.M");
        assertThat(f.quantity("MNQZ6")).isEqualTo(1.0);
    }

    @Test
    void shouldApplyAnAccountsAlertSettingsFromAControlEvent() {
        PipelineFixture f = new PipelineFixture();
        RingEvent control = Events.control(new RingEvent(), T0, ControlType.ALERT_SETTINGS, ACCOUNT, USER);
        control.controlAlertSettings = new AlertSettings(2, Duration.ZERO, Duration.ZERO, Duration.ofHours(1),
                Map.of("NQ1!", "MNQ"), "");
        f.process(control);

        RingEvent first = f.buy(T0 + 1, "NQ1!", 1, 21000);
        RingEvent second = f.buy(T0 + 2, "NQ1!", 1, 21010);

        assertThat(control.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(first.symbol.toString()).isEqualTo("MNQ");
        assertThat(second.outcome).as("pyramiding 2 allows a second entry").isEqualTo(Outcome.ACCEPTED);
        assertThat(f.quantity("MNQ")).isEqualTo(2.0);
    }
}
