package io.tradeflow.core.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.RingEvent;

import java.io.IOException;

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
        return hasTickerWithoutIntent(body, offset, length) ? AlertFormat.TRADERSPOST : AlertFormat.UNIFY;
    }

    private boolean hasTickerWithoutIntent(byte[] body, int offset, int length) {
        boolean ticker = false;
        try (JsonParser p = factory.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if ("intent".equals(name) || "version".equals(name)) {
                    return false;
                }
                ticker |= "ticker".equals(name);
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException malformed) {
            // A body that breaks before telling: whatever was seen decides.
            return ticker;
        }
        return ticker;
    }
}
