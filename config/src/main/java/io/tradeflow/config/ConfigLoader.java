package io.tradeflow.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Builds the validated {@link TradeFlowConfig} from layered sources. Highest priority first:
 * <ol>
 *   <li>command-line overrides ({@code http.port -> 9090});</li>
 *   <li>JVM system properties ({@code -Dhttp.port=9090});</li>
 *   <li>environment variables ({@code TRADEFLOW_HTTP_PORT=9090});</li>
 *   <li>the operator's HOCON file;</li>
 *   <li>{@code reference.conf}, which holds every default and so defines the set of known keys.</li>
 * </ol>
 * Validation happens once, here, so the rest of the system can trust every value and a misconfigured router fails
 * at start-up with a message naming the key instead of misbehaving while orders are in flight.
 */
public final class ConfigLoader {

    /**
     * Our top-level keys. Typesafe merges every {@code reference.conf} on the classpath, so anything else a library
     * ships is dropped to keep the set of known keys (used for unknown-key detection and environment mapping) ours.
     */
    private static final List<String> TOP_LEVEL_KEYS = List.of("profile", "data-dir", "http", "ring", "journal",
            "trial", "risk", "alerts", "instruments", "paper", "brokers", "database", "projection", "security",
            "prices", "threads", "auth", "mail", "notifications", "copy", "billing");
    private static final String ENV_PREFIX = "TRADEFLOW_";
    private static final String CLI_SOURCE = "command-line overrides";

    private static final Config REFERENCE = loadReference();
    /** Every leaf path in reference.conf, e.g. {@code http.port}. */
    private static final Set<String> KNOWN_KEYS = REFERENCE.entrySet().stream()
            .map(Map.Entry::getKey)
            .collect(Collectors.toUnmodifiableSet());
    /** Known keys holding lists; string sources give these as comma-separated values. */
    private static final Set<String> LIST_KEYS = REFERENCE.entrySet().stream()
            .filter(e -> e.getValue().valueType() == ConfigValueType.LIST)
            .map(Map.Entry::getKey)
            .collect(Collectors.toUnmodifiableSet());

    private ConfigLoader() {
    }

    /** Loads from reference.conf, the process environment and system properties, without an operator file. */
    public static TradeFlowConfig load() {
        return load(Optional.empty(), Map.of(), System.getenv());
    }

    /**
     * Loads and validates the layered configuration.
     *
     * @param operatorFile HOCON file written by the operator; it may only set keys defined in reference.conf
     * @param cliOverrides HOCON paths to values, e.g. {@code "http.port" -> "9090"}; unknown keys are rejected
     * @param environment  process environment; {@code TRADEFLOW_*} variables whose mapped path is not a known key are
     *                     ignored, since unrelated tooling may share the prefix
     * @throws InvalidConfigException if the file is missing or unreadable, a key is unknown, or a value is invalid
     */
    public static TradeFlowConfig load(Optional<Path> operatorFile, Map<String, String> cliOverrides,
                                       Map<String, String> environment) {
        cliOverrides.keySet().stream()
                .filter(key -> !KNOWN_KEYS.contains(key))
                .sorted()
                .findFirst()
                .ifPresent(key -> {
                    throw InvalidConfigException.unknownKey(key, cliOverrides.get(key), CLI_SOURCE);
                });
        Config merged = layer(cliOverrides, CLI_SOURCE)
                .withFallback(layer(systemProperties(), "system properties"))
                .withFallback(layer(environmentOverrides(environment), "environment variables"))
                .withFallback(operatorFile.map(ConfigLoader::parseOperatorFile).orElseGet(ConfigFactory::empty))
                .withFallback(REFERENCE);
        return fromConfig(resolve(merged, operatorFile));
    }

    /**
     * Validates an already resolved config, e.g. one built with {@code ConfigFactory.parseString} in a test. Missing
     * settings fall back to reference.conf; unknown keys are not checked here.
     *
     * @throws InvalidConfigException   if a value is invalid
     * @throws IllegalArgumentException if {@code resolved} still contains substitutions
     */
    public static TradeFlowConfig fromConfig(Config resolved) {
        Config complete = resolved.withFallback(REFERENCE);
        if (!complete.isResolved()) {
            throw new IllegalArgumentException("config must be resolved before validation");
        }
        Settings s = new Settings(complete);
        Profile profile = s.oneOf("profile", Profile.class);
        Path dataDir = s.absolutePath("data-dir");
        return new TradeFlowConfig(profile, dataDir, http(s), ring(s), journal(s, dataDir), trial(s), risk(s),
                alerts(s), instruments(s), paper(s), database(s), projection(s), security(s, profile), brokers(s),
                prices(s), threads(s), auth(s), mail(s), notifications(s), copy(s), billing(s));
    }

