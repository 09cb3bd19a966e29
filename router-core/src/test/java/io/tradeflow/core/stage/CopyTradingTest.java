package io.tradeflow.core.stage;

import static io.tradeflow.core.stage.PipelineFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.state.AlertSettingsDefaults;
import io.tradeflow.config.BillingConfig;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.PlanLimits;
import io.tradeflow.config.PlanTier;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.RouterStateDigest;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy trading through the real routing handler and journal: one master alert, one decided and
 * journaled copy per follower in a fixed order, each under the follower's own rules; replay rebuilds it.
 */
final class CopyTradingTest {
    private static final long MASTER = 100;
    private static final long MASTER_USER = 1000;
    private static final String MASTER_KEY = "tf_live_master_key_0123456789abcd";
    /** Followers: multiplier 2, paused, fixed 5 lots with a symbol map, emergency-stopped user, beyond the limit. */
    private static final long[] FOLLOWERS = {201, 202, 203, 204, 205};
    private static final long[] FOLLOWER_USERS = {2001, 2002, 2003, 2004, 2005};
    private static final TrialConfig TRIAL = new TrialConfig(100, Duration.ofDays(3));
    private static final RiskLimits OPEN = new RiskLimits(1000, 0, 20, "", ZoneId.of("UTC"), List.of(), 100_000,
            Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private static RoutingPipeline pipeline() {
        RouterState s = new RouterState(OPEN, AlertSettingsDefaults.NONE, Map.of(), 100_000);
        s.putAccount(MASTER, MASTER_USER, BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
        s.keys().add(KeyHasher.sha256(MASTER_KEY), MASTER);
        for (int i = 0; i < FOLLOWERS.length; i++) {
            s.putAccount(FOLLOWERS[i], FOLLOWER_USERS[i], BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(),
                    false, 0);
        }
        return new RoutingPipeline(s, TRIAL, new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
    }

    private static RingEvent control(ControlType type, long accountId, long userId, boolean flag, CopyLink link) {
        RingEvent e = new RingEvent();
        e.type = EventType.CONTROL;
        e.receivedAtMillis = T0;
        e.controlType = type;
        e.controlAccountId = accountId;
        e.controlUserId = userId;
        e.controlFlag = flag;
        e.controlCopyLink = link;
        return e;
    }

    /** The controls that publish the master and link the five followers (the fifth beyond a limit of 4). */
    private static List<RingEvent> setup() {
        List<RingEvent> controls = new ArrayList<>();
        controls.add(control(ControlType.COPY_MASTER, MASTER, MASTER_USER, true, null));
        controls.add(control(ControlType.COPY_LINK, FOLLOWERS[0], FOLLOWER_USERS[0], false,
                new CopyLink(1, MASTER, FOLLOWERS[0], FOLLOWER_USERS[0], null, 2, true, Map.of())));
        controls.add(control(ControlType.COPY_LINK, FOLLOWERS[1], FOLLOWER_USERS[1], false,
                new CopyLink(2, MASTER, FOLLOWERS[1], FOLLOWER_USERS[1], null, 1, false, Map.of())));
        controls.add(control(ControlType.COPY_LINK, FOLLOWERS[2], FOLLOWER_USERS[2], false,
                new CopyLink(3, MASTER, FOLLOWERS[2], FOLLOWER_USERS[2], SizeMode.QTY, 5, true,
                        Map.of("EURUSD", "EURUSD.M"))));
        controls.add(control(ControlType.COPY_LINK, FOLLOWERS[3], FOLLOWER_USERS[3], false,
                new CopyLink(4, MASTER, FOLLOWERS[3], FOLLOWER_USERS[3], null, 1, true, Map.of())));
        controls.add(control(ControlType.EMERGENCY_STOP, 0, FOLLOWER_USERS[3], true, null));
        controls.add(control(ControlType.COPY_LINK, FOLLOWERS[4], FOLLOWER_USERS[4], false,
                new CopyLink(5, MASTER, FOLLOWERS[4], FOLLOWER_USERS[4], null, 1, true, Map.of())));
        return controls;
    }

    @Test
    void shouldCopyOneMasterAlertToEveryActiveFollowerUnderItsOwnRules() {
        RoutingPipeline live = pipeline();
        live.state().copy().maxFollowersPerMaster(3);
        List<RingEvent> journaled = new ArrayList<>();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RoutingHandler handler = new RoutingHandler(live, journal, e -> {
                RingEvent copy = new RingEvent();
                copy.copyFrom(e);
                journaled.add(copy);
            });
            long seq = 0;
            for (RingEvent c : setup()) {
                handler.onEvent(c, seq++, true);
            }
            RingEvent[] answered = new RingEvent[1];
            RingEvent alert = Events.intent(new RingEvent(), MASTER_KEY, T0 + 1_000, Action.OPEN, Side.BUY, "EURUSD",
                    1.5, 1.1);
            alert.clientId.set("sig-1");
            alert.replyTo = decided -> {
                answered[0] = new RingEvent();
                answered[0].copyFrom(decided);
            };
            journaled.clear();
            handler.onEvent(alert, seq++, true);

            assertThat(answered[0].outcome).isEqualTo(Outcome.ACCEPTED);
            assertThat(answered[0].copyAccepted).as("followers 201 and 203").isEqualTo(2);
            assertThat(answered[0].copyRefused).isEqualTo(3);
            assertThat(answered[0].copyRefusedByOutcome[Outcome.ACCOUNT_DISABLED.ordinal()]).as("paused").isEqualTo(1);
            assertThat(answered[0].copyRefusedByOutcome[Outcome.RISK_REJECTED.ordinal()])
                    .as("emergency stop and the follower limit").isEqualTo(2);

            // The master's record, then one record per follower in subscription order.
            assertThat(journaled).extracting(e -> e.accountId)
                    .containsExactly(MASTER, FOLLOWERS[0], FOLLOWERS[1], FOLLOWERS[2], FOLLOWERS[3], FOLLOWERS[4]);
            RingEvent master = journaled.get(0);
            for (int i = 1; i < journaled.size(); i++) {
                RingEvent copy = journaled.get(i);
                assertThat(copy.type).isEqualTo(EventType.INTENT);
                assertThat(copy.copyMasterAccountId).isEqualTo(MASTER);
                assertThat(copy.copySubscriptionId).isEqualTo(i);
                assertThat(copy.copyParentIndex).isEqualTo(master.journalIndex);
                assertThat(copy.journalIndex).isEqualTo(master.journalIndex + i);
                assertThat(copy.keyPresent).isFalse();
                assertThat(copy.userId).isEqualTo(FOLLOWER_USERS[i - 1]);
            }
            assertThat(journaled.get(1).filledQuantity).as("multiplier 2").isEqualTo(3.0);
            assertThat(journaled.get(2).field).isEqualTo(CopyStage.FIELD_SUBSCRIPTION);
            assertThat(journaled.get(3).filledQuantity).as("fixed 5").isEqualTo(5.0);
            assertThat(journaled.get(3).symbol.toString()).isEqualTo("EURUSD.M");
            assertThat(journaled.get(4).field).isEqualTo(RiskStage.RULE_EMERGENCY_STOP);
            assertThat(journaled.get(5).field).isEqualTo(CopyStage.RULE_MAX_FOLLOWERS);

            RouterState state = live.state();
            int eurusd = state.symbols().intern("EURUSD");
            assertThat(state.positions().quantity(MASTER, eurusd)).isEqualTo(1.5);
            assertThat(state.positions().quantity(FOLLOWERS[0], eurusd)).isEqualTo(3.0);
            assertThat(state.positions().quantity(FOLLOWERS[1], eurusd)).isZero();
            assertThat(state.positions().quantity(FOLLOWERS[2], state.symbols().intern("EURUSD.M"))).isEqualTo(5.0);
            assertThat(state.positions().quantity(FOLLOWERS[3], eurusd)).isZero();
            assertThat(state.positions().quantity(FOLLOWERS[4], eurusd)).isZero();

            // The same alert again (same id): the master's repeat is answered from the first, nothing is copied.
            RingEvent repeat = Events.intent(new RingEvent(), MASTER_KEY, T0 + 2_000, Action.OPEN, Side.BUY, "EURUSD",
                    1.5, 1.1);
            repeat.clientId.set("sig-1");
            repeat.bodyHash = alert.bodyHash;
            journaled.clear();
            handler.onEvent(repeat, seq++, true);
            assertThat(journaled).as("the repeat fans out again, every copy answered as the first").hasSize(6);
            assertThat(journaled).allSatisfy(e -> assertThat(e.repeatOfIndex).isNotZero());
            assertThat(state.positions().quantity(FOLLOWERS[0], state.symbols().intern("EURUSD"))).isEqualTo(3.0);

            // A partial exit: the multiplier's share for 201, the same fraction of its position for 203 (fixed size).
            journaled.clear();
            handler.onEvent(Events.intent(new RingEvent(), MASTER_KEY, T0 + 3_000, Action.CLOSE, null, "EURUSD", 0.5, 1.2),
                    seq++, true);
            assertThat(state.positions().quantity(FOLLOWERS[0], eurusd)).isEqualTo(2.0);
            assertThat(state.positions().quantity(FOLLOWERS[2], state.symbols().intern("EURUSD.M")))
                    .isCloseTo(5.0 * 2 / 3, org.assertj.core.data.Offset.offset(1e-9));

            RoutingPipeline rebuilt = pipeline();
            rebuilt.state().copy().maxFollowersPerMaster(3);
            RingEvent e = new RingEvent();
            try (JournalReader reader = journal.readerAfter(0)) {
                while (reader.next(e)) {
                    rebuilt.replay().apply(e);
                }
            }
            rebuilt.replay().finish();
            assertThat(RouterStateDigest.describeAll(rebuilt.state())).isEqualTo(RouterStateDigest.describeAll(state));
        }
    }

    /**
     * A crash cuts a fan-out short (the journal fails after the master's record and the first copy):
     * the restarted router replays what was journaled, and TradingView's retry of the same alert (same
     * id) completes the fan-out: the follower that had its copy gets a repeat, the others their copy.
     */
    @Test
    void shouldCompleteAFanOutACrashCutShortWhenTheMasterAlertIsRetriedWithoutDoublingAnyCopy() {
        int[] appends = {0};
        RoutingPipeline live = pipeline();
        List<RingEvent> controls = setup();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            io.tradeflow.core.journal.Journal failing = new io.tradeflow.core.journal.Journal() {
                @Override
                public long append(RingEvent event) {
                    if (++appends[0] == controls.size() + 3) {
                        throw new IllegalStateException("disk gone (simulated crash)");
                    }
                    return journal.append(event);
                }

                @Override
                public JournalReader readerAfter(long index) {
                    return journal.readerAfter(index);
                }

                @Override
                public long lastIndex() {
                    return journal.lastIndex();
                }

                @Override
                public boolean isDurable() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
            RoutingHandler handler = new RoutingHandler(live, failing);
            long seq = 0;
            for (RingEvent c : controls) {
                handler.onEvent(c, seq++, true);
            }
            RingEvent alert = Events.intent(new RingEvent(), MASTER_KEY, T0 + 1_000, Action.OPEN, Side.BUY, "EURUSD", 1, 1.1);
            alert.clientId.set("sig-crash");
            alert.bodyHash = 99;
            handler.onEvent(alert, seq++, true);
            assertThat(handler.isFailStopped()).isTrue();
        }
        // Restart: replay the journal (master + the first copy), then the retried alert.
        RoutingPipeline restarted = pipeline();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RingEvent e = new RingEvent();
            try (JournalReader reader = journal.readerAfter(0)) {
                while (reader.next(e)) {
                    restarted.replay().apply(e);
                }
            }
            restarted.replay().finish();
            RouterState state = restarted.state();
            int eurusd = state.symbols().intern("EURUSD");
            assertThat(state.positions().quantity(FOLLOWERS[0], eurusd)).as("the journaled copy").isEqualTo(2.0);
            assertThat(state.positions().quantity(FOLLOWERS[2], state.symbols().intern("EURUSD.M")))
                    .as("the lost copy").isZero();

            RingEvent[] answered = new RingEvent[1];
            RoutingHandler handler = new RoutingHandler(restarted, journal);
            RingEvent retry = Events.intent(new RingEvent(), MASTER_KEY, T0 + 5_000, Action.OPEN, Side.BUY, "EURUSD", 1, 1.1);
            retry.clientId.set("sig-crash");
            retry.bodyHash = 99;
            retry.replyTo = decided -> {
                answered[0] = new RingEvent();
                answered[0].copyFrom(decided);
            };
            handler.onEvent(retry, 0, true);

            assertThat(answered[0].repeatOfIndex).as("the master's own order is not placed again").isNotZero();
            assertThat(state.positions().quantity(MASTER, eurusd)).isEqualTo(1.0);
            assertThat(state.positions().quantity(FOLLOWERS[0], eurusd)).as("not doubled").isEqualTo(2.0);
            assertThat(state.positions().quantity(FOLLOWERS[2], state.symbols().intern("EURUSD.M")))
                    .as("completed").isEqualTo(5.0);
            assertThat(answered[0].copyAccepted).as("201 (a repeat), 203 and 205").isEqualTo(3);
        }
    }

    /**
     * A random run of master alerts (limits, stops, trails, closes), prices and follower changes on
     * paper accounts: the journal replays to exactly the live state at every checkpoint.
     */
    @Test
    void shouldRebuildEveryFollowersStateByReplayingTheJournal() {
        Supplier<RoutingPipeline> pipelines = CopyTradingTest::pipeline;
        RoutingPipeline live = pipelines.get();
        Random random = new Random(1818);
        List<String> digests = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        int[] copies = {0};
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RoutingHandler handler = new RoutingHandler(live, journal, e -> {
                if (e.isCopy() && e.outcome == Outcome.ACCEPTED) {
                    copies[0]++;
                }
            });
            long seq = 0;
            for (RingEvent c : setup()) {
                handler.onEvent(c, seq++, true);
            }
            double price = 1.08;
            long now = T0;
            for (int n = 0; n < 400; n++) {
                now += 1_000 + random.nextInt(60_000);
                price = Math.max(1.0, Math.round((price + random.nextGaussian() * 0.0008) * 100_000) / 100_000.0);
                int roll = random.nextInt(100);
                RingEvent e;
                if (roll < 30) {
                    e = new RingEvent();
                    e.type = EventType.PRICE;
                    e.receivedAtMillis = now;
                    e.symbol.set("EURUSD");
                    e.price = price;
                } else if (roll < 80) {
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    e = Events.intent(new RingEvent(), MASTER_KEY, now, Action.OPEN, side, "EURUSD",
                            1 + random.nextInt(3), price);
                    e.addToPosition = true;
                    if (random.nextBoolean()) {
                        e.protection(true, random.nextBoolean() ? StopMode.PIPS : StopMode.TRAIL, 10 + random.nextInt(30));
                    }
                } else if (roll < 92) {
                    Action action = roll < 88 ? Action.CLOSE : Action.CLOSE_ALL;
                    e = Events.intent(new RingEvent(), MASTER_KEY, now, action, null, "EURUSD",
                            random.nextBoolean() ? 0 : 1, price);
                } else {
                    int f = random.nextInt(FOLLOWERS.length);
                    e = control(ControlType.COPY_LINK, FOLLOWERS[f], FOLLOWER_USERS[f], false,
                            new CopyLink(f + 1, MASTER, FOLLOWERS[f], FOLLOWER_USERS[f],
                                    random.nextBoolean() ? null : SizeMode.QTY, 1 + random.nextInt(3),
                                    random.nextInt(3) > 0, Map.of()));
                    e.receivedAtMillis = now;
                }
                handler.onEvent(e, seq++, true);
                if (n % 40 == 39) {
                    digests.add(RouterStateDigest.describeAll(live.state()));
                    checkpoints.add(journal.lastIndex());
                }
            }
            assertThat(copies[0]).as("accepted copies").isGreaterThan(50);

            RoutingPipeline rebuilt = pipelines.get();
            RingEvent e = new RingEvent();
            int next = 0;
            try (JournalReader reader = journal.readerAfter(0)) {
                while (reader.next(e)) {
                    rebuilt.replay().apply(e);
                    if (next < checkpoints.size() && e.journalIndex == checkpoints.get(next)) {
                        rebuilt.replay().finish();
                        assertThat(RouterStateDigest.describeAll(rebuilt.state())).as("at journal index %d", e.journalIndex)
                                .isEqualTo(digests.get(next));
                        next++;
                    }
                }
            }
            assertThat(next).isEqualTo(checkpoints.size());
        }
    }

