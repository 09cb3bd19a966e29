package io.tradeflow.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Number and time parsing straight from the parser's char buffer. */
final class TextNumbersTest {

    private static double parse(String text) {
        char[] chars = ("##" + text + "##").toCharArray();
        return TextNumbers.parseDouble(chars, 2, text.length());
    }

    private static long time(String text) {
        char[] chars = ("@" + text + "@").toCharArray();
        return TextNumbers.parseTime(chars, 1, text.length());
    }

    @Test
    void shouldMatchDoubleParseDoubleBitForBitOnRandomDecimals() {
        Random random = new Random(20261123L);
        for (int i = 0; i < 10_000; i++) {
            String text = randomDecimal(random);

            assertThat(Double.doubleToRawLongBits(parse(text)))
                    .as(text)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        }
    }

    private static String randomDecimal(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                // Prices as TradingView prints them.
                return String.format(Locale.ROOT, "%." + random.nextInt(8) + "f", random.nextDouble() * 100_000);
            case 1:
                // Arbitrary digit strings, up to 25 digits, with the point anywhere.
                return digits(random, 1 + random.nextInt(25), true);
            case 2:
                // Negative and signed values.
                return (random.nextBoolean() ? "-" : "+") + digits(random, 1 + random.nextInt(17), true);
            case 3:
                // Exact mantissas near 2^53 (the fast path's edge).
                long m = (1L << 53) - random.nextInt(1_000_000) + random.nextInt(1_000_000);
                BigDecimal d = BigDecimal.valueOf(m).movePointLeft(random.nextInt(23));
                return d.toPlainString();
            default:
                // Scientific notation (the JDK fallback).
                return digits(random, 1 + random.nextInt(6), true) + (random.nextBoolean() ? "e" : "E")
                        + (random.nextBoolean() ? "-" : "") + random.nextInt(300);
        }
    }

    private static String digits(Random random, int count, boolean withPoint) {
        StringBuilder sb = new StringBuilder(count + 1);
        int point = withPoint ? random.nextInt(count + 1) : -1;
        for (int i = 0; i < count; i++) {
            if (i == point && i > 0) {
                sb.append('.');
            }
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.0854|1.0854",
        "0.1|0.1",
        "'  42  '|42",
        "-0.5|-0.5",
        "+7|7",
        "1.|1",
        ".25|0.25",
        "1e3|1000",
        "2.5E-2|0.025",
        "0000123.4500|123.45",
        "123456789012345678901234567890|123456789012345678901234567890",
        "0.0000000000000000000000001|1e-25"
    })
    void shouldParseDecimalsTheWayAlertsSendThem(String text, double expected) {
        assertThat(parse(text)).isEqualTo(expected);
    }

    @Test
    void shouldKeepTheSignOfNegativeZero() {
        assertThat(Double.doubleToRawLongBits(parse("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "1.2.3", "abc", "NaN", "-NaN", "Infinity", "-Infinity", "1e400", "1e", "-",
        "+", ".", "1,5", "1 2", "0x10", "12abc", "{{close}}", "- 1", "1e5d", "2.5f", "1e5D"})
    void shouldRejectTextThatIsNotAFiniteDecimal(String text) {
        assertThat(parse(text)).isNaN();
    }

    @Test
    void shouldParseIsoTimesWithAndWithoutMillis() {
        assertThat(time("2026-11-23T14:00:00Z")).isEqualTo(Instant.parse("2026-11-23T14:00:00Z").toEpochMilli());
        assertThat(time("2026-11-23T14:00:00.123Z")).isEqualTo(Instant.parse("2026-11-23T14:00:00.123Z").toEpochMilli());
        assertThat(time("2026-11-23T14:00:00.1Z")).isEqualTo(Instant.parse("2026-11-23T14:00:00.100Z").toEpochMilli());
        assertThat(time("2026-11-23T14:00:00.123456789Z")).isEqualTo(Instant.parse("2026-11-23T14:00:00.123Z").toEpochMilli());
        assertThat(time("1970-01-01T00:00:00Z")).isZero();
        assertThat(time("2000-02-29T23:59:59z")).isEqualTo(Instant.parse("2000-02-29T23:59:59Z").toEpochMilli());
    }

    @Test
    void shouldParseRandomIsoTimesLikeJavaTime() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            long seconds = random.nextLong(Instant.parse("2200-01-01T00:00:00Z").getEpochSecond());
            int millis = random.nextInt(1000);
            LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, millis * 1_000_000, ZoneOffset.UTC);
            String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.getYear(),
                    t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), millis);

            assertThat(time(text)).as(text).isEqualTo(seconds * 1000 + millis);
        }
    }

    @Test
    void shouldReadSmallNumbersAsEpochSecondsAndLargeOnesAsMillis() {
        assertThat(time("1763906400")).isEqualTo(1_763_906_400_000L);
        assertThat(time("1763906400000")).isEqualTo(1_763_906_400_000L);
        assertThat(time("1763906400.25")).isEqualTo(1_763_906_400_250L);
        assertThat(time(" 1763906400000 ")).isEqualTo(1_763_906_400_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "-1", "2026-11-23", "2026-11-23T14:00:00", "2026-11-23T14:00:00+01:00",
        "2026-00-23T14:00:00Z", "2026-13-23T14:00:00Z", "2026-11-32T14:00:00Z", "2026-11-23T24:00:00Z",
        "2026-11-23T14:60:00Z", "2026-11-23T14:00:61Z", "2026/11/23T14:00:00Z", "2026-11-23 14:00:00Z",
        "2026-11-23T14-00-00Z", "2026-11-23T14:00:00,5Z", "2026-11-23T14:00:00.5aZ", "20x6-11-23T14:00:00Z",
        "2026-02-29T00:00:00Z", "2026-02-31T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-23T14:00:00.Z"})
    void shouldRejectTextThatIsNotATime(String text) {
        assertThat(time(text)).isEqualTo(-1);
    }

    @Test
    void shouldCountDaysLikeLocalDateToEpochDay() {
        for (LocalDate d = LocalDate.of(1600, 1, 1); d.isBefore(LocalDate.of(2401, 1, 1)); d = d.plusDays(1)) {
            assertThat(TextNumbers.daysFromCivil(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
                    .as("%s", d)
                    .isEqualTo(d.toEpochDay());
        }
    }

    @Test
    void shouldCountDaysOfRandomProlepticDatesLikeLocalDate() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            LocalDate d = LocalDate.ofEpochDay(random.nextLong(LocalDate.of(-4000, 1, 1).toEpochDay(),
                    LocalDate.of(9999, 12, 31).toEpochDay()));

            assertThat(TextNumbers.daysFromCivil(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
                    .as("%s", d)
                    .isEqualTo(d.toEpochDay());
        }
    }
}