    private static AuthConfig auth(Settings s) {
        return new AuthConfig(
                s.positiveDuration("auth.access-token-ttl", "30m"),
                s.positiveDuration("auth.refresh-token-ttl", "7d"),
                s.intBetween("auth.bcrypt-cost", 4, 16),
                s.positiveDuration("auth.password-reset-ttl", "30m"),
                s.positiveDuration("auth.email-verification-ttl", "48h"),
                s.positiveDuration("auth.login-challenge-ttl", "5m"));
    }

    private static NotificationsConfig notifications(Settings s) {
        return new NotificationsConfig(
                s.positiveDuration("notifications.retry-base", "10s"),
                s.intBetween("notifications.max-attempts", 1, 50),
                s.bool("notifications.allow-private-urls"));
    }

    private static MailConfig mail(Settings s) {
        return new MailConfig(
                s.string("mail.smtp.host").trim(),
                s.intBetween("mail.smtp.port", 1, 65535),
                s.string("mail.smtp.from"),
                s.string("mail.smtp.username"),
                s.string("mail.smtp.password"),
                s.bool("mail.smtp.starttls"));
    }

    private static CopyConfig copy(Settings s) {
        return new CopyConfig(s.intBetween("copy.max-followers-per-master", 0, 1_000_000));
    }

    /** Plans and Stripe; {@code trial.*} stays the trial plan's trade and time limits. */
    private static BillingConfig billing(Settings s) {
        java.util.Map<PlanTier, PlanLimits> plans = new java.util.EnumMap<>(PlanTier.class);
        for (PlanTier tier : PlanTier.values()) {
            String p = "billing.plans." + tier.wireName() + ".";
            plans.put(tier, new PlanLimits(tier,
                    s.intBetween(p + "broker-accounts", 0, 1_000_000),
                    s.intBetween(p + "alerts-per-day", 0, 1_000_000_000),
                    s.nonBlankStrings(p + "brokers", "a list of broker names such as [paper, tradelocker]"),
                    s.intBetween(p + "copy-followers", 0, 1_000_000),
                    s.positiveDuration(p + "log-retention", "30d"),
                    s.nonNegativeNumber(p + "price-per-month"),
                    s.string(p + "price-id")));
        }
        return new BillingConfig(s.string("billing.stripe.secret-key"), s.string("billing.stripe.webhook-secret"),
                s.stringMatching("billing.stripe.api-base", "an absolute http(s) URL such as https://api.stripe.com",
                        url -> !url.isEmpty() && isEmptyOrHttpUrl(url)),
                s.positiveDuration("billing.grace-period", "3d"), plans);
    }

    private static ThreadsConfig threads(Settings s) {
        return new ThreadsConfig(s.cpuSet("threads.router-cpus"));
    }

    private static HttpConfig http(Settings s) {
        String publicBaseUrl = s.stringMatching("http.public-base-url",
                "empty or an absolute http(s) URL such as https://tradeflow.example.com",
                ConfigLoader::isEmptyOrHttpUrl);
        return new HttpConfig(
                s.stringMatching("http.host", "a host name or IP address such as 0.0.0.0",
                        Predicate.not(String::isBlank)),
                s.intBetween("http.port", 0, 65535),
                s.sizeBetween("http.max-body-size", 1, 16 * Settings.MIB),
                s.sizeBetween("http.max-header-size", Settings.KIB, Settings.MIB),
                s.sizeBetween("http.max-initial-line", 256, 64 * Settings.KIB),
                s.intBetween("http.max-connections", 1, 1_000_000),
                s.positiveDuration("http.request-timeout", "10s"),
                // Stripped so consumers can append "/path" without producing "//path".
                publicBaseUrl.replaceAll("/+$", ""),
                s.intBetween("http.per-ip-limit.per-window", 1, 100_000_000),
                s.positiveDuration("http.per-ip-limit.window", "1m"),
                s.cidrBlocks("http.webhook-allowed-sources"),
                corsOrigins(s));
    }

