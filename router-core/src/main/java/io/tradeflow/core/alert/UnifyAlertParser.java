package io.tradeflow.core.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.Ascii;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;

import java.io.IOException;

/**
 * Parses a unify.v1 alert with Jackson's streaming parser straight into a claimed ring event: no
 * tree, no POJO, no String per field. Any problem leaves the event rejected with
 * {@code INVALID_PAYLOAD} naming the field. One instance per thread.
 */
public final class UnifyAlertParser {
    public static final String VERSION = "unify.v1";
    private static final int MAX_DEPTH = 16;

    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(64)
                    .maxStringLength(4096)
                    .build())
            .build();
    private final KeyHasher hasher;

    /** Thrown inside the parser to stop at the first invalid field; no stack trace is filled. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid() {
            super(null, null, false, false);
        }
    }

    private static final Invalid INVALID = new Invalid();

    public UnifyAlertParser(KeyHasher hasher) {
        this.hasher = hasher;
    }

    /** Parses {@code body[offset, offset+length)} into {@code e}; on failure e is rejected. */
    public void parse(byte[] body, int offset, int length, RingEvent e) {
        if (isBlank(body, offset, length)) {
            e.reject(Outcome.INVALID_PAYLOAD, "body", "empty body: send a unify.v1 JSON alert");
            return;
        }
        try (JsonParser p = factory.createParser(body, offset, length)) {
            parseDocument(p, e);
        } catch (Invalid done) {
            // The event already carries the refusal.
        } catch (IOException ex) {
            e.reject(Outcome.INVALID_PAYLOAD, "body", "unreadable body");
        }
    }

    private void parseDocument(JsonParser p, RingEvent e) throws IOException, Invalid {
        try {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw fail(e, "body", "expected a JSON object");
            }
            boolean sawIntent = false;
            boolean sawStrategy = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "version":
                        if (!isText(value)
                                || !Ascii.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), VERSION)) {
                            throw fail(e, "version", "must be \"unify.v1\"");
                        }
                        break;
                    case "id":
                        if (!isScalar(value) || !e.clientId.set(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), false)) {
                            throw fail(e, "id", "must be printable text of at most 64 characters");
                        }
                        break;
                    case "ts":
                        e.signalTimeMillis = time(p, value, e, "ts");
                        break;
                    case "api_key":
                        if (!e.keyPresent) {
                            if (!isText(value) || !hasher.hash(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), e.keyHash)) {
                                throw fail(e, "api_key", "must be the account's API key");
                            }
                            e.keyPresent = true;
                        } else {
                            // A key from the header or query wins; an object or array here must still be skipped whole.
                            p.skipChildren();
                        }
                        break;
                    case "intent":
                        if (value != JsonToken.START_OBJECT) {
                            throw fail(e, "intent", "must be an object");
                        }
                        parseIntent(p, e);
                        sawIntent = true;
                        break;
                    case "strategy":
                        strategy(p, value, e, "strategy");
                        sawStrategy = true;
                        break;
                    case "user_context":
                        userContext(p, value, e, sawStrategy);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw fail(e, "body", "unexpected content after the JSON object");
            }
            if (!sawIntent) {
                throw fail(e, "intent", "is required");
            }
            validate(e);
        } catch (JsonProcessingException ex) {
            // Limit violations (nesting depth, number length) carry no location of their own.
            JsonLocation at = ex.getLocation() != null ? ex.getLocation() : p.currentLocation();
            e.reject(Outcome.INVALID_PAYLOAD, fieldPath(p), "malformed JSON at line "
                    + at.getLineNr() + ", column " + at.getColumnNr());
        }
    }

    /** The dotted path of the field being read when the JSON broke (e.g. {@code intent.sl.value}), or "body". */
    private static String fieldPath(JsonParser p) {
        String path = null;
        for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
            String name = c.getCurrentName();
            // An empty key ({"": …}) names nothing a client could find: fall back to the parent.
            if (name != null && !name.isEmpty()) {
                path = path == null ? name : name + "." + path;
            }
        }
        return path == null ? "body" : path;
    }

    /**
     * Reads {@code user_context.strategy}, the tag routers that keep the trader's own fields there
     * send; the top-level {@code strategy} wins when both are given. Other user fields are the
     * trader's own and skipped, whatever their shape.
     */
    private static void userContext(JsonParser p, JsonToken value, RingEvent e, boolean sawStrategy) throws IOException, Invalid {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("strategy".equals(name) && !sawStrategy) {
                strategy(p, v, e, "user_context.strategy");
            } else {
                p.skipChildren();
            }
        }
    }

    private static void strategy(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Invalid {
        try {
            StrategyTag.read(p, value, e, field);
        } catch (Refused refused) {
            throw INVALID;
        }
    }

    private void parseIntent(JsonParser p, RingEvent e) throws IOException, Invalid {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "broker":
                    if (!isText(value)) {
                        throw fail(e, "intent.broker", "must be one of paper, tradelocker, projectx, mtx");
                    }
                    BrokerKind broker = brokerOf(p);
                    if (broker == null) {
                        throw fail(e, "intent.broker", "must be one of paper, tradelocker, projectx, mtx");
                    }
                    if (e.requestedBroker != null && e.requestedBroker != broker) {
                        throw fail(e, "intent.broker", "does not match the broker in the URL");
                    }
                    e.requestedBroker = broker;
                    break;
                case "action":
                    e.action = actionOf(p, value, e);
                    break;
                case "side":
                    e.side = sideOf(p, value, e);
                    break;
                case "type":
                    e.orderType = orderTypeOf(p, value, e);
                    break;
                case "symbol":
                    symbol(p, value, e);
                    break;
                case "qty":
                    e.quantity = number(p, value, e, "intent.qty");
                    e.sizeMode = SizeMode.QTY;
                    break;
                case "size":
                    size(p, value, e);
                    break;
                case "price":
                    e.price = number(p, value, e, "intent.price");
                    break;
                case "stop_price":
                    e.orderPrice = number(p, value, e, "intent.stop_price");
                    break;
                case "add":
                    e.addToPosition = bool(p, value, e, "intent.add");
                    break;
                case "sl":
                    stop(p, value, e, true);
                    break;
                case "tp":
                    stop(p, value, e, false);
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    private static void validate(RingEvent e) throws Invalid {
        if (e.symbol.isEmpty() && e.action != Action.CLOSE_ALL) {
            throw fail(e, "intent.symbol", "is required");
        }
        if (e.action == Action.OPEN || e.action == Action.REVERSE) {
            if (e.side == null) {
                throw fail(e, "intent.side", "is required: buy or sell");
            }
            if (!(e.quantity > 0)) {
                throw fail(e, e.sizeMode == SizeMode.QTY ? "intent.qty" : "intent.size.value", "must be a number greater than 0");
            }
        }
        if (e.quantity < 0) {
            throw fail(e, "intent.qty", "must not be negative");
        }
        if (e.price < 0) {
            throw fail(e, "intent.price", "must not be negative");
        }
        if (e.orderType == OrderType.LIMIT) {
            // A limit order's price is its limit, not a market reference.
            if (!(e.price > 0)) {
                throw fail(e, "intent.price", "is required for a limit order: the limit price");
            }
            e.orderPrice = e.price;
            e.price = 0;
        } else if (e.orderType == OrderType.STOP && !(e.orderPrice > 0)) {
            throw fail(e, "intent.stop_price", "is required for a stop order: the trigger price");
        }
        if (!AlertChecks.check(e, AlertChecks.UNIFY)) {
            throw INVALID;
        }
    }

    private void stop(JsonParser p, JsonToken value, RingEvent e, boolean stopLoss) throws IOException, Invalid {
        String field = stopLoss ? "intent.sl" : "intent.tp";
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        StopMode mode = StopMode.PRICE;
        double amount;
        if (value == JsonToken.START_OBJECT) {
            amount = Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("mode".equals(name)) {
                    mode = stopModeOf(p, v, e, field + ".mode");
                } else if ("value".equals(name)) {
                    amount = number(p, v, e, field + ".value");
                } else {
                    p.skipChildren();
                }
            }
            if (Double.isNaN(amount)) {
                throw fail(e, field + ".value", "is required");
            }
        } else {
            amount = number(p, value, e, field);
        }
        if (!(amount > 0)) {
            throw fail(e, field + ".value", "must be greater than 0");
        }
        if (stopLoss && mode == StopMode.RR) {
            throw fail(e, "intent.sl.mode", "rr applies to take profit only");
        }
        if (!stopLoss && mode == StopMode.TRAIL) {
            throw fail(e, "intent.tp.mode", "trail applies to stop loss only");
        }
        e.protection(stopLoss, mode, amount);
    }

    private static void size(JsonParser p, JsonToken value, RingEvent e) throws IOException, Invalid {
        if (value != JsonToken.START_OBJECT) {
            throw fail(e, "intent.size", "must be an object such as {\"mode\":\"risk_percent\",\"value\":1}");
        }
        SizeMode mode = SizeMode.QTY;
        double amount = Double.NaN;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("mode".equals(name)) {
                mode = sizeModeOf(p, v, e);
            } else if ("value".equals(name)) {
                amount = number(p, v, e, "intent.size.value");
            } else {
                p.skipChildren();
            }
        }
        if (Double.isNaN(amount)) {
            throw fail(e, "intent.size.value", "is required");
        }
        if (!(amount > 0)) {
            throw fail(e, "intent.size.value", "must be a number greater than 0");
        }
        e.sizeMode = mode;
        e.quantity = amount;
    }

    private static SizeMode sizeModeOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Invalid {
        if (isText(value)) {
            for (SizeMode mode : SizeMode.all()) {
                if (Ascii.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), mode.wireName())) {
                    return mode;
                }
            }
        }
        throw fail(e, "intent.size.mode", "must be one of qty, percent_equity, risk_percent, notional, risk_amount");
    }

    private static boolean bool(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Invalid {
        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
            return value == JsonToken.VALUE_TRUE;
        }
        if (isText(value)) {
            char[] c = p.getTextCharacters();
            int o = p.getTextOffset();
            int l = p.getTextLength();
            if (Ascii.equalsIgnoreCase(c, o, l, "true")) {
                return true;
            }
            if (Ascii.equalsIgnoreCase(c, o, l, "false")) {
                return false;
            }
        }
        throw fail(e, field, "must be true or false");
    }

    private static StopMode stopModeOf(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Invalid {
        if (isText(value)) {
            for (StopMode mode : StopMode.all()) {
                if (mode != StopMode.NONE
                        && Ascii.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), mode.wireName())) {
                    return mode;
                }
            }
        }
        throw fail(e, field, "must be one of price, pips, ticks, percent, rr, trail, offset");
    }

    private static void symbol(JsonParser p, JsonToken value, RingEvent e) throws IOException, Invalid {
        if (!isText(value)) {
            throw fail(e, "intent.symbol", "must be text such as EURUSD");
        }
        if (!Symbols.set(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), e, "intent.symbol")) {
            throw INVALID;
        }
    }

    private static Action actionOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Invalid {
        if (isText(value)) {
            for (Action action : Action.all()) {
                if (Ascii.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), action.wireName())) {
                    return action;
                }
            }
        }
        throw fail(e, "intent.action", "must be one of open, close, close_long, close_short, close_all, reverse, cancel, modify");
    }

    private static Side sideOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Invalid {
        if (isText(value)) {
            char[] c = p.getTextCharacters();
            int o = p.getTextOffset();
            int l = p.getTextLength();
            if (Ascii.equalsIgnoreCase(c, o, l, "buy") || Ascii.equalsIgnoreCase(c, o, l, "long")) {
                return Side.BUY;
            }
            if (Ascii.equalsIgnoreCase(c, o, l, "sell") || Ascii.equalsIgnoreCase(c, o, l, "short")) {
                return Side.SELL;
            }
        }
        throw fail(e, "intent.side", "must be buy or sell");
    }

    private static OrderType orderTypeOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Invalid {
        if (isText(value)) {
            for (OrderType type : OrderType.values()) {
                if (Ascii.equalsIgnoreCase(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), type.wireName())) {
                    return type;
                }
            }
        }
        throw fail(e, "intent.type", "must be market, limit or stop");
    }

    private static BrokerKind brokerOf(JsonParser p) throws IOException {
        char[] c = p.getTextCharacters();
        int o = p.getTextOffset();
        int l = p.getTextLength();
        for (BrokerKind kind : BrokerKind.values()) {
            if (Ascii.equalsIgnoreCase(c, o, l, kind.wireName()) || Ascii.equalsIgnoreCase(c, o, l, kind.alias())) {
                return kind;
            }
        }
        return null;
    }

    /** A number, or a string holding one (TradingView placeholders arrive as strings). */
    private static double number(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Invalid {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_STRING) {
            double v = TextNumbers.parseDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (!Double.isNaN(v)) {
                return v;
            }
        }
        throw fail(e, field, "must be a number");
    }

    private static long time(JsonParser p, JsonToken value, RingEvent e, String field) throws IOException, Invalid {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_STRING) {
            long t = TextNumbers.parseTime(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (t >= 0) {
                return t;
            }
        }
        throw fail(e, field, "must be an ISO-8601 UTC time such as 2026-11-23T14:00:00Z, or epoch milliseconds");
    }

    private static boolean isText(JsonToken t) {
        return t == JsonToken.VALUE_STRING;
    }

    private static boolean isScalar(JsonToken t) {
        return t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT;
    }

    private static boolean isBlank(byte[] body, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static Invalid fail(RingEvent e, String field, String reason) {
        e.reject(Outcome.INVALID_PAYLOAD, field, reason);
        return INVALID;
    }
}
