package io.tradeflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layering, key mapping and file handling of {@link ConfigLoader}. */
final class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shouldLoadReferenceDefaults() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());

        Path dataDir = Path.of("data").toAbsolutePath().normalize();
        assertThat(config.profile()).isEqualTo(Profile.DEMO);
        assertThat(config.dataDir()).isEqualTo(dataDir);
        assertThat(config.http()).isEqualTo(new HttpConfig("0.0.0.0", 8080, 64 * 1024, 8 * 1024, 4 * 1024, 10_000,
                Duration.ofSeconds(10), "", 6000, Duration.ofMinutes(1), List.of()));
        assertThat(config.ring()).isEqualTo(new RingConfig(4096, WaitStrategyKind.BLOCKING));
        assertThat(config.journal()).isEqualTo(new JournalConfig(true, dataDir.resolve("journal"), JournalSync.NONE));
        assertThat(config.trial()).isEqualTo(new TrialConfig(100, Duration.ofDays(3)));
        assertThat(config.risk()).isEqualTo(new RiskLimits(1000, 0, 20, "", ZoneId.of("UTC"), List.of(), 120,
                Duration.ofMinutes(1)));
        assertThat(config.paper()).isEqualTo(new PaperConfig(100_000, 0, 0, 0));
        assertThat(config.database()).isEqualTo(new DatabaseConfig("", "", "", 4));
        assertThat(config.database().embedded()).isTrue();
        assertThat(config.projection()).isEqualTo(new ProjectionConfig(1024, Duration.ofMillis(20)));
        assertThat(config.security()).isEqualTo(new SecurityConfig("", ""));
        // 002's lifetimes and bcrypt cost; mail off until a host is set.
        assertThat(config.auth()).isEqualTo(AuthConfig.defaults());
        assertThat(config.mail().enabled()).isFalse();
        assertThat(config.notifications()).isEqualTo(new NotificationsConfig(Duration.ofSeconds(10), 8, false));
    }

    @Test
    void shouldRedactTheSmtpPasswordAndRefuseABadPort() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(),
                Map.of("mail.smtp.host", "smtp.example.com", "mail.smtp.password", "hunter2"), Map.of());
        assertThat(config.mail().enabled()).isTrue();
        assertThat(config.mail().toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("mail.smtp.port", "0"), Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("mail.smtp.port");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("auth.bcrypt-cost", "3"), Map.of()))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("auth.bcrypt-cost");
    }

    @Test
    void shouldLoadAndValidateBrokerFailureHandling() {
        TradeFlowConfig defaults = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        TradeFlowConfig tuned = ConfigLoader.load(Optional.empty(),
                Map.of("brokers.request-timeout", "800ms", "brokers.circuit-failure-threshold", "1"), Map.of());

        assertThat(defaults.brokers().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.brokers().circuitFailureThreshold()).isEqualTo(3);
        assertThat(defaults.brokers().reconcileInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(tuned.brokers().requestTimeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(tuned.brokers().circuitFailureThreshold()).isEqualTo(1);
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("brokers.circuit-failure-threshold", "0"), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("brokers.circuit-failure-threshold");
    }

    @Test
    void shouldLoadAndValidateTheBrokerUrlsDashboardAccountsLogInTo() {
        TradeFlowConfig defaults = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        TradeFlowConfig local = ConfigLoader.load(Optional.empty(),
                Map.of("brokers.projectx-url", "http://127.0.0.1:8123/"), Map.of());

        assertThat(defaults.brokers().tradeLockerDemoUrl()).hasToString("https://demo.tradelocker.com/backend-api");
        assertThat(defaults.brokers().tradeLockerLiveUrl()).hasToString("https://live.tradelocker.com/backend-api");
        assertThat(defaults.brokers().projectXUrl()).hasToString("https://api.topstepx.com");
        assertThat(local.brokers().projectXUrl()).as("trailing slash dropped").hasToString("http://127.0.0.1:8123");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("brokers.tradelocker-live-url", "ftp://x"), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("brokers.tradelocker-live-url");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("brokers.projectx-url", ""), Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("brokers.projectx-url");
    }

    @Test
    void shouldLetOperatorFileOverrideReference() throws IOException {
        Path file = write("""
                http { port = 9000, max-body-size = 1MiB }
                ring.wait-strategy = busy-spin
                risk.allowed-symbols = [btcusd, "ETHUSD"]
                """);

        TradeFlowConfig config = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());

        assertThat(config.http().port()).isEqualTo(9000);
        assertThat(config.http().maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.ring().waitStrategy()).isEqualTo(WaitStrategyKind.BUSY_SPIN);
        assertThat(config.risk().allowedSymbols()).containsExactly("BTCUSD", "ETHUSD");
    }

    @Test
    void shouldLetEnvironmentOverrideOperatorFile() throws IOException {
        Path file = write("http.port = 9000\nring.size = 1024\n");

        TradeFlowConfig config = ConfigLoader.load(Optional.of(file), Map.of(), Map.of("TRADEFLOW_HTTP_PORT", "9100"));

        assertThat(config.http().port()).isEqualTo(9100);
        assertThat(config.ring().size()).isEqualTo(1024);
    }

    @Test
    void shouldLetCliOverrideEnvironment() throws IOException {
        Path file = write("http.port = 9000\n");

        TradeFlowConfig config = ConfigLoader.load(Optional.of(file), Map.of("http.port", "9200"),
                Map.of("TRADEFLOW_HTTP_PORT", "9100", "TRADEFLOW_RING_SIZE", "2048"));

        assertThat(config.http().port()).isEqualTo(9200);
        assertThat(config.ring().size()).isEqualTo(2048);
    }

    @Test
    void shouldLetSystemPropertyOverrideEnvironmentButNotCli() {
        System.setProperty("http.port", "9300");
        System.setProperty("ring.size", "512");
        try {
            TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of("ring.size", "256"),
                    Map.of("TRADEFLOW_HTTP_PORT", "9100"));

            assertThat(config.http().port()).isEqualTo(9300);
            assertThat(config.ring().size()).isEqualTo(256);
        } finally {
            System.clearProperty("http.port");
            System.clearProperty("ring.size");
        }
    }

    @Test
    void shouldIgnoreSystemPropertiesThatAreNotKnownKeys() {
        System.setProperty("http.proxyHost", "proxy.example.com");
        try {
            assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).http().port()).isEqualTo(8080);
        } finally {
            System.clearProperty("http.proxyHost");
        }
    }

    @Test
    void shouldMapTradeflowDatabaseUrlEnvironmentVariable() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("TRADEFLOW_DATABASE_URL", "jdbc:postgresql://db:5432/tradeflow"));

        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/tradeflow");
        assertThat(config.database().embedded()).isFalse();
    }

    @Test
    void shouldMapDoubleUnderscoreToHyphenInEnvironmentVariables() {
        Path dataDir = dir.resolve("state");
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                "TRADEFLOW_HTTP_MAX__BODY__SIZE", "128KiB",
                "TRADEFLOW_DATA__DIR", dataDir.toString(),
                "TRADEFLOW_RISK_RATE__LIMIT_PER__WINDOW", "60",
                "TRADEFLOW_PROFILE", "PRODUCTION",
                "TRADEFLOW_SECURITY_CREDENTIAL__KEY", "k",
                "TRADEFLOW_SECURITY_JWT__SECRET", "s"));

        assertThat(config.http().maxBodyBytes()).isEqualTo(128 * 1024);
        assertThat(config.dataDir()).isEqualTo(dataDir);
        assertThat(config.journal().path()).isEqualTo(dataDir.resolve("journal"));
        assertThat(config.risk().rateLimitPerWindow()).isEqualTo(60);
        assertThat(config.profile()).isEqualTo(Profile.PRODUCTION);
    }

    @Test
    void shouldIgnoreUnknownTradeflowEnvironmentVariables() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                "TRADEFLOW_HOME", "/opt/tradeflow",
                "TRADEFLOW_HTTP_PROT", "1",
                "TRADEFLOW_HTTP", "x",
                "PATH", "/usr/bin"));

        assertThat(config.http().port()).isEqualTo(8080);
    }

    @Test
    void shouldSplitCommaSeparatedListsFromStringSources() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("TRADEFLOW_RISK_ALLOWED__SYMBOLS", " btcusd, ETHusd ,,"));

        assertThat(config.risk().allowedSymbols()).containsExactly("BTCUSD", "ETHUSD");
    }

    @Test
    void shouldResolveConfiguredJournalPathToAbsoluteNormalizedPath() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(),
                Map.of("journal.path", "relative/../journal-dir"), Map.of());

        assertThat(config.journal().path()).isAbsolute().isEqualTo(Path.of("journal-dir").toAbsolutePath());
    }

    @Test
    void shouldResolveSubstitutionsInOperatorFileAgainstAllLayers() throws IOException {
        Path file = write("projection.batch-size = ${ring.size}\n");

        TradeFlowConfig config = ConfigLoader.load(Optional.of(file), Map.of("ring.size", "128"), Map.of());

        assertThat(config.projection().batchSize()).isEqualTo(128);
    }

    @Test
    void shouldRejectUnknownKeyInOperatorFile() throws IOException {
        Path file = write("http {\n  prot = 9090\n}\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessageContaining("unknown key 'http.prot'")
                .withMessageContaining(file + ":2")
                .satisfies(e -> {
                    assertThat(e.key()).isEqualTo("http.prot");
                    assertThat(e.value()).isEqualTo("9090");
                });
    }

    @Test
    void shouldRejectUnknownTopLevelKeyInOperatorFile() throws IOException {
        Path file = write("dataDir = /tmp\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessageContaining("unknown key 'dataDir'");
    }

    @Test
    void shouldRejectUnknownCliKey() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("ring.sise", "64"), Map.of()))
                .withMessageStartingWith("unknown key 'ring.sise' in command-line overrides");
    }

    @Test
    void shouldRejectMissingOperatorFile() {
        Path missing = dir.resolve("missing.conf");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(missing), Map.of(), Map.of()))
                .withMessage("invalid config config-file = " + missing + ": must be an existing, readable HOCON file");
    }

    @Test
    void shouldRejectMalformedOperatorFile() throws IOException {
        Path file = write("http { port = 9090\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessageStartingWith("cannot read config file " + file + ": ");
    }

    @Test
    void shouldRejectUnresolvableSubstitutionInOperatorFile() throws IOException {
        Path file = write("database.url = ${NO_SUCH_VARIABLE_FOR_TRADEFLOW_TEST}\n");

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
                .withMessageStartingWith("cannot read config file " + file + ": ");
    }

    @Test
    void shouldRejectProductionProfileWithoutSecrets() {
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("profile", "production"), Map.of()))
                .withMessage("invalid config security.credential-key = \"\": must be non-empty in the production profile");
        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(Optional.empty(),
                        Map.of("profile", "production", "security.credential-key", "k"), Map.of()))
                .withMessage("invalid config security.jwt-secret = \"\": must be non-empty in the production profile");
    }

    @Test
    void shouldAcceptProductionProfileWithSecrets() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(), Map.of("profile", "production"),
                Map.of("TRADEFLOW_SECURITY_CREDENTIAL__KEY", "key", "TRADEFLOW_SECURITY_JWT__SECRET", "secret"));

        assertThat(config.profile()).isEqualTo(Profile.PRODUCTION);
        assertThat(config.security()).isEqualTo(new SecurityConfig("key", "secret"));
    }

    @Test
    void shouldKeepSecretsOutOfToString() {
        TradeFlowConfig config = ConfigLoader.load(Optional.empty(),
                Map.of("security.jwt-secret", "hunter2", "database.password", "swordfish"), Map.of());

        assertThat(config.toString()).doesNotContain("hunter2", "swordfish").contains("jwtSecret=<redacted>");
    }

    @Test
    void shouldFallBackToReferenceInFromConfig() {
        TradeFlowConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString("http.port = 0"));

        assertThat(config.http().port()).isZero();
        assertThat(config.ring().size()).isEqualTo(4096);
    }

    @Test
    void shouldRejectUnresolvedConfigInFromConfig() {
        assertThatThrownBy(() -> ConfigLoader.fromConfig(ConfigFactory.parseString("http.port = ${x}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Path write(String hocon) throws IOException {
        return Files.writeString(dir.resolve("tradeflow.conf"), hocon);
    }
}
