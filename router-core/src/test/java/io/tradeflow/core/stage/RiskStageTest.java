package io.tradeflow.core.stage;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static io.tradeflow.core.stage.PipelineFixture.limits;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each risk rule refuses with RISK_REJECTED naming the rule; the rate limit answers RATE_LIMITED. */
final class RiskStageTest {
    private final PipelineFixture f = new PipelineFixture();

    private void use(RiskLimits limits) {
        f.state.riskLimits(ACCOUNT, limits);
    }

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static void assertRejectedBy(RingEvent e, String rule) {
        assertThat(e.outcome).isEqualTo(Outcome.RISK_REJECTED);
        assertThat(e.outcome.httpStatus()).isEqualTo(403);
        assertThat(e.field).isEqualTo(rule);
        assertThat(e.reason).isNotBlank();
        assertThat(e.orderId).isZero();
    }

    @Test
    void shouldRefuseAQuantityAboveTheMaximum() {
        use(limits(5, 0, 20, "", "UTC", List.of(), 100, Duration.ofMinutes(1)));

        assertRejectedBy(f.buy(T0, "EURUSD", 5.01, 100), RiskStage.RULE_MAX_QUANTITY);
        assertThat(f.buy(T0 + 1, "EURUSD", 5, 100).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseASymbolOutsideTheAllowedList() {
        use(limits(1000, 0, 20, "", "UTC", List.of("eurusd", "NQ1!"), 100, Duration.ofMinutes(1)));

        assertRejectedBy(f.buy(T0, "GBPUSD", 1, 100), RiskStage.RULE_ALLOWED_SYMBOLS);
        assertRejectedBy(f.buy(T0, "EURUSDX", 1, 100), RiskStage.RULE_ALLOWED_SYMBOLS);
        assertThat(f.buy(T0 + 1, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(f.buy(T0 + 2, "NQ1!", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // Winter: New York is UTC-5.
        "2026-11-23T14:29:59Z, false",
        "2026-11-23T14:30:00Z, true",
        "2026-11-23T20:59:00Z, true",
        "2026-11-23T21:00:00Z, false",
        // Summer: New York is UTC-4, the same local window is an hour earlier in UTC.
        "2026-07-01T13:29:00Z, false",
        "2026-07-01T13:30:00Z, true",
        "2026-07-01T19:59:00Z, true",
        "2026-07-01T20:00:00Z, false"
    })
    void shouldMeasureTradingHoursInTheAccountsTimeZone(String time, boolean open) {
        use(limits(1000, 0, 20, "09:30-16:00", "America/New_York", List.of(), 100, Duration.ofMinutes(1)));

        RingEvent e = f.buy(at(time), "AAPL", 1, 100);

        if (open) {
            assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        } else {
            assertRejectedBy(e, RiskStage.RULE_TRADING_HOURS);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-23T22:00:00Z, true",
        "2026-11-23T23:59:00Z, true",
        "2026-11-24T00:00:00Z, true",
        "2026-11-24T03:59:00Z, true",
        "2026-11-24T04:00:00Z, false",
        "2026-11-24T12:00:00Z, false",
        "2026-11-23T21:59:00Z, false"
    })
    void shouldHandleATradingWindowThatWrapsMidnight(String time, boolean open) {
        use(limits(1000, 0, 20, "22:00-04:00", "UTC", List.of(), 100, Duration.ofMinutes(1)));

        RingEvent e = f.buy(at(time), "BTCUSD", 1, 100);

        if (open) {
            assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        } else {
            assertRejectedBy(e, RiskStage.RULE_TRADING_HOURS);
        }
    }

    @Test
    void shouldAllowClosingOutsideTradingHours() {
        use(limits(1000, 0, 20, "09:30-16:00", "America/New_York", List.of(), 100, Duration.ofMinutes(1)));
        f.buy(at("2026-11-23T15:00:00Z"), "AAPL", 2, 100);

        RingEvent close = f.exit(at("2026-11-23T23:00:00Z"), Action.CLOSE, "AAPL", 110);

        assertThat(close.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.realizedPnl).isEqualTo(20.0);
    }

    @Test
    void shouldRefuseEntriesAfterTheDailyLossIsReachedUntilTheNextLocalDay() {
        use(limits(1000, 50, 20, "", "America/New_York", List.of(), 100, Duration.ofMinutes(1)));
        // 22:00 in New York on 23 November.
        long evening = at("2026-11-24T03:00:00Z");
        f.buy(evening, "EURUSD", 10, 100);

        RingEvent losingClose = f.exit(evening + 1000, Action.CLOSE, "EURUSD", 94);

        assertThat(losingClose.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(losingClose.realizedPnl).isEqualTo(-60.0);
        assertThat(losingClose.tradingDay).isEqualTo(LocalDate.of(2026, 11, 23).toEpochDay());
        assertThat(losingClose.dayRealizedPnl).isEqualTo(-60.0);
        assertRejectedBy(f.buy(at("2026-11-24T04:59:59Z"), "EURUSD", 1, 100), RiskStage.RULE_MAX_DAILY_LOSS);
        // Exits are still allowed on a day past the limit.
        assertThat(f.exit(at("2026-11-24T04:59:59Z"), Action.CLOSE, "GBPUSD", 100).outcome).isEqualTo(Outcome.ACCEPTED);

        RingEvent nextDay = f.buy(at("2026-11-24T05:00:00Z"), "EURUSD", 1, 100);
        assertThat(nextDay.outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseAtExactlyTheDailyLossButNotJustBelowIt() {
        use(limits(1000, 50, 20, "", "UTC", List.of(), 100, Duration.ofMinutes(1)));
        f.buy(T0, "EURUSD", 1, 100);
        f.exit(T0 + 1, Action.CLOSE, "EURUSD", 51);
        assertThat(f.account().realizedPnlOn(LocalDate.of(2026, 11, 23).toEpochDay())).isEqualTo(-49.0);
        assertThat(f.buy(T0 + 2, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);

        f.exit(T0 + 3, Action.CLOSE, "EURUSD", 99);

        assertRejectedBy(f.buy(T0 + 4, "EURUSD", 1, 100), RiskStage.RULE_MAX_DAILY_LOSS);
    }

    @Test
    void shouldRefuseANewPositionBeyondTheMaximumButAllowAddingToAnOpenOne() {
        use(limits(1000, 0, 2, "", "UTC", List.of(), 100, Duration.ofMinutes(1)));
        f.buy(T0, "EURUSD", 1, 100);
        f.sell(T0 + 1, "GBPUSD", 1, 100);

        assertRejectedBy(f.buy(T0 + 2, "USDJPY", 1, 100), RiskStage.RULE_MAX_OPEN_POSITIONS);
        assertThat(f.add(T0 + 3, Side.BUY, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);

        f.exit(T0 + 4, Action.CLOSE, "GBPUSD", 100);
        assertThat(f.account().openPositions()).isEqualTo(1);
        assertThat(f.buy(T0 + 5, "USDJPY", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(f.account().openPositions()).isEqualTo(2);
    }

    @Test
    void shouldBlockEntriesButNotExitsDuringAnEmergencyStop() {
        f.buy(T0, "EURUSD", 1, 100);
        f.state.emergencyStop(USER, true);

        assertRejectedBy(f.buy(T0 + 1, "EURUSD", 1, 100), RiskStage.RULE_EMERGENCY_STOP);
        assertThat(f.exit(T0 + 2, Action.CLOSE, "EURUSD", 100).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(f.quantity("EURUSD")).isZero();

        f.state.emergencyStop(USER, false);
        assertThat(f.buy(T0 + 3, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRateLimitByTheEventTimeAndResetInTheNextWindow() {
        use(limits(1000, 0, 20, "", "UTC", List.of(), 3, Duration.ofMinutes(1)));
        // Event times far from the wall clock prove the window follows receivedAtMillis only.
        long windowStart = at("2001-02-03T04:05:00Z");
        for (int i = 0; i < 3; i++) {
            assertThat(f.add(windowStart + 10_000 + i, Side.BUY, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
        }

        RingEvent limited = f.buy(windowStart + 10_500, "EURUSD", 1, 100);

        assertThat(limited.outcome).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(limited.outcome.httpStatus()).isEqualTo(429);
        assertThat(limited.retryAfterSeconds).isPositive().isEqualTo(50);
        assertThat(limited.orderId).isZero();
        // Closes count too, and are limited the same way.
        assertThat(f.exit(windowStart + 59_999, Action.CLOSE, "EURUSD", 100).outcome).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(f.quantity("EURUSD")).isEqualTo(3.0);

        RingEvent nextWindow = f.add(windowStart + 60_000, Side.BUY, "EURUSD", 1, 100);
        assertThat(nextWindow.outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRoundTheRetryDelayUpToAWholeSecond() {
        use(limits(1000, 0, 20, "", "UTC", List.of(), 1, Duration.ofSeconds(10)));
        long windowStart = at("2030-01-01T00:00:00Z");
        f.buy(windowStart, "EURUSD", 1, 100);

        RingEvent late = f.buy(windowStart + 9_999, "EURUSD", 1, 100);

        assertThat(late.outcome).isEqualTo(Outcome.RATE_LIMITED);
        assertThat(late.retryAfterSeconds).isEqualTo(1);
    }

    @Test
    void shouldNotCountRequestsRefusedBeforeTheRiskStage() {
        use(limits(1000, 0, 20, "", "UTC", List.of(), 1, Duration.ofMinutes(1)));
        f.process(Events.open("tf_unknown_key_xyz", T0, Side.BUY, "EURUSD", 1, 100));

        assertThat(f.buy(T0 + 1, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
    }
}
