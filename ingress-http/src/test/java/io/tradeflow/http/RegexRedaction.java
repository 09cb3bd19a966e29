package io.tradeflow.http;

import java.util.regex.Pattern;

/**
 * The webhook log's redaction as it was before {@link BodyRedactor}: regexes over the decoded
 * String, kept verbatim as the oracle the byte version must agree with.
 */
final class RegexRedaction {
    private static final String REDACTED = "[REDACTED]";
    /** {@code "api_key": "…"} in a JSON body (any spacing). */
    private static final Pattern JSON_KEY = Pattern.compile("(\"api_key\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");
    /** A TradeFlow API key anywhere (also when cut short by the cap). */
    private static final Pattern ANY_KEY = Pattern.compile("tf_[A-Za-z0-9_-]{4,}");

    private RegexRedaction() {
    }

    static String redact(String body) {
        String out = JSON_KEY.matcher(body).replaceAll("$1" + REDACTED + "$3");
        String trimmed = out.stripLeading();
        if (!trimmed.startsWith("{")) {
            int comma = trimmed.indexOf(',');
            int end = comma < 0 ? trimmed.length() : comma;
            if (end > 0) {
                out = REDACTED + trimmed.substring(end);
            }
        }
        return ANY_KEY.matcher(out).replaceAll(REDACTED);
    }
}
