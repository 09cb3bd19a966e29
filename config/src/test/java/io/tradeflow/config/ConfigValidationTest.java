package io.tradeflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every invalid value must fail with {@code invalid config <key> = <value>: must be <allowed>}. */
final class ConfigValidationTest {

    @TempDir
    Path dir;

    @Test
    void shouldRejectOutOfRangePortFromOperatorFile() throws IOException {
        Path file = Files.writeString(dir.resolve("tradeflow.conf"), "http.port = 70000\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessage("invalid config http.port = 70000: must be an integer between 0 and 65535")
                .satisfies(e -> {
                    assertThat(e.key()).isEqualTo("http.port");
                    assertThat(e.value()).isEqualTo("70000");
                    assertThat(e.allowed()).isEqualTo("an integer between 0 and 65535");
                });
    }

    @Test
    void shouldRejectAHostNameInTheWebhookSourceAllowlist() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("http.webhook-allowed-sources", "52.89.214.238, tradingview.com"))
                .withMessageStartingWith("invalid config http.webhook-allowed-sources = ")
                .withMessageContaining("must be a list of IP addresses or blocks");
        assertThat(load("http.webhook-allowed-sources", "52.89.214.238, 10.0.0.0/8").http().webhookAllowedSources())
                .hasSize(2);
    }

    @Test
    void shouldAcceptExactCorsOriginsAndRefuseAWildcardOrAPath() {
        assertThat(load("http.cors-origins", "https://App.example.com, http://localhost:3000").http().corsOrigins())
                .containsExactly("https://app.example.com", "http://localhost:3000");
        assertThat(load("profile", "demo").http().corsOrigins()).as("default: same origin only").isEmpty();
        for (String bad : new String[] {"*", "https://*.example.com", "https://app.example.com/", "app.example.com"}) {
            assertThatExceptionOfType(InvalidConfigException.class).as(bad)
                    .isThrownBy(() -> load("http.cors-origins", bad))
                    .withMessageStartingWith("invalid config http.cors-origins = ")
                    .withMessageContaining("no wildcard");
        }
    }

    @Test
    void shouldConfigureTheCsvPriceFeedAndRequireItsPath() {
        assertThat(load("prices.feed", "none").prices().feed()).isEqualTo(PriceFeedKind.NONE);
        TradeFlowConfig csv = ConfigLoader.load(Optional.empty(),
                Map.of("prices.feed", "csv", "prices.csv.path", "ticks.csv", "prices.csv.speed", "60"), Map.of());
        assertThat(csv.prices().feed()).isEqualTo(PriceFeedKind.CSV);
        assertThat(csv.prices().csvPath().isAbsolute()).isTrue();
        assertThat(csv.prices().csvPath().getFileName().toString()).isEqualTo("ticks.csv");
        assertThat(csv.prices().csvSpeed()).isEqualTo(60);
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("prices.feed", "csv"))
                .withMessageStartingWith("invalid config prices.csv.path = ")
                .withMessageContaining("the CSV file to replay");
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("prices.feed", "kafka"))
                .withMessageContaining("must be one of none, csv");
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("prices.csv.speed", "-1"));
    }

    @Test
    void shouldAcceptEphemeralPortZero() {
        assertThat(load("http.port", "0").http().port()).isZero();
    }

    @Test
    void shouldListAllowedValuesForInvalidEnum() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("ring.wait-strategy", "fast"))
                .withMessage("invalid config ring.wait-strategy = fast: must be one of blocking, sleeping, yielding,"
                        + " busy-spin, lite-blocking, spin-then-park");
    }

    @Test
    void shouldWrapUnparseableSize() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("http.max-body-size", "abc"))
                .withMessage("invalid config http.max-body-size = abc: must be a size such as 64KiB")
                .satisfies(e -> {
                    assertThat(e.key()).isEqualTo("http.max-body-size");
                    assertThat(e.allowed()).isEqualTo("a size such as 64KiB");
                    assertThat(e.getCause()).isInstanceOf(com.typesafe.config.ConfigException.BadValue.class);
                });
    }

    @Test
    void shouldWrapWrongTypeFromOperatorFile() throws IOException {
        Path file = Files.writeString(dir.resolve("tradeflow.conf"), "journal.enabled = [true]\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessage("invalid config journal.enabled = [true]: must be true or false")
                .withCauseInstanceOf(com.typesafe.config.ConfigException.WrongType.class);
    }

    @Test
    void shouldRejectInvalidTimeZone() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("risk.time-zone", "Mars/Olympus"))
                .withMessage("invalid config risk.time-zone = Mars/Olympus: must be a time-zone ID such as UTC or"
                        + " America/New_York");
    }

    @ParameterizedTest
    @CsvSource({"9-17", "25:00-04:00", "09:00-09:00", "09:00 - 17:00", "09:00-17:60"})
    void shouldRejectMalformedTradingHours(String hours) {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("risk.trading-hours", hours))
                .withMessage("invalid config risk.trading-hours = " + hours + ": must be empty (always open) or"
                        + " HH:mm-HH:mm with different start and end, such as 09:30-16:00 or 22:00-04:00");
    }

    @ParameterizedTest
    @CsvSource({"1000", "32", "8388608", "-64"})
    void shouldRejectRingSizeThatIsNotAPowerOfTwoInRange(String size) {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load("ring.size", size))
                .withMessage("invalid config ring.size = " + size + ": must be a power of two between 64 and 4194304");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http.port                  | -1       | an integer between 0 and 65535
            http.port                  | 80.5     | an integer between 0 and 65535
            http.port                  | 99999999999 | an integer between 0 and 65535
            http.host                  | ' '      | a host name or IP address such as 0.0.0.0
            http.max-body-size         | 32MiB    | a size between 1B and 16MiB
            http.max-body-size         | 0        | a size between 1B and 16MiB
            http.max-header-size       | 2MiB     | a size between 1KiB and 1MiB
            http.max-initial-line     | 100      | a size between 256B and 64KiB
            http.max-connections       | 0        | an integer between 1 and 1000000
            http.request-timeout       | 0s       | a positive duration such as 10s
            http.request-timeout       | soon     | a positive duration such as 10s
            http.public-base-url       | ftp://x  | empty or an absolute http(s) URL such as https://tradeflow.example.com
            profile                    | staging  | one of demo, production
            data-dir                   | ' '      | a filesystem path
            journal.sync               | always   | one of none, per-write
            journal.enabled            | maybe    | true or false
            trial.max-trades           | -1       | an integer between 0 and 1000000000
            trial.duration             | -1d      | a positive duration such as 3d
            risk.max-quantity          | 0        | a number greater than 0
            risk.max-daily-loss        | -5       | a number >= 0
            risk.max-daily-loss        | NaN      | a number >= 0
            risk.max-open-positions    | -1       | an integer between 0 and 1000000
            risk.rate-limit.per-window | 0        | an integer between 1 and 1000000
            risk.rate-limit.window     | 0ms      | a positive duration such as 1m
            paper.starting-balance     | -1       | a number greater than 0
            paper.spread               | -0.5     | a number >= 0
            paper.slippage             | -0.01    | a number >= 0
            paper.commission-per-unit  | x        | a number >= 0
            database.url               | mysql://db | empty (embedded PostgreSQL) or a JDBC URL such as jdbc:postgresql://db:5432/tradeflow
            database.pool-size         | 65       | an integer between 1 and 64
            database.pool-size         | 0        | an integer between 1 and 64
            projection.batch-size      | 0        | an integer between 1 and 10000
            projection.batch-size      | 10001    | an integer between 1 and 10000
            projection.poll-interval   | 0ms      | a positive duration such as 20ms
            """)
    void shouldRejectOutOfRangeValues(String key, String value, String allowed) {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> load(key, value))
                .withMessage("invalid config " + key + " = " + value + ": must be " + allowed);
    }

    @Test
    void shouldRejectBlankSymbolInOperatorFile() throws IOException {
        Path file = Files.writeString(dir.resolve("tradeflow.conf"), "risk.allowed-symbols = [BTCUSD, \" \"]\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessage("invalid config risk.allowed-symbols = [\"BTCUSD\",\" \"]: must be a list of symbols such"
                        + " as [\"BTCUSD\", \"AAPL\"]");
    }

    @Test
    void shouldRedactSecretsInErrorMessages() throws IOException {
        Path file = Files.writeString(dir.resolve("tradeflow.conf"), "security.jwt-secret { nested = hunter2 }\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessage("invalid config security.jwt-secret = <redacted>: must be a string");
    }

    @Test
    void shouldStripTrailingSlashFromPublicBaseUrl() {
        assertThat(load("http.public-base-url", "https://tradeflow.example.com/").http().publicBaseUrl())
                .isEqualTo("https://tradeflow.example.com");
    }

    private static TradeFlowConfig load(String key, String value) {
        return ConfigLoader.load(Optional.empty(), Map.of(key, value), Map.of());
    }
}
