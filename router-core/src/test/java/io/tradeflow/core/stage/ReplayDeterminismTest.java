package io.tradeflow.core.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.config.JournalSync;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.state.AlertSettingsDefaults;
import io.tradeflow.core.state.RouterStateDigest;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal is the source of truth: replaying a journaled stream into a fresh state rebuilds
 * what the live stages built, and replaying it again changes nothing.
 */
final class ReplayDeterminismTest {
    private static final long T0 = Instant.parse("2026-11-23T13:00:00Z").toEpochMilli();
    static final RiskLimits LIMITS = new RiskLimits(5, 300, 3, "", ZoneId.of("America/New_York"), List.of(),
            12, Duration.ofMinutes(5));
    static final TrialConfig TRIAL = new TrialConfig(40, Duration.ofDays(3));
    private static final long[] ACCOUNTS = {11, 12, 21, 31, 41};
    private static final long[] USERS = {1, 1, 2, 3, 4};
    private static final BrokerKind[] BROKERS = {BrokerKind.PAPER, BrokerKind.PAPER, BrokerKind.PAPER,
        BrokerKind.PAPER, BrokerKind.TRADELOCKER};
    private static final String[] SYMBOLS = {"EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "NQ1!", "BTCUSD"};

    @TempDir
    Path dir;

    private static String key(long accountId, int generation) {
        return "tf_replay_" + accountId + "_" + generation;
    }

    static RoutingPipeline newPipeline() {
        return new RoutingPipeline(new RouterState(LIMITS), TRIAL,
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
    }

    /** A seeded stream of set-up controls, then ~500 mixed alerts and controls over several days. */
    static List<RingEvent> stream(long seed) {
        Random random = new Random(seed);
        List<RingEvent> events = new ArrayList<>();
        long now = T0;
        int[] keyGeneration = new int[ACCOUNTS.length];
        for (int i = 0; i < ACCOUNTS.length; i++) {
            boolean trial = USERS[i] >= 2;
            long signup = USERS[i] == 3 ? T0 - Duration.ofDays(1).toMillis() : T0;
            int used = USERS[i] == 2 ? 36 : 0;
            events.add(Events.accountAdded(new RingEvent(), now++, ACCOUNTS[i], USERS[i], BROKERS[i], true, signup,
                    trial, used));
            events.add(Events.key(new RingEvent(), now++, ControlType.KEY_ADDED, ACCOUNTS[i], USERS[i], key(ACCOUNTS[i], 0)));
        }
        double[] prices = new double[SYMBOLS.length];
        for (int s = 0; s < SYMBOLS.length; s++) {
            prices[s] = 50 + random.nextInt(100);
        }
        for (int n = 0; n < 500; n++) {
            now += 1_000 + random.nextInt(20 * 60_000);
            int a = random.nextInt(ACCOUNTS.length);
            if (random.nextInt(100) < 10) {
                events.add(randomControl(random, now, a, keyGeneration));
                if (events.get(events.size() - 1).controlType == ControlType.KEY_REVOKED && random.nextInt(4) > 0) {
                    events.add(Events.key(new RingEvent(), now + 1, ControlType.KEY_ADDED, ACCOUNTS[a], USERS[a],
                            key(ACCOUNTS[a], keyGeneration[a])));
                }
                continue;
            }
            int s = random.nextInt(SYMBOLS.length);
            prices[s] = Math.max(1, Math.round((prices[s] + random.nextGaussian() * 2) * 100) / 100.0);
            double price = random.nextInt(100) < 85 ? prices[s] : 0;
            String key = random.nextInt(100) < 3 ? "tf_replay_unknown"
                    : random.nextInt(100) < 2 ? null : key(ACCOUNTS[a], keyGeneration[a]);
            int roll = random.nextInt(100);
            Action action = roll < 55 ? Action.OPEN : roll < 70 ? Action.CLOSE : roll < 77 ? Action.CLOSE_LONG
                    : roll < 84 ? Action.CLOSE_SHORT : roll < 97 ? Action.REVERSE : Action.CLOSE_ALL;
            Side side = action.isEntry() ? (random.nextBoolean() ? Side.BUY : Side.SELL) : null;
            double qty = action.isEntry() ? 1 + random.nextInt(6) : 0;
            RingEvent e = Events.intent(new RingEvent(), key, now, action, side, SYMBOLS[s], qty, price);
            if (random.nextInt(100) < 3) {
                e.requestedBroker = BrokerKind.PROJECTX;
            }
            events.add(e);
        }
        return events;
    }

    private static final byte[] LOCALHOST = {127, 0, 0, 1};

    /**
     * {@link #stream} with everything else replay must rebuild exercised: alert-settings controls
     * (pyramiding 1 to 3, a duplicate window, a max signal age, a symbol map NQ1! → MNQ, a suffix),
     * allowed-source controls (some of which refuse this stream's 127.0.0.1), idempotency keys on a
     * third of the alerts (some repeated with the same body, some with another), and signal times
     * (some stale).
     */
    static List<RingEvent> richStream(long seed) {
        List<RingEvent> base = stream(seed);
        Random random = new Random(seed * 31 + 7);
        List<RingEvent> events = new ArrayList<>();
        // Keyed alerts by API key (an idempotency key is the account's own), to repeat them.
        Map<String, List<RingEvent>> keyed = new java.util.HashMap<>();
        int n = 0;
        for (RingEvent e : base) {
            if (e.type == EventType.INTENT && n > 0 && random.nextInt(100) < 8) {
                int a = random.nextInt(ACCOUNTS.length);
                events.add(random.nextInt(3) == 0 ? allowedSources(e.receivedAtMillis - 1, a, random)
                        : alertSettings(e.receivedAtMillis - 1, a, random));
            }
            if (e.type == EventType.INTENT) {
                e.source(LOCALHOST);
                String apiKey = java.util.HexFormat.of().formatHex(e.keyHash);
                List<RingEvent> ofKey = keyed.computeIfAbsent(apiKey, k -> new ArrayList<>());
                if (!ofKey.isEmpty() && random.nextInt(100) < 15) {
                    RingEvent first = ofKey.get(ofKey.size() - 1 - random.nextInt(Math.min(3, ofKey.size())));
                    e.clientId.copyFrom(first.clientId);
                    e.bodyHash = random.nextBoolean() ? first.bodyHash : first.bodyHash + 1;
                } else if (random.nextInt(100) < 30) {
                    e.clientId.set("cid-" + n);
                    e.bodyHash = 0x9E3779B97F4A7C15L * (n + 1);
                    ofKey.add(e);
                }
                if (random.nextInt(100) < 20) {
                    e.signalTimeMillis = e.receivedAtMillis - random.nextInt(20 * 60_000);
                }
                n++;
            }
            events.add(e);
        }
        return events;
    }

    private static RingEvent alertSettings(long now, int a, Random random) {
        RingEvent e = Events.control(new RingEvent(), now, ControlType.ALERT_SETTINGS, ACCOUNTS[a], USERS[a]);
        e.controlAlertSettings = new AlertSettings(1 + random.nextInt(3),
                Duration.ofMinutes(random.nextBoolean() ? 0 : 5 + random.nextInt(30)),
                Duration.ofMinutes(random.nextBoolean() ? 0 : 10),
                Duration.ofHours(random.nextBoolean() ? 1 : 24),
                random.nextBoolean() ? Map.of("NQ1!", "MNQ") : Map.of(), random.nextInt(4) == 0 ? ".M" : "");
        return e;
    }

    private static RingEvent allowedSources(long now, int a, Random random) {
        RingEvent e = Events.control(new RingEvent(), now, ControlType.SOURCE_ALLOWLIST, ACCOUNTS[a], USERS[a]);
        e.controlAllowedSources = switch (random.nextInt(3)) {
            case 0 -> List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow());
            case 1 -> List.of(CidrBlock.parse("127.0.0.0/8").orElseThrow());
            default -> List.of();
        };
        return e;
    }

    private static RingEvent randomControl(Random random, long now, int a, int[] keyGeneration) {
        switch (random.nextInt(4)) {
            case 0:
                return Events.control(new RingEvent(), now,
                        random.nextInt(5) == 0 ? ControlType.ACCOUNT_DISABLED : ControlType.ACCOUNT_ENABLED,
                        ACCOUNTS[a], USERS[a]);
            case 1:
                return Events.emergencyStop(new RingEvent(), now, USERS[a], random.nextInt(5) == 0);
            case 2:
                // Regenerate: the old key stops working, the next one is added right after.
                return Events.key(new RingEvent(), now, ControlType.KEY_REVOKED, ACCOUNTS[a], USERS[a],
                        key(ACCOUNTS[a], keyGeneration[a]++));
            default:
                return Events.key(new RingEvent(), now, ControlType.KEY_ADDED, ACCOUNTS[a], USERS[a],
                        key(ACCOUNTS[a], keyGeneration[a]));
        }
    }

    /** Everything replay promises to rebuild, keyed by account and symbol name (symbol ids may differ). */
    private static Map<String, Object> snapshot(RouterState state, long firstDay, long lastDay) {
        Map<String, Object> s = new TreeMap<>();
        s.put("lastOrderId", state.lastOrderId());
        s.put("accounts", state.accountCount());
        state.positions().forEach(p -> {
            if (!p.isFlat()) {
                String name = p.accountId() + "/" + state.symbols().name(p.symbolId());
                s.put("position " + name, p.quantity() + " @ " + p.averagePrice());
            }
        });
        for (int i = 0; i < ACCOUNTS.length; i++) {
            AccountState account = state.account(ACCOUNTS[i]);
            String id = "account " + ACCOUNTS[i];
            s.put(id + " enabled", account.enabled());
            s.put(id + " openPositions", account.openPositions());
            for (long day = firstDay; day <= lastDay; day++) {
                s.put(id + " pnl day " + day, account.realizedPnlOn(day));
            }
            s.put("user " + USERS[i] + " tradesUsed", account.user().tradesUsed());
            s.put("user " + USERS[i] + " emergencyStop", account.user().emergencyStop());
            for (int g = 0; g < 40; g++) {
                s.put("key " + key(ACCOUNTS[i], g), state.keys().accountFor(KeyHasher.sha256(key(ACCOUNTS[i], g))));
            }
        }
        return s;
    }

    /** The account's newest key that still authenticates, else its first one. */
    private static String currentKey(RouterState state, long accountId) {
        for (int g = 39; g >= 0; g--) {
            if (state.keys().accountFor(KeyHasher.sha256(key(accountId, g))) == accountId) {
                return key(accountId, g);
            }
        }
        return key(accountId, 0);
    }

    private static void replayAll(ChronicleJournal journal, RoutingPipeline pipeline) {
        RingEvent e = new RingEvent();
        try (JournalReader reader = journal.readerAfter(0)) {
            while (reader.next(e)) {
                pipeline.replay().apply(e);
            }
        }
    }

    @Test
    void shouldRebuildTheLiveStateByReplayingTheJournal() {
        RoutingPipeline live = newPipeline();
        List<RingEvent> events = richStream(20261123L);
        long firstDay = Math.floorDiv(T0, 86_400_000L) - 1;
        long lastDay = Math.floorDiv(events.get(events.size() - 1).receivedAtMillis, 86_400_000L) + 1;
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        // The live state every 25 events, to compare with the replay at the same point: a readable
        // map, and the digest of everything routing reads.
        Map<Integer, Map<String, Object>> checkpoints = new TreeMap<>();
        Map<Integer, String> digests = new TreeMap<>();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            for (int i = 0; i < events.size(); i++) {
                RingEvent e = events.get(i);
                live.process(e);
                e.journalIndex = journal.append(e);
                // As RoutingHandler does once the record is appended: remember its idempotency answer
                // and signal time (without this, "live" would never hold either).
                live.onJournaled(e);
                outcomes.merge(e.outcome, 1, Integer::sum);
                if ((i + 1) % 25 == 0 || i == events.size() - 1) {
                    checkpoints.put(i + 1, snapshot(live.state(), firstDay, lastDay));
                    digests.put(i + 1, RouterStateDigest.describeAll(live.state()));
                }
            }
            Map<String, Object> liveState = checkpoints.get(events.size());

            // The stream must exercise the interesting paths, or equality below would prove little.
            assertThat(outcomes).containsKeys(Outcome.ACCEPTED, Outcome.UNAUTHORIZED, Outcome.ACCOUNT_DISABLED,
                    Outcome.RISK_REJECTED, Outcome.INVALID_PAYLOAD, Outcome.BROKER_ERROR, Outcome.TRIAL_LIMIT,
                    Outcome.TRIAL_EXPIRED, Outcome.DUPLICATE, Outcome.STALE_SIGNAL, Outcome.SOURCE_NOT_ALLOWED,
                    Outcome.IDEMPOTENCY_CONFLICT);
            assertThat(events).as("repeats answered from the idempotency index").anyMatch(e -> e.repeatOfIndex != 0);
            assertThat(live.state().idempotency().size()).as("remembered idempotency answers").isPositive();
            assertThat(live.state().lastOrderId()).as("orders placed; outcomes %s", outcomes).isGreaterThan(50);
            assertThat(checkpoints.values()).as("some checkpoint holds open positions")
                    .anyMatch(c -> c.keySet().stream().anyMatch(k -> k.startsWith("position ")));
            assertThat(liveState.entrySet()).anyMatch(en -> en.getKey().contains(" pnl day ")
                    && ((Double) en.getValue()) != 0.0);

            RoutingPipeline rebuilt = newPipeline();
            int replayed = 0;
            RingEvent e = new RingEvent();
            try (JournalReader reader = journal.readerAfter(0)) {
                while (reader.next(e)) {
                    rebuilt.replay().apply(e);
                    replayed++;
                    if (checkpoints.containsKey(replayed)) {
                        assertThat(snapshot(rebuilt.state(), firstDay, lastDay)).as("after %d events", replayed)
                                .isEqualTo(checkpoints.get(replayed));
                        assertThat(RouterStateDigest.describeAll(rebuilt.state())).as("everything, after %d events", replayed)
                                .isEqualTo(digests.get(replayed));
                    }
                }
            }
            assertThat(replayed).isEqualTo(events.size());

            replayAll(journal, rebuilt);

            assertThat(snapshot(rebuilt.state(), firstDay, lastDay)).isEqualTo(liveState);
            assertThat(RouterStateDigest.describeAll(rebuilt.state())).as("replaying again changes nothing")
                    .isEqualTo(digests.get(events.size()));

            // The rebuilt state decides the next alerts exactly as the live one does: within the
            // duplicate and idempotency windows of the stream's last alerts, entries with and
            // without a price (the last price), the same entry again (pyramiding, duplicate
            // window), a repeated idempotency key with its body and with another, a stale signal,
            // then exits.
            long later = events.get(events.size() - 1).receivedAtMillis;
            List<RingEvent> lastKeyed = events.stream().filter(k -> k.type == EventType.INTENT && !k.clientId.isEmpty())
                    .toList();
            int decided = 0;
            Map<Outcome, Integer> followUps = new EnumMap<>(Outcome.class);
            // The stream leaves most accounts stopped or disabled; lift both on both sides (alert
            // settings, sources, positions, keys and windows stay as the stream left them).
            List<RingEvent> lifts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS.length; i++) {
                lifts.add(Events.emergencyStop(new RingEvent(), later += 1_000, USERS[i], false));
                lifts.add(Events.control(new RingEvent(), later += 1_000, ControlType.ACCOUNT_ENABLED, ACCOUNTS[i], USERS[i]));
            }
            for (RingEvent lift : lifts) {
                RingEvent copy = Events.copyOf(lift);
                live.process(lift);
                rebuilt.process(copy);
                assertThat(copy.outcome).isEqualTo(lift.outcome);
            }
            for (int i = 0; i < ACCOUNTS.length; i++) {
                String key = currentKey(live.state(), ACCOUNTS[i]);
                for (String symbol : SYMBOLS) {
                    List<RingEvent> next = new ArrayList<>();
                    next.add(Events.open(key, later += 30_000, Side.BUY, symbol, 1, 0));
                    next.add(Events.open(key, later += 30_000, Side.BUY, symbol, 1, 0));
                    next.add(Events.open(key, later += 30_000, Side.SELL, symbol, 2, 123.45));
                    RingEvent repeat = Events.open(key, later += 30_000, Side.BUY, symbol, 1, 0);
                    RingEvent keyedBefore = lastKeyed.get((i * SYMBOLS.length + next.size()) % lastKeyed.size());
                    repeat.clientId.copyFrom(keyedBefore.clientId);
                    repeat.bodyHash = keyedBefore.bodyHash;
                    next.add(repeat);
                    RingEvent conflict = Events.copyOf(repeat);
                    conflict.receivedAtMillis = later += 30_000;
                    conflict.bodyHash++;
                    next.add(conflict);
                    RingEvent stale = Events.open(key, later += 30_000, Side.SELL, symbol, 1, 0);
                    stale.signalTimeMillis = later - Duration.ofHours(2).toMillis();
                    next.add(stale);
                    next.add(Events.exit(key, later += 30_000, Action.CLOSE, symbol, 100));
                    for (RingEvent onLive : next) {
                        onLive.source(LOCALHOST);
                        RingEvent onRebuilt = Events.copyOf(onLive);

                        live.process(onLive);
                        rebuilt.process(onRebuilt);
                        onLive.journalIndex = onRebuilt.journalIndex = journal.lastIndex() + 1 + decided;
                        live.onJournaled(onLive);
                        rebuilt.onJournaled(onRebuilt);

                        assertThat(onRebuilt).as("follow-up %d", decided).usingRecursiveComparison()
                                .ignoringFields("symbol", "clientId", "decisionNanos")
                                .isEqualTo(onLive);
                        followUps.merge(onLive.outcome, 1, Integer::sum);
                        decided++;
                    }
                }
            }
            assertThat(followUps).as("the follow-ups reach the rules they are meant to").containsKeys(Outcome.ACCEPTED,
                    Outcome.DUPLICATE, Outcome.IDEMPOTENCY_CONFLICT, Outcome.STALE_SIGNAL);
            assertThat(RouterStateDigest.describeAll(rebuilt.state())).isEqualTo(RouterStateDigest.describeAll(live.state()));
            assertThat(snapshot(rebuilt.state(), firstDay, lastDay + 2)).isEqualTo(snapshot(live.state(), firstDay, lastDay + 2));
        }
    }

    /**
     * Paper accounts with limit and stop entries, stop losses, take profits and trailing stops, fed
     * by alerts' prices and PRICE ticks through the real routing handler: the journal (intents,
     * ticks and every TRIGGERED fill) replays to the identical state, checked every 50 ring events.
     */
    @Test
    void shouldRebuildPendingOrdersStopsTargetsAndTrailsByReplayingTheJournal() {
        Map<String, InstrumentSpec> instruments = Map.of("EURUSD", InstrumentSpec.parse(
                "EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.01 min=0.01 max=50"));
        RiskLimits open = new RiskLimits(1000, 0, 20, "", ZoneId.of("UTC"), List.of(), 100_000, Duration.ofMinutes(1));
        java.util.function.Supplier<RoutingPipeline> pipelines = () -> {
            RouterState s = new RouterState(open, AlertSettingsDefaults.NONE, instruments, 100_000);
            for (int i = 0; i < 4; i++) {
                s.putAccount(ACCOUNTS[i], USERS[i], BrokerKind.PAPER, true, T0 - Duration.ofDays(30).toMillis(), false, 0);
                s.keys().add(KeyHasher.sha256(key(ACCOUNTS[i], 0)), ACCOUNTS[i]);
            }
            return new RoutingPipeline(s, TRIAL, new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
        };
        RoutingPipeline live = pipelines.get();
        Random random = new Random(424242);
        Map<Long, String> digests = new TreeMap<>();
        int[] triggered = {0};
        Map<Long, Boolean> checkpointAt = new TreeMap<>();
        try (ChronicleJournal journal = new ChronicleJournal(dir, JournalSync.NONE)) {
            RoutingHandler handler = new RoutingHandler(live, journal, e -> {
                if (e.type == EventType.TRIGGERED && e.outcome == Outcome.ACCEPTED) {
                    triggered[0]++;
                }
            });
            double price = 1.08;
            long now = T0;
            for (int n = 0; n < 600; n++) {
                now += 1_000 + random.nextInt(60_000);
                price = Math.max(1.0, Math.round((price + random.nextGaussian() * 0.0008) * 100_000) / 100_000.0);
                RingEvent e;
                int a = random.nextInt(4);
                int roll = random.nextInt(100);
                if (roll < 45) {
                    e = new RingEvent();
                    e.type = EventType.PRICE;
                    e.receivedAtMillis = now;
                    e.symbol.set("EURUSD");
                    e.price = price;
                } else if (roll < 90) {
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    e = Events.intent(new RingEvent(), key(ACCOUNTS[a], 0), now, Action.OPEN, side, "EURUSD",
                            1 + random.nextInt(3), random.nextInt(4) == 0 ? 0 : price);
                    e.addToPosition = true;
                    int kind = random.nextInt(3);
                    double away = (5 + random.nextInt(30)) * 0.0001;
                    if (kind == 1) {
                        e.orderType = OrderType.LIMIT;
                        e.orderPrice = side == Side.BUY ? price - away : price + away;
                    } else if (kind == 2) {
                        e.orderType = OrderType.STOP;
                        e.orderPrice = side == Side.BUY ? price + away : price - away;
                    }
                    int stop = random.nextInt(3);
                    if (stop == 1) {
                        e.protection(true, StopMode.PIPS, 10 + random.nextInt(30));
                    } else if (stop == 2) {
                        e.protection(true, StopMode.TRAIL, 10 + random.nextInt(20));
                    }
                    if (random.nextBoolean()) {
                        e.protection(false, StopMode.PIPS, 10 + random.nextInt(40));
                    }
                } else {
                    Action action = roll < 95 ? Action.CANCEL : roll < 98 ? Action.CLOSE : Action.CLOSE_ALL;
                    e = Events.intent(new RingEvent(), key(ACCOUNTS[a], 0), now, action, null, "EURUSD", 0, price);
                }
                handler.onEvent(e, n, true);
                if (n % 50 == 49) {
                    digests.put(journal.lastIndex(), RouterStateDigest.of(live.state()));
                    checkpointAt.put(journal.lastIndex(), true);
                }
            }
            String liveDigest = RouterStateDigest.of(live.state());
            assertThat(triggered[0]).as("fills triggered by prices").isGreaterThan(20);

            RoutingPipeline rebuilt = pipelines.get();
            RingEvent e = new RingEvent();
            try (JournalReader reader = journal.readerAfter(0)) {
                while (reader.next(e)) {
                    rebuilt.replay().apply(e);
                    if (digests.containsKey(e.journalIndex)) {
                        // The live checkpoint was taken after the event's trail moves: flush them as the next record would.
                        rebuilt.replay().finish();
                        assertThat(RouterStateDigest.of(rebuilt.state())).as("at journal index %d", e.journalIndex)
                                .isEqualTo(digests.get(e.journalIndex));
                    }
                }
            }
            rebuilt.replay().finish();
            assertThat(RouterStateDigest.of(rebuilt.state())).isEqualTo(liveDigest);
            assertThat(rebuilt.state().pendingOrders().size()).isEqualTo(live.state().pendingOrders().size());
        }
    }

    @Test
    void shouldProduceTheSameDecisionsFromTheSameSeed() {
        RoutingPipeline first = newPipeline();
        RoutingPipeline second = newPipeline();
        List<RingEvent> a = stream(99);
        List<RingEvent> b = stream(99);

        for (int i = 0; i < a.size(); i++) {
            first.process(a.get(i));
            second.process(b.get(i));

            assertThat(b.get(i).outcome).as("event %d", i).isEqualTo(a.get(i).outcome);
            assertThat(b.get(i).orderId).as("event %d", i).isEqualTo(a.get(i).orderId);
            assertThat(b.get(i).positionQuantity).as("event %d", i).isEqualTo(a.get(i).positionQuantity);
            assertThat(b.get(i).dayRealizedPnl).as("event %d", i).isEqualTo(a.get(i).dayRealizedPnl);
        }
    }
}
