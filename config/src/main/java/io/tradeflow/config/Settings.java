package io.tradeflow.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Typed, range-checked reads from a resolved {@link Config}. Every failure, whether Typesafe cannot convert the value
 * or the value is out of range, becomes an {@link InvalidConfigException} naming the key, so operators get one
 * consistent message shape instead of library internals.
 */
final class Settings {

    static final long KIB = 1024;
    static final long MIB = KIB * KIB;
    /** Values of these keys never appear in error messages, which end up in logs. */
    private static final Set<String> SECRET_KEYS =
            Set.of("database.password", "security.credential-key", "security.jwt-secret",
                    "mail.smtp.password",
                    "billing.stripe.secret-key", "billing.stripe.webhook-secret");

    private final Config config;

    Settings(Config config) {
        this.config = config;
    }

    /** An integer between {@code min} and {@code max} inclusive. */
    int intBetween(String key, int min, int max) {
        return integer(key, "an integer between " + min + " and " + max, v -> v >= min && v <= max);
    }

    /**
     * An integer accepted by {@code ok}. Fractions are rejected rather than truncated (Typesafe's own
     * {@code getInt} would silently turn 3.5 into 3).
     */
    int integer(String key, String allowed, IntPredicate ok) {
        Number number = read(key, allowed, config::getNumber);
        boolean whole = number instanceof Integer
                || number instanceof Long && number.longValue() == number.intValue();
        if (!whole || !ok.test(number.intValue())) {
            throw invalid(key, allowed);
        }
        return number.intValue();
    }

    /** A finite number greater than zero. */
    double positiveNumber(String key) {
        return number(key, "a number greater than 0", v -> v > 0);
    }

    /** A finite number of zero or more. */
    double nonNegativeNumber(String key) {
        return number(key, "a number >= 0", v -> v >= 0);
    }

    /** A number accepted by {@code ok}; NaN and infinities are always rejected as no limit can use them. */
    private double number(String key, String allowed, DoublePredicate ok) {
        double value = read(key, allowed, config::getDouble);
        if (!Double.isFinite(value) || !ok.test(value)) {
            throw invalid(key, allowed);
        }
        return value;
    }

    /** A byte size such as {@code 64KiB} between {@code min} and {@code max} bytes inclusive. */
    int sizeBetween(String key, long min, long max) {
        long bytes = read(key, "a size such as 64KiB", config::getBytes);
        if (bytes < min || bytes > max) {
            throw invalid(key, "a size between " + formatSize(min) + " and " + formatSize(max));
        }
        return (int) bytes;
    }

    /** A duration greater than zero; {@code example} shows the operator a sensible value. */
    Duration positiveDuration(String key, String example) {
        String allowed = "a positive duration such as " + example;
        Duration duration = read(key, allowed, config::getDuration);
        if (duration.isZero() || duration.isNegative()) {
            throw invalid(key, allowed);
        }
        return duration;
    }

    /** A duration of zero (meaning off) or more. */
    Duration nonNegativeDuration(String key, String example) {
        String allowed = "0 (off) or a positive duration such as " + example;
        Duration duration = read(key, allowed, config::getDuration);
        if (duration.isNegative()) {
            throw invalid(key, allowed);
        }
        return duration;
    }

    boolean bool(String key) {
        return read(key, "true or false", config::getBoolean);
    }

    /** Any string, including empty. */
    String string(String key) {
        return read(key, "a string", config::getString);
    }

    /** A string accepted by {@code ok}. */
    String stringMatching(String key, String allowed, Predicate<String> ok) {
        String value = read(key, allowed, config::getString);
        if (!ok.test(value)) {
            throw invalid(key, allowed);
        }
        return value;
    }

    /** A list of non-blank strings. */
    List<String> nonBlankStrings(String key, String allowed) {
        List<String> values = read(key, allowed, config::getStringList);
        if (values.stream().anyMatch(String::isBlank)) {
            throw invalid(key, allowed);
        }
        return values;
    }

    /** A list of literal IP addresses or CIDR blocks. */
    List<CidrBlock> cidrBlocks(String key) {
        String allowed = "a list of IP addresses or blocks such as [\"52.89.214.238\", \"34.212.75.0/24\", \"2001:db8::/32\"]";
        List<String> values = read(key, allowed, config::getStringList);
        return values.stream().map(v -> CidrBlock.parse(v).orElseThrow(() -> invalid(key, allowed))).toList();
    }

    /** A CPU list in Linux notation ({@code "1"}, {@code "2-3"}, {@code "0,2"}); empty is {@link CpuSet#NONE}. */
    CpuSet cpuSet(String key) {
        String allowed = "empty or a CPU list such as \"1\", \"2-3\" or \"0,2\" (CPU numbers up to " + CpuSet.MAX_CPU + ")";
        String value = read(key, allowed, config::getString);
        return CpuSet.parse(value).orElseThrow(() -> invalid(key, allowed));
    }

    /**
     * One of {@code type}'s constants, written in HOCON as the lower-case, hyphenated constant name
     * ({@code BUSY_SPIN} is {@code busy-spin}); case is ignored so environment values like {@code PRODUCTION} work.
     */
    <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        E[] constants = type.getEnumConstants();
        String allowed = "one of " + Arrays.stream(constants).map(Settings::hoconName).collect(Collectors.joining(", "));
        String value = read(key, allowed, config::getString);
        for (E constant : constants) {
            if (hoconName(constant).equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw invalid(key, allowed);
    }

    /** A non-blank filesystem path, made absolute against the working directory and normalized. */
    Path absolutePath(String key) {
        String allowed = "a filesystem path";
        String value = stringMatching(key, allowed, s -> !s.isBlank());
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(key, allowed, e);
        }
    }

    ZoneId zoneId(String key) {
        String allowed = "a time-zone ID such as UTC or America/New_York";
        String value = read(key, allowed, config::getString);
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw invalid(key, allowed, e);
        }
    }

    private InvalidConfigException invalid(String key, String allowed) {
        return invalid(key, allowed, null);
    }

    private InvalidConfigException invalid(String key, String allowed, Throwable cause) {
        return new InvalidConfigException(key, render(key), allowed, cause);
    }

    private <T> T read(String key, String allowed, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException e) {
            throw invalid(key, allowed, e);
        }
    }

    /** Renders the value of {@code key} as the operator wrote it, with secrets redacted. */
    private String render(String key) {
        if (!config.hasPathOrNull(key)) {
            return "<missing>";
        }
        if (config.getIsNull(key)) {
            return "null";
        }
        ConfigValue value = config.getValue(key);
        if (SECRET_KEYS.contains(key)) {
            return value.valueType() == ConfigValueType.STRING
                    ? Redaction.redact((String) value.unwrapped())
                    : Redaction.REDACTED;
        }
        return render(value);
    }

    /** Renders a value as written: strings unquoted (except empty, which would be invisible), numbers verbatim. */
    static String render(ConfigValue value) {
        if (value.valueType() != ConfigValueType.STRING) {
            return value.render(ConfigRenderOptions.concise());
        }
        String text = (String) value.unwrapped();
        return text.isEmpty() ? "\"\"" : text;
    }

    private static String hoconName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String formatSize(long bytes) {
        if (bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        if (bytes % KIB == 0) {
            return bytes / KIB + "KiB";
        }
        return bytes + "B";
    }
}
