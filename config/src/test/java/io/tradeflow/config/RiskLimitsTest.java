package io.tradeflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invariants and helpers of {@link RiskLimits}. */
final class RiskLimitsTest {

    @Test
    void shouldReportMinusOneWhenAlwaysOpen() {
        RiskLimits limits = limits("", List.of());

        assertThat(limits.tradingStartMinute()).isEqualTo(-1);
        assertThat(limits.tradingEndMinute()).isEqualTo(-1);
    }

    @Test
    void shouldComputeMinuteOfDayForTradingHours() {
        RiskLimits limits = limits("09:30-16:05", List.of());

        assertThat(limits.tradingStartMinute()).isEqualTo(9 * 60 + 30);
        assertThat(limits.tradingEndMinute()).isEqualTo(16 * 60 + 5);
    }

    @Test
    void shouldAllowWindowThatWrapsMidnight() {
        RiskLimits limits = limits("22:00-04:00", List.of());

        assertThat(limits.tradingStartMinute()).isEqualTo(22 * 60);
        assertThat(limits.tradingEndMinute()).isEqualTo(4 * 60);
    }

    @Test
    void shouldRejectMalformedTradingHoursWhenConstructedDirectly() {
        assertThatIllegalArgumentException().isThrownBy(() -> limits("24:00-01:00", List.of()));
    }

    @Test
    void shouldStoreSymbolsUpperCasedAndUnmodifiable() {
        List<String> symbols = new ArrayList<>(List.of("btcusd", "Aapl"));
        RiskLimits limits = limits("", symbols);
        symbols.add("eurusd");

        assertThat(limits.allowedSymbols()).containsExactly("BTCUSD", "AAPL");
        assertThatThrownBy(() -> limits.allowedSymbols().add("X")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static RiskLimits limits(String tradingHours, List<String> symbols) {
        return new RiskLimits(1000, 0, 20, tradingHours, ZoneId.of("UTC"), symbols, 120, Duration.ofMinutes(1));
    }
}