    /** Plans where pro (the accounts' plan at first) may lead without a limit, elite allows one follower, starter none. */
    private static RoutingPipeline planPipeline() {
        RoutingPipeline base = pipeline();
        Map<PlanTier, PlanLimits> plans = new EnumMap<>(PlanTier.class);
        for (PlanTier t : PlanTier.values()) {
            int followers = t == PlanTier.ELITE ? 1 : t == PlanTier.STARTER ? 0 : BillingConfig.UNLIMITED_FOLLOWERS;
            plans.put(t, new PlanLimits(t, 0, 0, List.of(), followers, Duration.ofDays(30), 0, ""));
        }
        return new RoutingPipeline(base.state(), TRIAL, new BillingConfig("", "", "https://api.stripe.com",
                Duration.ofDays(3), plans), new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())),
                io.tradeflow.core.venue.BrokerGateways.NONE);
    }

    private static RingEvent masterPlan(PlanTier tier) {
        RingEvent e = control(ControlType.PLAN_CHANGED, 0, MASTER_USER, false, null);
        e.controlCount = tier.code();
        return e;
    }

    /**
     * The follower limit is the master's plan's copy-followers, read in the ring from the plan PLAN_CHANGED set
     * (0 = the plan cannot lead), and copy.max-followers-per-master caps every plan; replay agrees.
     */
    @Test
    void shouldLimitFollowersByTheMastersPlanCappedByTheOperatorLimit() {
        RoutingPipeline live = planPipeline();
        live.state().copy().maxFollowersPerMaster(3);
        List<RingEvent> journaled = new ArrayList<>();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RoutingHandler handler = new RoutingHandler(live, journal, e -> {
                RingEvent copy = new RingEvent();
                copy.copyFrom(e);
                journaled.add(copy);
            });
            long seq = 0;
            for (RingEvent c : setup()) {
                handler.onEvent(c, seq++, true);
            }
            RingEvent[] answered = new RingEvent[1];
            long[] at = {T0 + 1_000};
            String[] symbols = {"EURUSD", "GBPUSD", "AUDUSD"};
            Supplier<RingEvent> alert = () -> {
                String symbol = symbols[(int) ((at[0] - T0) / 1_000 - 1)];
                RingEvent a = Events.intent(new RingEvent(), MASTER_KEY, at[0], Action.OPEN, Side.BUY, symbol, 1, 1.1);
                a.clientId.set("sig-" + at[0]);
                at[0] += 1_000;
                a.replyTo = decided -> {
                    answered[0] = new RingEvent();
                    answered[0].copyFrom(decided);
                };
                return a;
            };

            // Pro without a plan limit: the operator's cap of 3 decides (201 and 203 served, 204 stopped, 205 over).
            journaled.clear();
            handler.onEvent(alert.get(), seq++, true);
            assertThat(answered[0].copyAccepted).isEqualTo(2);
            assertThat(journaled.get(5).field).isEqualTo(CopyStage.RULE_MAX_FOLLOWERS);
            assertThat(journaled.get(5).reason).isEqualTo(CopyStage.OVER_LIMIT);

            // Elite allows one follower: 201 gets its copy, 203 and 205 are over the plan's limit (204 never reaches it:
            // the limit is checked before the follower's own rules, and the plan's one slot is taken by 201).
            handler.onEvent(masterPlan(PlanTier.ELITE), seq++, true);
            journaled.clear();
            handler.onEvent(alert.get(), seq++, true);
            assertThat(answered[0].copyAccepted).isEqualTo(1);
            assertThat(answered[0].copyRefusedByOutcome[Outcome.RISK_REJECTED.ordinal()]).isEqualTo(3);
            assertThat(journaled.get(1).outcome).isEqualTo(Outcome.ACCEPTED);
            assertThat(journaled.get(3).field).isEqualTo(CopyStage.RULE_MAX_FOLLOWERS);
            assertThat(journaled.get(3).reason).isEqualTo(CopyStage.OVER_PLAN);

            // Starter cannot lead: every active follower is refused, the paused one still says paused.
            handler.onEvent(masterPlan(PlanTier.STARTER), seq++, true);
            journaled.clear();
            handler.onEvent(alert.get(), seq++, true);
            assertThat(answered[0].outcome).as("the master's own order").isEqualTo(Outcome.ACCEPTED);
            assertThat(answered[0].copyAccepted).isZero();
            assertThat(answered[0].copyRefusedByOutcome[Outcome.RISK_REJECTED.ordinal()]).isEqualTo(4);
            assertThat(answered[0].copyRefusedByOutcome[Outcome.ACCOUNT_DISABLED.ordinal()]).isEqualTo(1);

            RouterState state = live.state();
            assertThat(state.positions().quantity(FOLLOWERS[0], state.symbols().intern("GBPUSD"))).isEqualTo(2.0);
            assertThat(state.positions().quantity(FOLLOWERS[2], state.symbols().intern("GBPUSD"))).isZero();
            assertThat(state.positions().quantity(FOLLOWERS[0], state.symbols().intern("AUDUSD"))).isZero();

            RoutingPipeline rebuilt = planPipeline();
            rebuilt.state().copy().maxFollowersPerMaster(3);
            RingEvent e = new RingEvent();
            try (JournalReader reader = journal.readerAfter(0)) {
                while (reader.next(e)) {
                    rebuilt.replay().apply(e);
                }
            }
            rebuilt.replay().finish();
            assertThat(RouterStateDigest.describeAll(rebuilt.state())).isEqualTo(RouterStateDigest.describeAll(state));
        }
    }
}
