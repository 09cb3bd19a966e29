package io.tradeflow.persistence.projection;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.ProjectionConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.JournaledRouter;
import io.tradeflow.persistence.TestDatabases;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.persistence.StateLoader;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AlertSettingsDao;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.OrderDao;
import io.tradeflow.persistence.dao.OrderRow;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import io.tradeflow.persistence.dao.RiskLimitsDao;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.WebhookLogDao;
import io.tradeflow.persistence.dao.WebhookLogRow;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tradeflow.persistence.TestDatabases.count;
import static io.tradeflow.persistence.TestDatabases.projectedIndex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

/** The projection end to end: real pipeline decisions, a real Chronicle journal, real PostgreSQL. */
final class ProjectionWriterTest {
    private static final Instant SIGNUP = Instant.parse("2026-11-23T08:00:00Z");
    private static final long T0 = SIGNUP.plus(Duration.ofHours(1)).toEpochMilli();
    private static final Duration AWAIT = Duration.ofSeconds(10);
    private static final ProjectionConfig SMALL_BATCHES = new ProjectionConfig(2, Duration.ofMillis(5));
    /** Larger than any test's journal: whatever is journaled before the writer starts is one batch. */
    private static final ProjectionConfig ONE_BATCH = new ProjectionConfig(1_000, Duration.ofMillis(5));
    private static final AtomicInteger TRADERS = new AtomicInteger();

    @TempDir
    static Path dataDir;
    private static Database db;
    private static Jdbi jdbi;

    @TempDir
    Path journalDir;
    private JournaledRouter router;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabases.startEmbedded(dataDir);
        jdbi = db.jdbi();
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @BeforeEach
    void newJournal() {
        TestDatabases.resetProjection(jdbi);
        router = new JournaledRouter(journalDir);
    }

    @AfterEach
    void closeJournal() {
        router.close();
    }

