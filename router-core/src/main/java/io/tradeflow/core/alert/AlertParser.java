package io.tradeflow.core.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.RingEvent;

import java.util.Arrays;

/**
 * The webhook body parser: detects which of the three alert languages the body is written in and
 * hands it to that parser, which writes the same ring event. Also stamps the body's hash, which
 * tells a reused idempotency key with a different body apart. One instance per thread.
 *
 * <p>Detection: a body whose first non-blank character is {@code {} is JSON (whatever the content
 * type, since TradingView labels JSON as text/plain when a placeholder breaks it); JSON with a
 * top-level {@code ticker} and no {@code intent} is TradersPost, any other JSON is unify.v1 (so its
 * parser names what is missing). Anything else is PineConnector text.
 */
public final class AlertParser {
    private static final byte[] INTENT = {'i', 'n', 't', 'e', 'n', 't'};
    private static final byte[] VERSION = {'v', 'e', 'r', 's', 'i', 'o', 'n'};
    private static final byte[] TICKER = {'t', 'i', 'c', 'k', 'e', 'r'};

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxNumberLength(64)
                    .maxStringLength(4096)
                    .build())
            .build();
    private final UnifyAlertParser unify;
    private final TradersPostAlertParser tradersPost;
    private final PineConnectorAlertParser pineConnector;

    public AlertParser(KeyHasher hasher, int maxBodyBytes) {
        this.unify = new UnifyAlertParser(hasher);
        this.tradersPost = new TradersPostAlertParser(factory, hasher);
        this.pineConnector = new PineConnectorAlertParser(hasher, maxBodyBytes);
    }

    public void parse(byte[] body, int offset, int length, RingEvent e) {
        e.bodyHash = BodyHash.of(body, offset, length);
        switch (detect(body, offset, length)) {
            case TRADERSPOST:
                tradersPost.parse(body, offset, length, e);
                break;
            case PINECONNECTOR:
                pineConnector.parse(body, offset, length, e);
                break;
            case UNIFY:
            default:
                e.format = AlertFormat.UNIFY;
                unify.parse(body, offset, length, e);
        }
    }

    /** Which language the body is written in; never fails (a broken body goes to the parser that explains best). */
    public AlertFormat detect(byte[] body, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (length >= 3 && (body[i] & 0xFF) == 0xEF && (body[i + 1] & 0xFF) == 0xBB && (body[i + 2] & 0xFF) == 0xBF) {
            i += 3;
        }
        while (i < end && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        if (i == end) {
            return AlertFormat.UNIFY;
        }
        if (body[i] == '[' || body[i] == '"') {
            return AlertFormat.UNIFY;
        }
        if (body[i] != '{') {
            return AlertFormat.PINECONNECTOR;
        }
        return hasTickerWithoutIntent(body, i, end) ? AlertFormat.TRADERSPOST : AlertFormat.UNIFY;
    }

    /**
     * Scans the object's top-level keys in the raw bytes (no Jackson parser: creating one per alert
     * just to look at the keys cost as much allocation as the parse itself). A key is a string at
     * depth 1 followed by a colon; strings are skipped with their escapes. A body that breaks
     * before telling: whatever was seen decides, and the chosen parser names the problem.
     * {@code body[open]} is the object's opening brace; {@code end} is exclusive.
     */
    static boolean hasTickerWithoutIntent(byte[] body, int open, int end) {
        int i = open;
        boolean ticker = false;
        int depth = 0;
        for (; i < end; i++) {
            byte c = body[i];
            if (c == '"') {
                int from = i + 1;
                i = closingQuote(body, from, end);
                if (i >= end) {
                    return ticker;
                }
                int next = skipBlanks(body, i + 1, end);
                if (depth == 1 && next < end && body[next] == ':') {
                    if (is(body, from, i, INTENT) || is(body, from, i, VERSION)) {
                        return false;
                    }
                    ticker |= is(body, from, i, TICKER);
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return ticker;
                }
            }
        }
        return ticker;
    }

    private static int skipBlanks(byte[] body, int i, int end) {
        while (i < end && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The index of the quote closing a string whose content starts at {@code i}, or {@code end}. */
    private static int closingQuote(byte[] body, int i, int end) {
        while (i < end && body[i] != '"') {
            i += body[i] == '\\' ? 2 : 1;
        }
        return Math.min(i, end);
    }

    private static boolean is(byte[] body, int from, int to, byte[] word) {
        return Arrays.equals(body, from, to, word, 0, word.length);
    }
}
