package io.tradeflow.core.alert;

/**
 * Parses numbers and times from the parser's character buffer without creating Strings, since
 * TradingView sends numbers as strings ({@code "{{close}}"} becomes {@code "1.0854"}).
 */
public final class TextNumbers {
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT = 1L << 53;

    private TextNumbers() {
    }

    /**
     * A finite decimal ({@code -12.5}, {@code 1e3}, surrounding spaces allowed), or NaN when the
     * text is not one. Short decimals take an exact fast path (mantissa below 2^53 divided by an
     * exact power of ten is correctly rounded); anything else falls back to the JDK.
     */
    public static double parseDouble(char[] buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && buf[i] == ' ') {
            i++;
        }
        while (end > i && buf[end - 1] == ' ') {
            end--;
        }
        if (i == end) {
            return Double.NaN;
        }
        int start = i;
        boolean negative = false;
        if (buf[i] == '-' || buf[i] == '+') {
            negative = buf[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = 0;
        boolean dot = false;
        boolean exact = true;
        for (; i < end; i++) {
            char c = buf[i];
            if (c >= '0' && c <= '9') {
                if (mantissa < MAX_EXACT / 10) {
                    mantissa = mantissa * 10 + (c - '0');
                    if (dot) {
                        fraction++;
                    }
                } else {
                    exact = false;
                }
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (c == 'e' || c == 'E') {
                return slowParse(buf, start, end - start);
            } else {
                return Double.NaN;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (!exact || fraction >= POW10.length) {
            return slowParse(buf, start, end - start);
        }
        double value = mantissa / POW10[fraction];
        return negative ? -value : value;
    }

    private static double slowParse(char[] buf, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = buf[i];
            // Double.parseDouble also takes "1e5d", "0x1p3" and "Infinity": refuse those here.
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                return Double.NaN;
            }
        }
        try {
            double v = Double.parseDouble(new String(buf, offset, length));
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Epoch millis from {@code 2026-11-23T14:00:00Z} (optionally with fractional seconds), or from
     * epoch seconds / milliseconds written as digits; -1 when the text is neither.
     */
    public static long parseTime(char[] buf, int offset, int length) {
        if (length >= 20 && length <= 30 && buf[offset + 4] == '-' && buf[offset + 10] == 'T'
                && (buf[offset + length - 1] == 'Z' || buf[offset + length - 1] == 'z')) {
            int year = digits(buf, offset, 4);
            int month = digits(buf, offset + 5, 2);
            int day = digits(buf, offset + 8, 2);
            int hour = digits(buf, offset + 11, 2);
            int minute = digits(buf, offset + 14, 2);
            int second = digits(buf, offset + 17, 2);
            if (buf[offset + 7] != '-' || buf[offset + 13] != ':' || buf[offset + 16] != ':'
                    || year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
                    || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
                return -1;
            }
            int millis = 0;
            int pos = offset + 19;
            int end = offset + length - 1;
            if (pos < end) {
                if (buf[pos] != '.' || pos + 1 == end) {
                    return -1;
                }
                int scale = 100;
                for (pos++; pos < end; pos++) {
                    char c = buf[pos];
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    millis += (c - '0') * scale;
                    scale /= 10;
                }
            }
            return (daysFromCivil(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second) * 1000L + millis;
        }
        double number = parseDouble(buf, offset, length);
        if (Double.isNaN(number) || number < 0) {
            return -1;
        }
        // TradingView's {{time}} is milliseconds; people also send seconds.
        return number < 1e11 ? (long) (number * 1000) : (long) number;
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static int digits(char[] buf, int offset, int count) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            char c = buf[offset + i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }
}
