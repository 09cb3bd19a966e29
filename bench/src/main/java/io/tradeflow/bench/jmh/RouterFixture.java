package io.tradeflow.bench.jmh;

import io.tradeflow.broker.paper.PaperBroker;
import io.tradeflow.config.PaperConfig;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.Venues;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Routing state and pre-filled events for the stage and ring benchmarks: a thousand paper
 * accounts with keys (so lookups hit a populated index), realistic risk rules (allowed symbols,
 * trading hours in a zone with daylight saving, a daily-loss limit) that every alert passes, a
 * trial user with room for a billion trades, and an alert cycle of an accepted open, the accepted
 * close that flattens it again (so positions stay bounded) and a refused entry.
 */
public final class RouterFixture {
    public static final int ACCOUNTS = 1_000;
    /** The account (and user) every benchmark alert trades on. */
    public static final long ACCOUNT_ID = 500;
    /** 09:00 in New York: inside the trading hours below. */
    public static final long NOW_MILLIS = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    /** Larger than the max quantity below, so this entry is refused by the risk stage. */
    public static final double REFUSED_QUANTITY = 5_000_000;

    private RouterFixture() {
    }

    public static RiskLimits limits() {
        return new RiskLimits(1_000_000, 1_000_000_000, 50, "00:00-23:59", ZoneId.of("America/New_York"),
                List.of("EURUSD", "GBPUSD", "XAUUSD"), Integer.MAX_VALUE, Duration.ofSeconds(1));
    }

    public static TrialConfig trial() {
        return new TrialConfig(1_000_000_000, Duration.ofDays(36_500));
    }

    /** The paper broker with a small spread, so fills move P&amp;L as in a real run. */
    public static Venues venues() {
        return new Venues(Map.of(BrokerKind.PAPER, new PaperBroker(new PaperConfig(100_000, 0.0002, 0, 0.01))));
    }

    public static String apiKey(long accountId) {
        return "tf_bench_key_" + accountId;
    }

    /** A state seeded as the launcher would: accounts on the trial plan, one key each. */
    public static RouterState seededState() {
        RouterState state = new RouterState(limits());
        long signup = NOW_MILLIS - Duration.ofDays(1).toMillis();
        for (long id = 1; id <= ACCOUNTS; id++) {
            state.putAccount(id, id, BrokerKind.PAPER, true, signup, true, 0);
            state.keys().add(KeyHasher.sha256(apiKey(id)), id);
        }
        return state;
    }

    /** An authenticated alert as ingress leaves it in the slot, before any stage ran. */
    public static RingEvent intent(Action action, Side side, double quantity) {
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        e.receivedAtMillis = NOW_MILLIS;
        e.keyPresent = new KeyHasher().hash(apiKey(ACCOUNT_ID), e.keyHash);
        e.action = action;
        e.side = side;
        e.symbol.set("EURUSD");
        e.quantity = quantity;
        e.price = 1.0854;
        if (action.isEntry()) {
            e.stopLossMode = StopMode.PRICE;
            e.stopLossValue = side == Side.BUY ? 1.0850 : 1.0858;
            e.takeProfitMode = StopMode.RR;
            e.takeProfitValue = 2.0;
        }
        e.signalTimeMillis = NOW_MILLIS;
        return e;
    }

    /** Accepted open buy, accepted close (flat again), refused entry (max quantity). */
    public static RingEvent[] cycle() {
        return new RingEvent[] {
            intent(Action.OPEN, Side.BUY, 1),
            intent(Action.CLOSE, null, 0),
            intent(Action.OPEN, Side.SELL, REFUSED_QUANTITY),
        };
    }

    /** The outcomes {@link #cycle()} must get, in order; benchmarks check them before measuring. */
    public static final Outcome[] CYCLE_OUTCOMES = {Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.RISK_REJECTED};

    /**
     * Fails fast when an event was not decided as the benchmark expects (a refusal where an
     * accepted order is meant would measure the wrong path).
     */
    public static void expect(RingEvent e, Outcome expected, String what) {
        if (e.outcome != expected) {
            throw new IllegalStateException(what + ": expected " + expected + " but was " + e.outcome
                    + " (" + e.field + ": " + e.reason + ")");
        }
        if (expected == Outcome.ACCEPTED && e.orderId == 0) {
            throw new IllegalStateException(what + ": accepted without an order (" + e.reason + ")");
        }
    }
}
