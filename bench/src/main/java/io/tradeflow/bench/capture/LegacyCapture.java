package io.tradeflow.bench.capture;

import java.util.regex.Pattern;

/**
 * The webhook log writer's redaction as it was before issue 19's change (regexes over the decoded
 * String), kept for the before/after measurements; the production code redacts bytes now
 * ({@code io.tradeflow.http.BodyRedactor}).
 */
public final class LegacyCapture {
    private static final Pattern JSON_KEY = Pattern.compile("(\"api_key\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");
    private static final Pattern ANY_KEY = Pattern.compile("tf_[A-Za-z0-9_-]{4,}");

    private LegacyCapture() {
    }

    public static String redact(String body) {
        String out = JSON_KEY.matcher(body).replaceAll("$1[REDACTED]$3");
        String trimmed = out.stripLeading();
        if (!trimmed.startsWith("{")) {
            int comma = trimmed.indexOf(',');
            int end = comma < 0 ? trimmed.length() : comma;
            if (end > 0) {
                out = "[REDACTED]" + trimmed.substring(end);
            }
        }
        return ANY_KEY.matcher(out).replaceAll("[REDACTED]");
    }
}