    @Test
    void shouldProjectFillsRefusalsAndCommands() {
        Trader trader = newTrader();
        RingEvent buy = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 2, 1.10, "tv-1", T0 + 1_000);
        RingEvent unknownKey = router.alert(KeyHasher.sha256("tf_unknown"), Action.OPEN, Side.BUY, "EURUSD", 1, 1.10,
                null, T0 + 2_000);
        RingEvent sell = router.alert(trader.keyHash, Action.CLOSE, null, "EURUSD", 1, 1.20, null, T0 + 3_000);
        router.accountEnabled(trader.accountId, trader.userId, false, T0 + 4_000);
        RingEvent refused = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.20, null, T0 + 5_000);
        assertThat(buy.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(sell.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(refused.outcome).isEqualTo(Outcome.ACCOUNT_DISABLED);

        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            writer.start();
            assertThat(writer.awaitApplied(refused.journalIndex, AWAIT)).isTrue();
            assertThat(writer.lastAppliedIndex()).isEqualTo(refused.journalIndex);
        }

        WebhookLogDao log = new WebhookLogDao(jdbi);
        assertThat(count(jdbi, "intents")).isEqualTo(4);
        assertThat(log.byJournalIndex(buy.journalIndex)).contains(new WebhookLogRow(buy.journalIndex,
                Instant.ofEpochMilli(T0 + 1_000), trader.accountId, trader.userId, "EURUSD", "open", "buy", "market",
                2.0, 1.10, "tv-1", "ACCEPTED", 200, null, null, buy.orderId, buy.decisionNanos / 1_000, null));
        assertThat(log.byJournalIndex(unknownKey.journalIndex).orElseThrow())
                .extracting(WebhookLogRow::outcome, WebhookLogRow::httpStatus, WebhookLogRow::accountId,
                        WebhookLogRow::userId, WebhookLogRow::field, WebhookLogRow::reason, WebhookLogRow::orderId)
                .containsExactly("UNAUTHORIZED", 401, null, null, "api_key", "invalid API key", null);
        assertThat(log.byJournalIndex(refused.journalIndex).orElseThrow())
                .extracting(WebhookLogRow::outcome, WebhookLogRow::httpStatus, WebhookLogRow::accountId,
                        WebhookLogRow::orderId)
                .containsExactly("ACCOUNT_DISABLED", 403, trader.accountId, null);

        assertThat(new OrderDao(jdbi).listByAccount(trader.accountId, 10))
                .extracting(OrderRow::id, OrderRow::journalIndex, OrderRow::side, OrderRow::quantity,
                        OrderRow::fillPrice, OrderRow::commission, OrderRow::status)
                .containsExactly(
                        tuple(sell.orderId, sell.journalIndex, "sell", 1.0, 1.20, JournaledRouter.COMMISSION, "filled"),
                        tuple(buy.orderId, buy.journalIndex, "buy", 2.0, 1.10, JournaledRouter.COMMISSION, "filled"));
        assertThat(new OrderDao(jdbi).listByAccount(trader.accountId, 1).get(0).realizedPnl())
                .isCloseTo(0.10 - JournaledRouter.COMMISSION, offset(1e-9));
        assertThat(new PositionDao(jdbi).listOpenByAccount(trader.accountId)).singleElement()
                .satisfies(p -> {
                    assertThat(p.symbol()).isEqualTo("EURUSD");
                    assertThat(p.quantity()).isEqualTo(1.0);
                    assertThat(p.averagePrice()).isEqualTo(1.10);
                    assertThat(p.updatedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 3_000));
                });
        assertThat(dailyPnl(trader.accountId, sell.tradingDay)).isCloseTo(sell.dayRealizedPnl, offset(1e-9));
        assertThat(sell.dayRealizedPnl).isCloseTo(0.10 - 2 * JournaledRouter.COMMISSION, offset(1e-9));
        assertThat(sell.tradingDay).isEqualTo(Math.floorDiv(T0, Duration.ofDays(1).toMillis()));
        assertThat(new UserDao(jdbi).findById(trader.userId).orElseThrow().tradesCount()).isEqualTo(2);
        assertThat(new AccountDao(jdbi).findById(trader.accountId).orElseThrow().enabled()).isFalse();
        assertThat(projectedIndex(jdbi)).isEqualTo(refused.journalIndex);
    }

    @Test
    void shouldMirrorKeyRevocationEmergencyStopAndReEnabling() {
        Trader trader = newTrader();
        router.accountEnabled(trader.accountId, trader.userId, false, T0 + 1_000);
        router.accountEnabled(trader.accountId, trader.userId, true, T0 + 2_000);
        router.keyRevoked(trader.accountId, trader.userId, trader.keyHash, T0 + 3_000);
        long stop = router.emergencyStop(trader.userId, true, T0 + 4_000);

        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            writer.start();
            assertThat(writer.awaitApplied(stop, AWAIT)).isTrue();
        }

        assertThat(new AccountDao(jdbi).findById(trader.accountId).orElseThrow().enabled()).isTrue();
        assertThat(new ApiKeyDao(jdbi).activeByAccount(trader.accountId)).isEmpty();
        assertThat(revokedAt(trader.keyHash)).isEqualTo(Instant.ofEpochMilli(T0 + 3_000));
        assertThat(new UserDao(jdbi).findById(trader.userId).orElseThrow().emergencyStop()).isTrue();
        assertThat(count(jdbi, "intents")).isZero();
        assertThat(projectedIndex(jdbi)).isEqualTo(stop);
    }

    @Test
    void shouldKeepTheLatestRiskLimitsOfEachAccount() {
        Trader trader = newTrader();
        RiskLimits first = new RiskLimits(5, 100, 2, "", ZoneOffset.UTC, List.of(), 10, Duration.ofSeconds(1));
        RiskLimits second = new RiskLimits(10, 250.5, 3, "22:00-04:00", ZoneId.of("America/New_York"),
                List.of("eurusd", "NQ1!"), 30, Duration.ofMinutes(1));
        router.riskLimits(trader.accountId, trader.userId, first, T0 + 1_000);
        long last = router.riskLimits(trader.accountId, trader.userId, second, T0 + 2_000);

        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            writer.start();
            assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
        }

        assertThat(new RiskLimitsDao(jdbi).findByAccount(trader.accountId)).contains(second);
        assertThat(second.allowedSymbols()).containsExactly("EURUSD", "NQ1!");
        assertThat(new RiskLimitsDao(jdbi).findByAccount(-1)).isEmpty();
    }

    @Test
    void shouldKeepTheLatestAlertSettingsOfEachAccount() {
        Trader trader = newTrader();
        AlertSettings first = new AlertSettings(3, Duration.ofSeconds(5), Duration.ZERO, Duration.ofHours(1),
                Map.of("ES1!", "MES"), ".m");
        AlertSettings second = new AlertSettings(1, Duration.ofSeconds(30), Duration.ofMinutes(2),
                Duration.ofMinutes(10), Map.of("nq1!", "mnq", "OANDA:XAUUSD", "XAUUSD"), "");
        router.alertSettings(trader.accountId, trader.userId, first, T0 + 1_000);
        long last = router.alertSettings(trader.accountId, trader.userId, second, T0 + 2_000);

        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            writer.start();
            assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
        }

        assertThat(new AlertSettingsDao(jdbi).findByAccount(trader.accountId)).contains(second);
        assertThat(second.symbolMap()).containsEntry("NQ1!", "MNQ");
        assertThat(new AlertSettingsDao(jdbi).findByAccount(-1)).isEmpty();
    }

    @Test
    void shouldResumeAfterTheRecordedIndexWhenRestarted() {
        Trader trader = newTrader();
        router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.10, null, T0 + 1_000);
        RingEvent second = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.12, null, T0 + 2_000);
        try (ProjectionWriter first = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            first.start();
            assertThat(first.awaitApplied(second.journalIndex, AWAIT)).isTrue();
        }
        // Were the restarted writer to re-apply old events, it would overwrite this row.
        jdbi.useHandle(h -> h.execute("update positions set quantity = 99 where symbol = 'EURUSD'"));
        RingEvent third = router.alert(trader.keyHash, Action.OPEN, Side.SELL, "GBPUSD", 1, 1.30, null, T0 + 3_000);

        try (ProjectionWriter restarted = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            restarted.start();
            assertThat(restarted.awaitApplied(third.journalIndex, AWAIT)).isTrue();
        }

        assertThat(count(jdbi, "intents")).isEqualTo(3);
        assertThat(count(jdbi, "orders")).isEqualTo(3);
        assertThat(new PositionDao(jdbi).listOpenByAccount(trader.accountId))
                .extracting(PositionRow::symbol, PositionRow::quantity)
                .containsExactly(tuple("EURUSD", 99.0), tuple("GBPUSD", -1.0));
        assertThat(projectedIndex(jdbi)).isEqualTo(third.journalIndex);
    }

    @Test
    void shouldFlattenEveryPositionOfTheAccountForACloseAllInJournalOrder() {
        Trader trader = newTrader();
        router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 2, 1.10, null, T0 + 1_000);
        router.alert(trader.keyHash, Action.OPEN, Side.SELL, "GBPUSD", 1, 1.30, null, T0 + 2_000);
        RingEvent closeAll = router.alert(trader.keyHash, Action.CLOSE_ALL, null, "", 0, 0, null, T0 + 3_000);
        RingEvent after = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "USDJPY", 1, 150.0, null, T0 + 4_000);
        assertThat(closeAll.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(closeAll.orderId).isPositive();

        projectAll(after.journalIndex);

        Map<String, Double> positions = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("select symbol, quantity from positions where account_id = :a")
                .bind("a", trader.accountId)
                .map((rs, ctx) -> positions.put(rs.getString("symbol"), rs.getDouble("quantity")))
                .list());
        assertThat(positions).containsExactly(Map.entry("EURUSD", 0.0), Map.entry("GBPUSD", 0.0), Map.entry("USDJPY", 1.0));
        String closeAllOrder = jdbi.withHandle(h -> h.createQuery("select symbol || ' ' || side from orders where id = :id")
                .bind("id", closeAll.orderId).mapTo(String.class).one());
        assertThat(closeAllOrder).isEqualTo("* close_all");
    }

    @Test
    void shouldLeaveTheSameRowsWhenTheJournalIsProjectedAgainFromTheStart() {
        Trader trader = newTrader();
        router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 3, 1.10, null, T0 + 1_000);
        router.alert(trader.keyHash, Action.CLOSE, null, "EURUSD", 1, 1.15, null, T0 + 2_000);
        long last = router.accountEnabled(trader.accountId, trader.userId, false, T0 + 3_000);
        projectAll(last);
        String before = snapshot();

        jdbi.useHandle(h -> h.execute("update projection_state set last_index = 0"));
        projectAll(last);

        assertThat(snapshot()).isEqualTo(before);
        assertThat(count(jdbi, "intents")).isEqualTo(2);
        assertThat(count(jdbi, "orders")).isEqualTo(2);
    }

    /**
     * Batches collapse positions, daily P&L and trades used to the last value per key and apply a
     * batch's close-alls before its position writes: the rows must be those of applying one event
     * at a time, including positions a close-all finds in the database from an earlier batch.
     */
    @Test
    void shouldLeaveTheRowsOfOneEventAtATimeWhenABatchHoldsManyFillsAndCloseAlls() {
        Trader trader = newTrader();
        Trader other = newTrader();
        router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 2, 1.10, null, T0 + 1_000);
        router.alert(trader.keyHash, Action.OPEN, Side.SELL, "GBPUSD", 1, 1.30, null, T0 + 2_000);
        projectAll(router.alert(other.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.10, null, T0 + 2_500).journalIndex);

        RingEvent lastEvent = journalManyFillsAndTwoCloseAlls(trader, other);
        long last = lastEvent.journalIndex;
        project(last, ONE_BATCH);
        String oneBatch = snapshot();

        Map<String, String> positions = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery("select symbol, quantity || ' ' || (extract(epoch from updated_at) * 1000)::bigint"
                        + " from positions where account_id = :a")
                .bind("a", trader.accountId)
                .map((rs, ctx) -> positions.put(rs.getString(1), rs.getString(2)))
                .list());
        // EURUSD: 2 (database) +1, closed out, -1, closed out again: zero at the second close-all.
        // GBPUSD (database) and USDJPY (this batch): zero at the first; the second finds them flat.
        assertThat(positions).containsExactly(
                Map.entry("EURUSD", "0 " + (T0 + 3_500)),
                Map.entry("GBPUSD", "0 " + (T0 + 3_300)),
                Map.entry("USDJPY", "0 " + (T0 + 3_300)),
                Map.entry("XAUUSD", "1 " + (T0 + 3_700)));
        assertThat(new PositionDao(jdbi).listOpenByAccount(other.accountId)).singleElement()
                .extracting(PositionRow::quantity).isEqualTo(2.0);
        assertThat(new UserDao(jdbi).findById(trader.userId).orElseThrow().tradesCount())
                .isEqualTo(lastEvent.tradesUsed).isGreaterThan(2);
        assertThat(count(jdbi, "orders where account_id = " + trader.accountId)).isEqualTo(18);
        assertThat(dailyPnl(trader.accountId, lastEvent.tradingDay)).isEqualTo(lastEvent.dayRealizedPnl);

        TestDatabases.resetProjection(jdbi);
        project(last, new ProjectionConfig(1, Duration.ofMillis(5)));
        assertThat(snapshot()).isEqualTo(oneBatch);
    }

    /** A batch applied again (its commit lost, or a retry after a failure inside it) changes no row. */
    @Test
    void shouldChangeNothingWhenABatchIsProjectedAgainAfterAFailure() throws InterruptedException {
        Trader trader = newTrader();
        Trader other = newTrader();
        long before = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 2, 1.10, null, T0 + 1_000)
                .journalIndex;
        projectAll(before);
        long last = journalManyFillsAndTwoCloseAlls(trader, other).journalIndex;
        project(last, ONE_BATCH);
        String once = snapshot();

        // As if the batch's commit were lost with its rows kept: it is applied a second time.
        jdbi.useHandle(h -> h.execute("update projection_state set last_index = " + before));
        project(last, ONE_BATCH);
        assertThat(snapshot()).isEqualTo(once);

        // A failure after the batch's first statements: the whole transaction rolls back and is retried.
        jdbi.useHandle(h -> h.execute("update projection_state set last_index = " + before));
        jdbi.useHandle(h -> h.execute("alter table daily_pnl rename to daily_pnl_offline"));
        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), ONE_BATCH)) {
            writer.start();
            assertThat(writer.awaitApplied(last, Duration.ofMillis(300))).isFalse();
            assertThat(writer.databaseAvailable()).isFalse();
            assertThat(projectedIndex(jdbi)).isEqualTo(before);
            jdbi.useHandle(h -> h.execute("alter table daily_pnl_offline rename to daily_pnl"));
            assertThat(writer.awaitApplied(last, AWAIT)).isTrue();
        }
        assertThat(snapshot()).isEqualTo(once);
    }

    /**
     * Ten buys of USDJPY and a partial close, a buy of a position the database holds, a close-all,
     * a sell, a second close-all, another account's buy and a last open: 17 events, all filled.
     */
    private RingEvent journalManyFillsAndTwoCloseAlls(Trader trader, Trader other) {
        for (int i = 0; i < 10; i++) {
            router.alert(trader.keyHash, Action.OPEN, Side.BUY, "USDJPY", 1, 150.0 + i, null, T0 + 3_000 + i);
        }
        router.alert(trader.keyHash, Action.CLOSE, null, "USDJPY", 4, 160.0, null, T0 + 3_100);
        router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.12, null, T0 + 3_200);
        RingEvent first = router.alert(trader.keyHash, Action.CLOSE_ALL, null, "", 0, 0, null, T0 + 3_300);
        router.alert(trader.keyHash, Action.OPEN, Side.SELL, "EURUSD", 1, 1.13, null, T0 + 3_400);
        RingEvent second = router.alert(trader.keyHash, Action.CLOSE_ALL, null, "", 0, 0, null, T0 + 3_500);
        router.alert(other.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.11, null, T0 + 3_600);
        RingEvent last = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "XAUUSD", 1, 2000, null, T0 + 3_700);
        assertThat(first.orderId).isPositive();
        assertThat(second.orderId).isPositive();
        return last;
    }

    @Test
    void shouldCatchUpWithNoGapsOrDuplicatesWhenTheDatabaseRecovers() throws InterruptedException {
        Trader trader = newTrader();
        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), SMALL_BATCHES)) {
            writer.start();
            RingEvent beforeOutage = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.10, null,
                    T0 + 1_000);
            assertThat(writer.awaitApplied(beforeOutage.journalIndex, AWAIT)).isTrue();

            // Every batch now fails inside its transaction, as it would with the database gone.
            jdbi.useHandle(h -> h.execute("alter table intents rename to intents_offline"));
            RingEvent last = null;
            for (int i = 0; i < 5; i++) {
                last = router.alert(trader.keyHash, Action.OPEN, Side.BUY, "EURUSD", 1, 1.11 + i / 100.0, null,
                        T0 + 2_000 + i);
            }
            assertThat(writer.awaitApplied(last.journalIndex, Duration.ofMillis(300))).isFalse();
            assertThat(writer.lastAppliedIndex()).isEqualTo(beforeOutage.journalIndex);
            assertThat(projectedIndex(jdbi)).isEqualTo(beforeOutage.journalIndex);
            assertThat(count(jdbi, "orders")).isEqualTo(1);

            jdbi.useHandle(h -> h.execute("alter table intents_offline rename to intents"));
            assertThat(writer.awaitApplied(last.journalIndex, AWAIT)).isTrue();
        }

        assertThat(count(jdbi, "intents")).isEqualTo(6);
        assertThat(count(jdbi, "orders")).isEqualTo(6);
        assertThat(new OrderDao(jdbi).listByAccount(trader.accountId, 10)).extracting(OrderRow::id)
                .containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(new PositionDao(jdbi).listOpenByAccount(trader.accountId)).singleElement()
                .extracting(PositionRow::quantity).isEqualTo(6.0);
    }

    @Test
    void shouldDrainWhatIsInTheJournalWhenClosed() {
        Trader trader = newTrader();
        ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(),
                new ProjectionConfig(256, Duration.ofSeconds(30)));
        writer.start();
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = router.alert(trader.keyHash, Action.OPEN, i % 2 == 0 ? Side.BUY : Side.SELL, "EURUSD", 1, 1.10,
                    null, T0 + i).journalIndex;
        }

        long startedClosing = System.nanoTime();
        writer.close();

        assertThat(writer.lastAppliedIndex()).isEqualTo(last);
        assertThat(projectedIndex(jdbi)).isEqualTo(last);
        assertThat(count(jdbi, "intents")).isEqualTo(20);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedClosing)).isLessThan(30);
    }

    @Test
    void shouldProjectPendingOrdersTheirTriggeredFillsStopsCancelsAndLastPrices() {
        Trader trader = newTrader();
        RingEvent limit = router.pendingAlert(trader.keyHash, Side.BUY, "EURUSD", 2, OrderType.LIMIT, 1.08, 1.085, T0 + 1_000);
        RingEvent stop = router.pendingAlert(trader.keyHash, Side.SELL, "GBPUSD", 1, OrderType.STOP, 1.25, 1.26, T0 + 2_000);
        assertThat(limit.placedPendingOrder()).isTrue();
        assertThat(stop.placedPendingOrder()).isTrue();
        assertThat(router.price("EURUSD", 1.079, T0 + 3_000)).singleElement()
                .satisfies(f -> assertThat(f.orderId).isEqualTo(limit.orderId));
        RingEvent modify = router.protectedAlert(trader.keyHash, Action.MODIFY, null, "EURUSD", 0, 0, 1.075, 0, T0 + 4_000);
        assertThat(modify.outcome).isEqualTo(Outcome.ACCEPTED);
        List<RingEvent> stopped = router.price("EURUSD", 1.074, T0 + 5_000);
        assertThat(stopped).singleElement().satisfies(f -> assertThat(f.reason).isEqualTo("stop loss hit at 1.075"));
        RingEvent cancel = router.alert(trader.keyHash, Action.CANCEL, null, "GBPUSD", 0, 0, null, T0 + 6_000);
        assertThat(cancel.reason).isEqualTo("cancelled 1 pending order");

        projectAll(cancel.journalIndex);

        List<String> orders = jdbi.withHandle(h -> h.createQuery("select id || ' ' || status || ' ' || side || ' ' || quantity"
                        + " || ' ' || fill_price || ' ' || order_type || ' ' || order_price || ' ' || coalesce(reason, '-')"
                        + " from orders where account_id = :a order by id").bind("a", trader.accountId)
                .mapTo(String.class).list());
        assertThat(orders).containsExactly(
                        limit.orderId + " filled buy 2 1.079 limit 1.08 limit order filled at 1.079",
                        stop.orderId + " cancelled sell 1 0 stop 1.25 -",
                        stopped.get(0).orderId + " filled sell 2 1.074 market 0 stop loss hit at 1.075");
        assertThat(new PositionDao(jdbi).listOpenByAccount(trader.accountId)).isEmpty();
        assertThat(dailyPnl(trader.accountId, stopped.get(0).tradingDay))
                .isCloseTo(2 * (1.074 - 1.079) - 2 * JournaledRouter.COMMISSION, offset(1e-9));
        // The limit order's fill is the alert's trade; the stop loss the router executed is not one.
        assertThat(new UserDao(jdbi).findById(trader.userId).orElseThrow().tradesCount()).isEqualTo(1);
        List<String> prices = jdbi.withHandle(h -> h.createQuery("select symbol || ' ' || price from last_prices"
                + " order by symbol").mapTo(String.class).list());
        assertThat(prices).containsExactly("EURUSD 1.074", "GBPUSD 1.26");
    }

    /**
     * Trailing stops moved by prices reach the positions table, so a restart from the database keeps
     * them: the feed moves every account's trail, an alert's price only its sender's, and a stop entry
     * the price fills is trailed after its fill, as the router did.
     */
    @Test
    void shouldProjectTrailMovesSoTheDatabaseHoldsTheTrailedStop() {
        Trader a = newTrader();
        Trader b = newTrader();
        String x = JournaledRouter.TRAIL_SYMBOL;
        // 50 pips of 0.01 = 0.5 below the fill.
        assertThat(router.trailingAlert(a.keyHash, Side.BUY, x, 1, 100, 50, 0, T0 + 1_000).positionStopLoss).isEqualTo(99.5);
        assertThat(router.trailingAlert(b.keyHash, Side.SELL, x, 1, 100, 50, 0, T0 + 2_000).positionStopLoss).isEqualTo(100.5);
        router.price(x, 101, T0 + 3_000);            // A: 100.5; B's short is stopped out at 101
        router.price(x, 100.8, T0 + 4_000);          // no move
        router.alert(b.keyHash, Action.CLOSE, null, x, 0, 103, null, T0 + 5_000); // B's price: not A's
        RingEvent stop = router.trailingAlert(a.keyHash, Side.BUY, x, 1, 100.8, 0, 102, T0 + 6_000);
        assertThat(stop.placedPendingOrder()).isTrue();
        assertThat(router.price(x, 102.2, T0 + 7_000)).singleElement()
                .satisfies(f -> assertThat(f.positionStopLoss).as("kept from before the fill").isEqualTo(100.5));
        RingEvent last = router.alert(a.keyHash, Action.CLOSE_SHORT, null, x, 0, 102.1, null, T0 + 8_000);
        double live = router.state().positions().get(a.accountId, router.state().symbols().intern(x)).stopLoss();
        assertThat(live).as("trailed after the stop entry's fill: 102.2 - 0.5").isCloseTo(101.7, offset(1e-9));

        projectAll(last.journalIndex);

        double projected = jdbi.withHandle(h -> h.createQuery("select stop_loss from positions"
                + " where account_id = :a and symbol = :s").bind("a", a.accountId).bind("s", x).mapTo(Double.class).one());
        assertThat(projected).isEqualTo(live);
        RouterState loaded = new RouterState(JournaledRouter.LIMITS);
        StateLoader.load(jdbi, loaded);
        assertThat(loaded.positions().get(a.accountId, loaded.symbols().intern(x)))
                .satisfies(p -> {
                    assertThat(p.stopLoss()).isEqualTo(live);
                    assertThat(p.trailDistance()).isCloseTo(0.5, offset(1e-9));
                    assertThat(p.quantity()).isEqualTo(2);
                });
        assertThat(loaded.positions().quantity(b.accountId, loaded.symbols().intern(x))).isZero();

        // All those prices and fills in one batch (trails applied once per batch), or one event per
        // batch: the same rows.
        String smallBatches = snapshot();
        TestDatabases.resetProjection(jdbi);
        project(last.journalIndex, ONE_BATCH);
        assertThat(snapshot()).isEqualTo(smallBatches);
        TestDatabases.resetProjection(jdbi);
        project(last.journalIndex, new ProjectionConfig(1, Duration.ofMillis(5)));
        assertThat(snapshot()).isEqualTo(smallBatches);
    }

    private void projectAll(long lastIndex) {
        project(lastIndex, SMALL_BATCHES);
    }

    private void project(long lastIndex, ProjectionConfig config) {
        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(), config)) {
            writer.start();
            assertThat(writer.awaitApplied(lastIndex, AWAIT)).isTrue();
        }
    }

    /** Every projected row as text, to compare two projections of the same journal. */
    private static String snapshot() {
        return jdbi.withHandle(h -> String.join("\n",
                h.createQuery("select i::text from intents i order by journal_index").mapTo(String.class).list())
                + h.createQuery("select o::text from orders o order by id").mapTo(String.class).list()
                + h.createQuery("select p::text from positions p order by account_id, symbol").mapTo(String.class)
                .list()
                + h.createQuery("select d::text from daily_pnl d order by account_id, trading_day").mapTo(String.class)
                .list()
                + h.createQuery("select trades_count || ' ' || emergency_stop from users order by id")
                .mapTo(String.class).list()
                + h.createQuery("select enabled::text from broker_accounts order by id").mapTo(String.class).list());
    }

    private static double dailyPnl(long accountId, long tradingDay) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select realized from daily_pnl where account_id = :account and trading_day = :day")
                .bind("account", accountId)
                .bind("day", tradingDay)
                .mapTo(Double.class)
                .one());
    }

    private static Instant revokedAt(byte[] keyHash) {
        return jdbi.withHandle(h -> h.createQuery("select revoked_at from api_keys where key_hash = :hash")
                .bind("hash", keyHash)
                .mapTo(OffsetDateTime.class)
                .one()).toInstant();
    }

    private record Trader(long userId, long accountId, byte[] keyHash) {
    }

    /** A user with a paper account and a key, created as the dashboard does: rows first, then commands. */
    private Trader newTrader() {
        int n = TRADERS.incrementAndGet();
        long userId = new UserDao(jdbi).create("trader" + n + "@example.com", null, Plan.TRIAL, SIGNUP).orElseThrow();
        long accountId = new AccountDao(jdbi).create(userId, BrokerKind.PAPER, "paper", true);
        byte[] keyHash = KeyHasher.sha256("tf_key_" + n);
        new ApiKeyDao(jdbi).add(accountId, keyHash, "tf_key");
        router.accountAdded(accountId, userId, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), true, 0, T0);
        router.keyAdded(accountId, userId, keyHash, T0);
        return new Trader(userId, accountId, keyHash);
    }
}
