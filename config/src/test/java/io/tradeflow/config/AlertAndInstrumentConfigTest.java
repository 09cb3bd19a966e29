package io.tradeflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The alerts.* and instruments.* keys: defaults, overrides from the environment, and precise refusals. */
final class AlertAndInstrumentConfigTest {

    private static TradeFlowConfig load(Map<String, String> overrides) {
        return ConfigLoader.load(Optional.empty(), overrides, Map.of());
    }

    @Test
    void shouldShipAlertDefaultsAndAnInstrumentTable() {
        TradeFlowConfig config = load(Map.of());

        assertThat(config.alerts().pyramiding()).isEqualTo(1);
        assertThat(config.alerts().duplicateWindow()).isZero();
        assertThat(config.alerts().maxSignalAge()).as("a day-old signal is refused by default")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(config.alerts().idempotencyWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(config.alerts().symbolMap()).isEmpty();
        assertThat(config.instruments()).containsKeys("EURUSD", "USDJPY", "XAUUSD", "US30", "ES", "MES", "NQ", "MNQ", "CL",
                "GC", "BTCUSD", "ETHUSD");
        InstrumentSpec es = config.instruments().get("ES");
        assertThat(es.pointValue()).isEqualTo(50.0);
        assertThat(config.instruments().get("EURUSD").pointValue()).isCloseTo(100_000.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void shouldReadSymbolMapsAndCustomInstrumentsFromCommaSeparatedOverrides() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                "TRADEFLOW_ALERTS_SYMBOL__MAP", "nq1!=MNQ, OANDA:XAUUSD=XAUUSD",
                "TRADEFLOW_ALERTS_MAX__SIGNAL__AGE", "30s",
                "TRADEFLOW_INSTRUMENTS_CUSTOM", "EURUSD contract=100000 pip=0.0001 tick=0.00001 tick-value=1 step=0.1 min=0.1 max=5"));

        assertThat(config.alerts().symbolMap()).containsExactlyInAnyOrderEntriesOf(Map.of("NQ1!", "MNQ", "OANDA:XAUUSD", "XAUUSD"));
        assertThat(config.alerts().maxSignalAge()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.instruments().get("EURUSD").lotStep()).isEqualTo(0.1);
        assertThat(config.instruments().get("EURUSD").maxQuantity()).isEqualTo(5.0);
    }

    @Test
    void shouldRefuseAMalformedSymbolMapEntryNamingTheKey() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load(Map.of("alerts.symbol-map", "NQ1!")))
                .satisfies(e -> assertThat(e.key()).isEqualTo("alerts.symbol-map"));
    }

    @Test
    void shouldRefuseAnInstrumentEntryWithAMissingOrNonPositivePart() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load(Map.of("instruments.custom", "ACME contract=1 pip=0.01 tick=0.01 tick-value=0 step=1 min=1 max=10")))
                .satisfies(e -> {
                    assertThat(e.key()).isEqualTo("instruments.custom");
                    assertThat(e.allowed()).contains("positive numbers");
                });
        assertThat(InstrumentSpec.parse("ACME contract=1 pip=0.01 tick=0.01 step=1 min=1 max=10")).isNull();
        assertThat(InstrumentSpec.parse("ACME contract=1 pip=0.01 tick=0.01 tick-value=1 step=1 min=10 max=1")).isNull();
    }

    @Test
    void shouldRefuseAPyramidingOfZero() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load(Map.of("alerts.pyramiding", "0")))
                .withMessageContaining("alerts.pyramiding");
    }
}
