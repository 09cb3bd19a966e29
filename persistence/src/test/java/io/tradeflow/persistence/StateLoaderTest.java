package io.tradeflow.persistence;

import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.ProjectionConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.Position;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.UserState;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.projection.ProjectionWriter;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up recovery: state loaded from the projection equals the router's state at the projected
 * index, and replaying the rest of the journal on top of it reaches the router's current state.
 */
final class StateLoaderTest {
    private static final Instant SIGNUP = Instant.parse("2026-11-23T08:00:00Z");
    private static final long T0 = SIGNUP.plus(Duration.ofHours(2)).toEpochMilli();
    private static final List<String> SYMBOLS = List.of("EURUSD", "GBPUSD", "USDJPY");

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
    void shouldRestoreTheRouterStateAtTheProjectedIndexAndReachTheLiveStateByReplay() {
        long trialUser = user("loader-trial@example.com", Plan.TRIAL);
        long proUser = user("loader-pro@example.com", Plan.PRO);
        long trialAccount = account(trialUser);
        long proAccount = account(proUser);
        byte[] trialKey = key(trialAccount, "tf_trial");
        byte[] revokedKey = key(trialAccount, "tf_revoked");
        byte[] proKey = key(proAccount, "tf_pro");
        List<byte[]> keys = List.of(trialKey, revokedKey, proKey, KeyHasher.sha256("tf_never_issued"));

        router.accountAdded(trialAccount, trialUser, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), true, 0, T0);
        router.accountAdded(proAccount, proUser, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), false, 0, T0);
        router.keyAdded(trialAccount, trialUser, trialKey, T0);
        router.keyAdded(trialAccount, trialUser, revokedKey, T0);
        router.keyAdded(proAccount, proUser, proKey, T0);
        router.riskLimits(trialAccount, trialUser, new RiskLimits(50, 500, 5, "08:00-20:00", ZoneId.of("Europe/London"),
                List.of("EURUSD", "GBPUSD", "USDJPY"), 100, Duration.ofSeconds(10)), T0);
        accepted(router.alert(trialKey, Action.OPEN, Side.BUY, "EURUSD", 3, 1.10, "a", T0 + 1_000));
        accepted(router.alert(trialKey, Action.OPEN, Side.BUY, "GBPUSD", 1, 1.30, "b", T0 + 2_000));
        accepted(router.alert(trialKey, Action.CLOSE, null, "EURUSD", 1, 1.20, "c", T0 + 3_000));
        accepted(router.alert(proKey, Action.OPEN, Side.BUY, "EURUSD", 2, 1.05, null, T0 + 4_000));
        router.accountEnabled(proAccount, proUser, false, T0 + 5_000);
        router.emergencyStop(proUser, true, T0 + 6_000);
        long projected = router.keyRevoked(trialAccount, trialUser, revokedKey, T0 + 7_000);
        project(projected);
        String atProjectedIndex = describe(router.state(), keys);
        assertThat(atProjectedIndex).contains("account " + trialAccount, "EURUSD 2.0 @ 1.1 entries=1",
                "GBPUSD 1.0 @ 1.3 entries=1");

        // Journaled after the projection stopped, as if the process died before projecting them.
        accepted(router.alert(trialKey, Action.CLOSE, Side.SELL, "GBPUSD", 0, 0, null, T0 + 8_000));
        accepted(router.alert(trialKey, Action.OPEN, Side.BUY, "USDJPY", 1, 150.0, null, T0 + 9_000));
        router.accountEnabled(proAccount, proUser, true, T0 + 10_000);
        router.emergencyStop(proUser, false, T0 + 11_000);
        router.riskLimits(proAccount, proUser, new RiskLimits(1, 10, 1, "", ZoneOffset.UTC, List.of(), 5,
                Duration.ofSeconds(1)), T0 + 12_000);

        RouterState loaded = new RouterState(JournaledRouter.LIMITS, JournaledRouter.ALERTS);
        long loadedIndex = StateLoader.load(jdbi, loaded);

        assertThat(loadedIndex).isEqualTo(projected);
        assertThat(loaded.account(trialAccount).enabled()).isTrue();
        assertThat(loaded.account(proAccount).enabled()).isFalse();
        assertThat(loaded.keys().accountFor(trialKey)).isEqualTo(trialAccount);
        assertThat(loaded.keys().accountFor(revokedKey)).isZero();
        assertThat(loaded.positions().quantity(trialAccount, loaded.symbols().intern("EURUSD"))).isEqualTo(2.0);
        assertThat(loaded.user(trialUser).tradesUsed()).isEqualTo(3);
        assertThat(loaded.user(trialUser).onTrial()).isTrue();
        assertThat(loaded.user(proUser).emergencyStop()).isTrue();
        assertThat(loaded.lastOrderId()).isEqualTo(4);
        assertThat(loaded.account(trialAccount).rules().limits().maxDailyLoss()).isEqualTo(500);
        assertThat(loaded.account(proAccount).rules().limits()).isEqualTo(JournaledRouter.LIMITS);
        assertThat(describe(loaded, keys)).isEqualTo(atProjectedIndex);

        replayAfter(loadedIndex, loaded);

        assertThat(describe(loaded, keys)).isEqualTo(describe(router.state(), keys));
        assertThat(loaded.lastOrderId()).isEqualTo(6);
    }

    @Test
    void shouldProjectAndLoadEachAccountsAllowedSourcesAndReplayALaterChange() {
        long userId = user("loader-sources@example.com", Plan.PRO);
        long listed = account(userId);
        long open = account(userId);
        router.accountAdded(listed, userId, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), false, 0, T0);
        router.accountAdded(open, userId, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), false, 0, T0);
        long projected = router.allowedSources(listed, userId, List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow(),
                CidrBlock.parse("2001:db8::/32").orElseThrow()), T0 + 1_000);
        project(projected);
        router.allowedSources(listed, userId, List.of(CidrBlock.parse("127.0.0.0/8").orElseThrow()), T0 + 2_000);
        byte[] loopback = {127, 0, 0, 1};
        byte[] private10 = {10, 1, 2, 3};

        RouterState loaded = new RouterState(JournaledRouter.LIMITS, JournaledRouter.ALERTS);
        StateLoader.load(jdbi, loaded);
        // The database outlives this test: leave no account behind for the others' state comparisons.
        jdbi.useHandle(h -> {
            h.execute("delete from account_allowed_sources where account_id = ?", listed);
            h.execute("delete from broker_accounts where user_id = ?", userId);
            h.execute("delete from users where id = ?", userId);
        });

        assertThat(loaded.account(listed).allowsSource(private10, 4)).isTrue();
        assertThat(loaded.account(listed).allowsSource(loopback, 4)).isFalse();
        assertThat(loaded.account(open).allowsSource(loopback, 4)).as("no list: any address").isTrue();

        replayAfter(projected, loaded);

        assertThat(loaded.account(listed).allowsSource(loopback, 4)).as("the unprojected change, replayed").isTrue();
        assertThat(loaded.account(listed).allowsSource(private10, 4)).isFalse();
    }

    @Test
    void shouldReturnIndexZeroWhenNothingWasProjected() {
        RouterState loaded = new RouterState(JournaledRouter.LIMITS, JournaledRouter.ALERTS);

        assertThat(StateLoader.load(jdbi, loaded)).isZero();
        assertThat(loaded.lastOrderId()).isZero();
    }

    private void project(long lastIndex) {
        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(),
                new ProjectionConfig(3, Duration.ofMillis(5)))) {
            writer.start();
            assertThat(writer.awaitApplied(lastIndex, Duration.ofSeconds(10))).isTrue();
        }
    }

    /** What the launcher does after loading: re-apply the journal's recorded effects after the index. */
    private void replayAfter(long index, RouterState state) {
        RoutingPipeline replay = new RoutingPipeline(state, JournaledRouter.TRIAL, JournaledRouter.paperVenues());
        RingEvent event = new RingEvent();
        try (JournalReader reader = router.journal().readerAfter(index)) {
            while (reader.next(event)) {
                replay.replay().apply(event);
            }
        }
    }

    /** Everything routing decisions depend on, as text, so two states compare in one readable diff. */
    private static String describe(RouterState state, List<byte[]> keys) {
        StringBuilder out = new StringBuilder();
        for (long accountId = 1; accountId <= 100; accountId++) {
            AccountState account = state.account(accountId);
            if (account == null) {
                continue;
            }
            UserState user = account.user();
            out.append("account ").append(accountId)
                    .append(" user=").append(user.userId())
                    .append(" broker=").append(account.broker())
                    .append(" enabled=").append(account.enabled())
                    .append(" open=").append(account.openPositions())
                    .append(" dayPnl=").append(account.realizedPnlOn(Math.floorDiv(T0, 86_400_000L)))
                    .append(" trial=").append(user.onTrial())
                    .append(" signup=").append(user.signupAtMillis())
                    .append(" trades=").append(user.tradesUsed())
                    .append(" stop=").append(user.emergencyStop())
                    .append(" limits=").append(account.rules().limits())
                    .append('\n');
            for (String symbol : SYMBOLS) {
                Position p = state.positions().get(accountId, state.symbols().intern(symbol));
                if (p != null && !p.isFlat()) {
                    out.append("  ").append(symbol).append(' ').append(p.quantity()).append(" @ ")
                            .append(p.averagePrice()).append(" entries=").append(p.entries()).append('\n');
                }
            }
        }
        for (byte[] key : keys) {
            out.append("key -> ").append(state.keys().accountFor(key)).append('\n');
        }
        for (String symbol : SYMBOLS) {
            out.append(symbol).append(" last=").append(state.symbols().lastPrice(state.symbols().intern(symbol)))
                    .append('\n');
        }
        return out.append("lastOrderId=").append(state.lastOrderId()).toString();
    }

    private static void accepted(RingEvent e) {
        assertThat(e.outcome).as(e.reason).isEqualTo(Outcome.ACCEPTED);
    }

    private static long user(String email, Plan plan) {
        return new UserDao(jdbi).create(email, null, plan, SIGNUP).orElseThrow();
    }

    /** Created enabled, as the dashboard does before publishing ACCOUNT_ADDED with the same flag. */
    private static long account(long userId) {
        return new AccountDao(jdbi).create(userId, BrokerKind.PAPER, "main", true);
    }

    private static byte[] key(long accountId, String key) {
        byte[] hash = KeyHasher.sha256(key);
        new ApiKeyDao(jdbi).add(accountId, hash, key.substring(0, 6));
        return hash;
    }

    @Test
    void shouldProjectAndLoadStopLossTakeProfitAndEntriesIncludingAModifyFollowedByAFill() {
        long userId = user("loader-protect@example.com", Plan.PRO);
        long accountId = account(userId);
        byte[] key = key(accountId, "tf_protect");
        router.accountAdded(accountId, userId, BrokerKind.PAPER, true, SIGNUP.toEpochMilli(), false, 0, T0);
        router.keyAdded(accountId, userId, key, T0);
        accepted(router.protectedAlert(key, Action.OPEN, Side.BUY, "ACME", 2, 100, 90, 0, T0 + 1_000));
        accepted(router.protectedAlert(key, Action.OPEN, Side.SELL, "WIDGET", 1, 50, 55, 40, T0 + 2_000));
        accepted(router.protectedAlert(key, Action.MODIFY, null, "ACME", 0, 0, 0, 130, T0 + 3_000));
        // A modify, then a fill of the same position in the same batch: the fill's values must win.
        accepted(router.protectedAlert(key, Action.MODIFY, null, "WIDGET", 0, 0, 60, 0, T0 + 4_000));
        RingEvent last = router.protectedAlert(key, Action.OPEN, Side.SELL, "WIDGET", 1, 50, 58, 35, T0 + 5_000);
        accepted(last);
        try (ProjectionWriter writer = new ProjectionWriter(jdbi, router.journal(),
                new ProjectionConfig(256, Duration.ofMillis(5)))) {
            writer.start();
            assertThat(writer.awaitApplied(last.journalIndex, Duration.ofSeconds(10))).isTrue();
        }

        RouterState loaded = new RouterState(JournaledRouter.LIMITS, JournaledRouter.ALERTS);
        StateLoader.load(jdbi, loaded);
        // The database outlives this test: leave no account behind for the others' state comparisons.
        jdbi.useHandle(h -> {
            h.execute("delete from api_keys where account_id = ?", accountId);
            h.execute("delete from broker_accounts where id = ?", accountId);
            h.execute("delete from users where id = ?", userId);
        });

        Position acme = loaded.positions().get(accountId, loaded.symbols().intern("ACME"));
        Position widget = loaded.positions().get(accountId, loaded.symbols().intern("WIDGET"));
        assertThat(acme.stopLoss()).isEqualTo(90.0);
        assertThat(acme.takeProfit()).isEqualTo(130.0);
        assertThat(widget.quantity()).isEqualTo(-2.0);
        assertThat(widget.entries()).as("two entries, what pyramiding counts after a restart").isEqualTo(2);
        assertThat(acme.entries()).isEqualTo(1);
        assertThat(widget.stopLoss()).isEqualTo(58.0);
        assertThat(widget.takeProfit()).isEqualTo(35.0);
    }
}
