package io.tradeflow.core.stage;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.AlertSettingsDefaults;
import io.tradeflow.core.state.Position;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.Events;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** One paper account (id 7, user 70, key {@link #KEY}) behind a real pipeline with a reference-price venue. */
final class PipelineFixture {
    static final long ACCOUNT = 7;
    static final long USER = 70;
    static final String KEY = "tf_live_test_key_0123456789abcdef";
    static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    static final RiskLimits OPEN_LIMITS = limits(1000, 0, 20, "", "UTC", List.of(), 10_000, Duration.ofMinutes(1));

    final RouterState state;
    final RoutingPipeline pipeline;

    PipelineFixture(TrialConfig trial, boolean onTrial, long signupAt) {
        this(trial, onTrial, signupAt, AlertSettingsDefaults.NONE);
    }

    PipelineFixture(AlertSettings alerts) {
        this(new TrialConfig(100, Duration.ofDays(3)), false, T0 - Duration.ofDays(30).toMillis(), alerts);
    }

    PipelineFixture(TrialConfig trial, boolean onTrial, long signupAt, AlertSettings alerts) {
        state = new RouterState(OPEN_LIMITS, alerts);
        pipeline = new RoutingPipeline(state, trial, new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
        state.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, signupAt, onTrial, 0);
        state.keys().add(KeyHasher.sha256(KEY), ACCOUNT);
    }

    PipelineFixture() {
        this(new TrialConfig(100, Duration.ofDays(3)), false, T0 - Duration.ofDays(30).toMillis());
    }

    static RiskLimits limits(double maxQuantity, double maxDailyLoss, int maxOpenPositions, String tradingHours,
                             String zone, List<String> symbols, int perWindow, Duration window) {
        return new RiskLimits(maxQuantity, maxDailyLoss, maxOpenPositions, tradingHours, ZoneId.of(zone), symbols,
                perWindow, window);
    }

    RingEvent process(RingEvent e) {
        pipeline.process(e);
        return e;
    }

    RingEvent open(long at, Side side, String symbol, double qty, double price) {
        return process(Events.open(KEY, at, side, symbol, qty, price));
    }

    RingEvent buy(long at, String symbol, double qty, double price) {
        return open(at, Side.BUY, symbol, qty, price);
    }

    RingEvent sell(long at, String symbol, double qty, double price) {
        return open(at, Side.SELL, symbol, qty, price);
    }

    RingEvent add(long at, Side side, String symbol, double qty, double price) {
        return process(Events.add(KEY, at, side, symbol, qty, price));
    }

    RingEvent exit(long at, Action action, String symbol, double qty, double price) {
        return process(Events.exit(KEY, at, action, symbol, qty, price));
    }

    RingEvent exit(long at, Action action, String symbol, double price) {
        return process(Events.exit(KEY, at, action, symbol, price));
    }

    AccountState account() {
        return state.account(ACCOUNT);
    }

    Position position(String symbol) {
        return state.positions().get(ACCOUNT, state.symbols().intern(symbol));
    }

    double quantity(String symbol) {
        return state.positions().quantity(ACCOUNT, state.symbols().intern(symbol));
    }
}