    private static final java.util.regex.Pattern ORIGIN =
            java.util.regex.Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    /**
     * Exact origins only: the API allows credentials (the Authorization header), so a wildcard
     * would hand every site the user's session; browsers refuse {@code *} with credentials anyway.
     */
    private static List<String> corsOrigins(Settings s) {
        String allowed = "exact origins such as [\"https://app.example.com\", \"http://localhost:3000\"]"
                + " (scheme, host and port; no path, no wildcard)";
        List<String> origins = s.nonBlankStrings("http.cors-origins", allowed);
        for (String origin : origins) {
            if (!ORIGIN.matcher(origin).matches()) {
                throw new InvalidConfigException("http.cors-origins", origin, allowed);
            }
        }
        return origins.stream().map(o -> o.toLowerCase(java.util.Locale.ROOT)).distinct().toList();
    }

    private static RingConfig ring(Settings s) {
        int minSize = 64;
        int maxSize = 1 << 22;
        return new RingConfig(
                s.integer("ring.size", "a power of two between " + minSize + " and " + maxSize,
                        v -> v >= minSize && v <= maxSize && Integer.bitCount(v) == 1),
                s.oneOf("ring.wait-strategy", WaitStrategyKind.class),
                s.nonNegativeDuration("ring.spin", "20us"));
    }

    private static JournalConfig journal(Settings s, Path dataDir) {
        boolean enabled = s.bool("journal.enabled");
        Path path = s.string("journal.path").isEmpty()
                ? dataDir.resolve("journal")
                : s.absolutePath("journal.path");
        return new JournalConfig(enabled, path, s.oneOf("journal.sync", JournalSync.class),
                s.nonNegativeDuration("journal.checkpoint-every", "5m"));
    }

    private static PricesConfig prices(Settings s) {
        PriceFeedKind feed = s.oneOf("prices.feed", PriceFeedKind.class);
        double speed = s.nonNegativeNumber("prices.csv.speed");
        if (feed != PriceFeedKind.CSV) {
            return new PricesConfig(feed, null, speed);
        }
        if (s.string("prices.csv.path").isBlank()) {
            throw new InvalidConfigException("prices.csv.path", "", "the CSV file to replay when prices.feed = csv");
        }
        return new PricesConfig(feed, s.absolutePath("prices.csv.path"), speed);
    }

    private static TrialConfig trial(Settings s) {
        return new TrialConfig(
                s.intBetween("trial.max-trades", 0, 1_000_000_000),
                s.positiveDuration("trial.duration", "3d"));
    }

    private static RiskLimits risk(Settings s) {
        return new RiskLimits(
                s.positiveNumber("risk.max-quantity"),
                s.nonNegativeNumber("risk.max-daily-loss"),
                s.intBetween("risk.max-open-positions", 0, 1_000_000),
                s.stringMatching("risk.trading-hours",
                        "empty (always open) or HH:mm-HH:mm with different start and end, such as 09:30-16:00"
                                + " or 22:00-04:00",
                        RiskLimits::isValidTradingHours),
                s.zoneId("risk.time-zone"),
                s.nonBlankStrings("risk.allowed-symbols", "a list of symbols such as [\"BTCUSD\", \"AAPL\"]"),
                s.intBetween("risk.rate-limit.per-window", 1, 1_000_000),
                s.positiveDuration("risk.rate-limit.window", "1m"));
    }

    private static BrokersConfig brokers(Settings s) {
        return new BrokersConfig(
                s.positiveDuration("brokers.request-timeout", "5s"),
                s.intBetween("brokers.circuit-failure-threshold", 1, 1000),
                s.positiveDuration("brokers.circuit-open-for", "30s"),
                s.positiveDuration("brokers.reconcile-interval", "1m"),
                s.positiveDuration("brokers.ea-heartbeat-timeout", "30s"),
                s.positiveDuration("brokers.ea-pickup-timeout", "30s"),
                brokerUrl(s, "brokers.tradelocker-demo-url"),
                brokerUrl(s, "brokers.tradelocker-live-url"),
                brokerUrl(s, "brokers.projectx-url"),
                s.positiveDuration("brokers.outcome-recheck-window", "15s"),
                s.stringMatching("brokers.tradelocker-server", "a TradeLocker server name such as OSP-DEMO, or \"\"",
                        v -> v.length() <= 64 && v.chars().noneMatch(c -> c < 0x21 || c > 0x7e)));
    }

