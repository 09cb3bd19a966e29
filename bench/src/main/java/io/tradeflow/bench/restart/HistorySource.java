package io.tradeflow.bench.restart;

import io.tradeflow.broker.paper.PaperBroker;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.PaperConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.Venues;
import io.tradeflow.persistence.Database;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A history of alerts decided by the real pipeline with the paper broker and journaled, as the ring does
 * (the mix of {@code ProjectionThroughput}: per account and symbol an open when flat, a close when open,
 * ~1% close-alls, ~2% refused, half tagged with a strategy, a quarter with an idempotency key), plus ~1%
 * limit orders placed far from the price, which stay pending: start-up must restore them.
 */
final class HistorySource {
    private static final int ACCOUNTS = 100;
    private static final String[] SYMBOLS = {"EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCAD", "USDCHF", "NZDUSD",
        "EURGBP", "EURJPY", "GBPJPY", "XAUUSD", "XAGUSD", "US30", "NAS100", "SPX500", "GER40", "UK100", "BTCUSD",
        "ETHUSD", "USOIL"};
    /** The history ends about now: alerts are 10 ms apart, so 5 million span ~14 hours. */
    private final long t0;
    private final ChronicleJournal journal;
    private final RouterState state;
    private final RoutingPipeline pipeline;
    private final byte[][] keys = new byte[ACCOUNTS + 1][];
    private final boolean[][] open = new boolean[ACCOUNTS + 1][SYMBOLS.length];
    private final SplittableRandom random = new SplittableRandom(7);
    private final RingEvent e = new RingEvent();

    HistorySource(ChronicleJournal journal) {
        this.journal = journal;
        this.t0 = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
        RiskLimits limits = new RiskLimits(1_000, 0, 1_000, "", ZoneOffset.UTC, List.of(), Integer.MAX_VALUE,
                Duration.ofSeconds(1));
        AlertSettings alerts = new AlertSettings(100, Duration.ZERO, Duration.ZERO, Duration.ofHours(1), Map.of(), "");
        this.state = new RouterState(limits, alerts);
        Venues venues = new Venues(Map.of(BrokerKind.PAPER, new PaperBroker(new PaperConfig(100_000, 0.0002, 0, 0.01))));
        this.pipeline = new RoutingPipeline(state, new TrialConfig(1_000_000_000, Duration.ofDays(36_500)), venues);
        for (int id = 1; id <= ACCOUNTS; id++) {
            state.putAccount(id, id, BrokerKind.PAPER, true, t0 - Duration.ofDays(1).toMillis(), true, 0);
            keys[id] = KeyHasher.sha256("tf_bench_key_" + id);
            state.keys().add(keys[id], id);
        }
    }

    /** The router state the history left (for the checkpoint a clean stop would have written). */
    RouterState state() {
        return state;
    }

    /** The users and accounts the alerts belong to, as the dashboard would have created them. */
    void seed(Database db) {
        db.jdbi().useHandle(h -> {
            h.execute("insert into users (email) select 'bench' || g || '@example.com' from generate_series(1, "
                    + ACCOUNTS + ") g");
            h.execute("insert into broker_accounts (user_id, broker, label) select id, 'paper', 'bench' from users");
        });
    }

    /** Appends {@code n} decided alerts as fast as possible; returns the last journal index. */
    long append(int n) {
        long last = 0;
        boolean accepted = false;
        for (int i = 0; i < n; i++) {
            last = next(i);
            accepted |= e.outcome == Outcome.ACCEPTED;
        }
        if (!accepted) {
            throw new IllegalStateException("no alert was accepted: " + e.outcome + " " + e.reason);
        }
        return last;
    }

    private long next(int i) {
        int account = 1 + random.nextInt(ACCOUNTS);
        int symbol = random.nextInt(SYMBOLS.length);
        int dice = random.nextInt(100);
        e.reset();
        e.type = EventType.INTENT;
        e.receivedAtMillis = t0 + i / 100;
        e.receivedAtNanos = System.nanoTime();
        e.signalTimeMillis = e.receivedAtMillis;
        System.arraycopy(keys[account], 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
        e.keyPresent = true;
        e.symbol.set(SYMBOLS[symbol]);
        e.price = 1.0 + symbol + random.nextDouble() / 100;
        if (dice == 0) {
            e.action = Action.CLOSE_ALL;
            e.symbol.set("");
            Arrays.fill(open[account], false);
        } else if (dice < 3) {
            e.action = Action.OPEN;
            e.side = Side.BUY;
            e.quantity = 1_000_000;
        } else if (dice == 3) {
            // A buy limit far below the price: it stays pending for the rest of the history.
            e.action = Action.OPEN;
            e.side = Side.BUY;
            e.orderType = OrderType.LIMIT;
            e.quantity = 1;
            // As the alert parser leaves a limit: its price is the limit, not a market reference.
            e.orderPrice = e.price / 2;
            e.price = 0;
        } else if (open[account][symbol]) {
            e.action = Action.CLOSE;
            open[account][symbol] = false;
        } else {
            e.action = Action.OPEN;
            e.side = random.nextBoolean() ? Side.BUY : Side.SELL;
            e.quantity = 1 + random.nextInt(5);
            open[account][symbol] = true;
        }
        if (random.nextBoolean()) {
            e.strategy.set("strat-" + (account % 7));
        }
        if (random.nextInt(4) == 0) {
            e.clientId.set("tv-" + i);
        }
        pipeline.process(e);
        e.decisionNanos = System.nanoTime() - e.receivedAtNanos;
        long index = journal.append(e);
        e.journalIndex = index;
        pipeline.onJournaled(e);
        return index;
    }
}