    private static URI brokerUrl(Settings s, String key) {
        String url = s.stringMatching(key, "an http(s) URL without query, such as https://api.topstepx.com",
                u -> !u.isEmpty() && isEmptyOrHttpUrl(u));
        return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    private static AlertSettings alerts(Settings s) {
        List<String> entries = s.nonBlankStrings("alerts.symbol-map",
                "a list of TICKER=INSTRUMENT entries such as [\"NQ1!=MNQ\", \"OANDA:XAUUSD=XAUUSD\"]");
        java.util.Map<String, String> map = AlertSettings.parseSymbolMap(entries);
        if (map == null) {
            throw new InvalidConfigException("alerts.symbol-map", String.join(",", entries),
                    "a list of TICKER=INSTRUMENT entries such as [\"NQ1!=MNQ\", \"OANDA:XAUUSD=XAUUSD\"]");
        }
        return new AlertSettings(
                s.intBetween("alerts.pyramiding", 1, 100),
                s.nonNegativeDuration("alerts.duplicate-window", "5s"),
                s.nonNegativeDuration("alerts.max-signal-age", "30s"),
                s.positiveDuration("alerts.idempotency-window", "24h"),
                map,
                s.stringMatching("alerts.symbol-suffix", "empty or up to 8 letters, digits, '.', '_' or '-', such as .m",
                        AlertSettings::isValidSuffix));
    }

    /** The built-in table with the operator's entries on top (same symbol replaces), by symbol. */
    private static java.util.Map<String, InstrumentSpec> instruments(Settings s) {
        String allowed = "a list of \"SYMBOL contract=… pip=… tick=… tick-value=… step=… min=… max=…\" entries with"
                + " positive numbers and min <= max";
        java.util.Map<String, InstrumentSpec> table = new java.util.TreeMap<>();
        for (String key : List.of("instruments.defaults", "instruments.custom")) {
            for (String line : s.nonBlankStrings(key, allowed)) {
                InstrumentSpec spec = InstrumentSpec.parse(line);
                if (spec == null) {
                    throw new InvalidConfigException(key, line, allowed);
                }
                table.put(spec.symbol(), spec);
            }
        }
        return java.util.Collections.unmodifiableMap(table);
    }

    private static PaperConfig paper(Settings s) {
        String allowed = "a list of INSTRUMENT=SPREAD entries such as [\"EURUSD=0.00012\", \"XAUUSD=0.25\"]";
        java.util.Map<String, Double> spreads = new java.util.TreeMap<>();
        for (String entry : s.nonBlankStrings("paper.spreads", allowed)) {
            int eq = entry.indexOf('=');
            double spread = -1;
            if (eq > 0) {
                try {
                    spread = Double.parseDouble(entry.substring(eq + 1).strip());
                } catch (NumberFormatException e) {
                    spread = -1;
                }
            }
            if (!(spread >= 0) || Double.isInfinite(spread)) {
                throw new InvalidConfigException("paper.spreads", entry, allowed);
            }
            spreads.put(entry.substring(0, eq).strip().toUpperCase(java.util.Locale.ROOT), spread);
        }
        return new PaperConfig(
                s.positiveNumber("paper.starting-balance"),
                s.nonNegativeNumber("paper.spread"),
                s.nonNegativeNumber("paper.slippage"),
                s.nonNegativeNumber("paper.commission-per-unit"),
                spreads,
                s.nonNegativeNumber("paper.slippage-per-lot"),
                s.nonNegativeNumber("paper.slippage-cap"),
                s.nonNegativeNumber("paper.commission-minimum"),
                s.nonNegativeNumber("paper.leverage"));
    }

    private static DatabaseConfig database(Settings s) {
        return new DatabaseConfig(
                s.stringMatching("database.url",
                        "empty (embedded PostgreSQL) or a JDBC URL such as jdbc:postgresql://db:5432/tradeflow",
                        url -> url.isEmpty() || url.startsWith("jdbc:postgresql:")),
                s.string("database.user"),
                s.string("database.password"),
                s.intBetween("database.pool-size", 1, 64));
    }

    private static ProjectionConfig projection(Settings s) {
        return new ProjectionConfig(
                s.intBetween("projection.batch-size", 1, 10_000),
                s.positiveDuration("projection.poll-interval", "20ms"));
    }

    private static SecurityConfig security(Settings s, Profile profile) {
        return new SecurityConfig(secret(s, "security.credential-key", profile),
                secret(s, "security.jwt-secret", profile));
    }

    /** Demo may leave a secret empty (one is generated); production must never run with a made-up secret. */
    private static String secret(Settings s, String key, Profile profile) {
        if (profile == Profile.DEMO) {
            return s.string(key);
        }
        return s.stringMatching(key, "non-empty in the production profile", Predicate.not(String::isBlank));
    }

    private static boolean isEmptyOrHttpUrl(String url) {
        if (url.isEmpty()) {
            return true;
        }
        try {
            URI uri = new URI(url);
            return uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Config loadReference() {
        Config all = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf",
                ConfigParseOptions.defaults().setAllowMissing(false));
        Config ours = ConfigFactory.empty();
        for (String key : TOP_LEVEL_KEYS) {
            ours = ours.withFallback(all.withOnlyPath(key));
        }
        return ours.resolve();
    }

    private static Config parseOperatorFile(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidConfigException(InvalidConfigException.CONFIG_FILE_KEY, file.toString(),
                    "an existing, readable HOCON file");
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            throw InvalidConfigException.unreadableFile(file, e);
        }
        rejectUnknownKeys(parsed.root(), List.of(), file);
        return parsed;
    }

    /**
     * Walks the operator file and fails on the first key reference.conf does not define. Without this a typo such
     * as {@code http.prot} would be silently ignored and the router would start with the default.
     */
    private static void rejectUnknownKeys(ConfigObject object, List<String> parent, Path file) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            List<String> elements = new ArrayList<>(parent);
            elements.add(entry.getKey());
            String path = ConfigUtil.joinPath(elements);
            ConfigValue value = entry.getValue();
            if (!REFERENCE.hasPathOrNull(path)) {
                int line = value.origin().lineNumber();
                throw InvalidConfigException.unknownKey(path, Settings.render(value),
                        line > 0 ? file + ":" + line : file.toString());
            }
            if (value instanceof ConfigObject && REFERENCE.getValue(path).valueType() == ConfigValueType.OBJECT) {
                rejectUnknownKeys((ConfigObject) value, elements, file);
            }
        }
    }

    /** Only the operator file can hold substitutions (other layers are literal strings), so failures are its. */
    private static Config resolve(Config merged, Optional<Path> operatorFile) {
        try {
            return merged.resolve();
        } catch (ConfigException e) {
            throw InvalidConfigException.unreadableFile(operatorFile.orElseThrow(() -> e), e);
        }
    }

    /**
     * Known keys set with {@code -D}. Read directly rather than through {@code ConfigFactory.systemProperties()},
     * whose result Typesafe caches for the life of the JVM, so a property set after the first load would be ignored.
     * Only exact known keys are taken because the JDK itself uses {@code http.*} properties such as
     * {@code http.proxyHost}.
     */
    private static Map<String, String> systemProperties() {
        Properties properties = System.getProperties();
        Map<String, String> known = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (KNOWN_KEYS.contains(name)) {
                known.put(name, properties.getProperty(name));
            }
        }
        return known;
    }

    /**
     * Maps {@code TRADEFLOW_*} variables to HOCON paths: strip the prefix, lower-case, {@code __} to {@code -} and
     * {@code _} to {@code .}, so {@code TRADEFLOW_HTTP_MAX__BODY__SIZE} sets {@code http.max-body-size}.
     */
    private static Map<String, String> environmentOverrides(Map<String, String> environment) {
        Map<String, String> known = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                String path = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace("__", "-")
                        .replace('_', '.');
                if (KNOWN_KEYS.contains(path)) {
                    known.put(path, value);
                }
            }
        });
        return known;
    }

    /**
     * Turns path-to-string overrides into a config layer. Strings convert to numbers, sizes and durations on read;
     * lists cannot, so list keys are split on commas ({@code BTCUSD, ETHUSD}).
     */
    private static Config layer(Map<String, String> values, String source) {
        Map<String, Object> typed = new HashMap<>();
        values.forEach((key, value) -> typed.put(key, LIST_KEYS.contains(key) ? splitList(value) : value));
        return ConfigFactory.parseMap(typed, source);
    }

    private static List<String> splitList(String value) {
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(Predicate.not(String::isEmpty))
                .toList();
    }
}
