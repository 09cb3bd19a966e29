package io.tradeflow.core.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;

import java.io.IOException;

/**
 * Reads a TradersPost-style JSON alert ({@code ticker}, {@code action}, {@code sentiment}, …) into
 * the same ring event as unify.v1. Field names are case-sensitive and unknown fields are ignored,
 * as TradersPost does; values are read case-insensitively. One instance per thread.
 */
public final class TradersPostAlertParser {
    static final AlertChecks.Fields FIELDS = new AlertChecks.Fields("quantityType", "stopLoss", "takeProfit");

    private enum Verb { BUY, SELL, EXIT, CANCEL, ADD }

    private enum Sentiment { NONE, BULLISH, BEARISH, FLAT }

    private final JsonFactory factory;
    private final KeyHasher hasher;

    TradersPostAlertParser(JsonFactory factory, KeyHasher hasher) {
        this.factory = factory;
        this.hasher = hasher;
    }

    public void parse(byte[] body, int offset, int length, RingEvent e) {
        e.format = AlertFormat.TRADERSPOST;
        try (JsonParser p = factory.createParser(body, offset, length)) {
            parseDocument(p, e);
        } catch (Refused done) {
            // The event already carries the refusal.
        } catch (JsonProcessingException ex) {
            JsonLocation at = ex.getLocation() != null ? ex.getLocation() : JsonLocation.NA;
            e.reject(io.tradeflow.core.event.Outcome.INVALID_PAYLOAD, "body",
                    "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } catch (IOException ex) {
            e.reject(io.tradeflow.core.event.Outcome.INVALID_PAYLOAD, "body", "unreadable body");
        }
    }

    private void parseDocument(JsonParser p, RingEvent e) throws IOException, Refused {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw Refused.of(e, "body", "expected a JSON object");
        }
        Verb verb = null;
        Sentiment sentiment = Sentiment.NONE;
        boolean sawQuantity = false;
        double limitPrice = 0;
        double stopPrice = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "ticker":
                    JsonValues.symbol(p, value, e, "ticker");
                    break;
                case "action":
                    verb = verbOf(p, value, e);
                    break;
                case "sentiment":
                    sentiment = sentimentOf(p, value, e);
                    break;
                case "quantity":
                    if (!JsonValues.isAbsent(p, value)) {
                        e.quantity = JsonValues.number(p, value, e, "quantity");
                        sawQuantity = true;
                    }
                    break;
                case "quantityType":
                    e.sizeMode = sizeModeOf(p, value, e);
                    break;
                case "orderType":
                    e.orderType = orderTypeOf(p, value, e);
                    break;
                case "limitPrice":
                    limitPrice = JsonValues.isAbsent(p, value) ? 0 : JsonValues.number(p, value, e, "limitPrice");
                    break;
                case "stopPrice":
                    stopPrice = JsonValues.isAbsent(p, value) ? 0 : JsonValues.number(p, value, e, "stopPrice");
                    break;
                case "price":
                    e.price = JsonValues.isAbsent(p, value) ? 0 : JsonValues.number(p, value, e, "price");
                    break;
                case "stopLoss":
                    stopLoss(p, value, e);
                    break;
                case "takeProfit":
                    takeProfit(p, value, e);
                    break;
                case "time":
                    if (!JsonValues.isAbsent(p, value)) {
                        e.signalTimeMillis = JsonValues.time(p, value, e, "time");
                    }
                    break;
                case "api_key":
                    apiKey(p, value, e);
                    break;
                case "strategy":
                    StrategyTag.read(p, value, e, "strategy");
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw Refused.of(e, "body", "unexpected content after the JSON object");
        }
        if (e.symbol.isEmpty()) {
            throw Refused.of(e, "ticker", "is required");
        }
        if (verb == null) {
            throw Refused.of(e, "action", "is required: buy, sell, exit, cancel or add");
        }
        apply(verb, sentiment, e);
        if (e.action.isEntry() && !(e.quantity > 0)) {
            throw Refused.of(e, "quantity", sawQuantity ? "must be a number greater than 0" : "is required to open a position");
        }
        if (e.quantity < 0) {
            throw Refused.of(e, "quantity", "must not be negative");
        }
        if (e.price < 0) {
            throw Refused.of(e, "price", "must not be negative");
        }
        if (e.orderType == OrderType.LIMIT) {
            if (!(limitPrice > 0)) {
                throw Refused.of(e, "limitPrice", "is required for a limit order");
            }
            e.orderPrice = limitPrice;
        } else if (e.orderType == OrderType.STOP) {
            if (!(stopPrice > 0)) {
                throw Refused.of(e, "stopPrice", "is required for a stop order");
            }
            e.orderPrice = stopPrice;
        }
        if (!AlertChecks.check(e, FIELDS)) {
            throw Refused.INSTANCE;
        }
    }

    /** Maps TradersPost's action and sentiment onto the router's actions. */
    private static void apply(Verb verb, Sentiment sentiment, RingEvent e) throws Refused {
        switch (verb) {
            case BUY:
                if (sentiment == Sentiment.BEARISH) {
                    throw Refused.of(e, "sentiment", "bearish contradicts action buy");
                }
                e.action = sentiment == Sentiment.FLAT ? Action.CLOSE_SHORT : Action.OPEN;
                e.side = Side.BUY;
                break;
            case SELL:
                if (sentiment == Sentiment.BULLISH) {
                    throw Refused.of(e, "sentiment", "bullish contradicts action sell");
                }
                e.action = sentiment == Sentiment.FLAT ? Action.CLOSE_LONG : Action.OPEN;
                e.side = Side.SELL;
                break;
            case ADD:
                if (sentiment != Sentiment.BULLISH && sentiment != Sentiment.BEARISH) {
                    throw Refused.of(e, "sentiment", "add needs bullish or bearish to say which side to add to");
                }
                e.action = Action.OPEN;
                e.side = sentiment == Sentiment.BULLISH ? Side.BUY : Side.SELL;
                e.addToPosition = true;
                break;
            case EXIT:
                e.action = Action.CLOSE;
                break;
            case CANCEL:
            default:
                e.action = Action.CANCEL;
                break;
        }
        if (!e.action.isEntry()) {
            // Exits close what is open; a quantity type is meaningless there.
            e.sizeMode = SizeMode.QTY;
        }
    }

    private void apiKey(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        if (e.keyPresent) {
            p.skipChildren();
            return;
        }
        if (value != JsonToken.VALUE_STRING || !hasher.hash(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), e.keyHash)) {
            throw Refused.of(e, "api_key", "must be the account's API key");
        }
        e.keyPresent = true;
    }

    private static void stopLoss(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            throw Refused.of(e, "stopLoss", "must be an object such as {\"type\":\"stop\",\"amount\":5}");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type":
                    if (!JsonValues.isAbsent(p, v) && !JsonValues.is(p, v, "stop")) {
                        throw Refused.of(e, "stopLoss.type", "must be stop (trailing and stop-limit stops are not supported)");
                    }
                    break;
                case "amount":
                    setStop(e, true, StopMode.OFFSET, p, v, "stopLoss.amount");
                    break;
                case "percent":
                    setStop(e, true, StopMode.PERCENT, p, v, "stopLoss.percent");
                    break;
                case "stopPrice":
                    setStop(e, true, StopMode.PRICE, p, v, "stopLoss.stopPrice");
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (e.stopLossMode == StopMode.NONE) {
            throw Refused.of(e, "stopLoss", "needs one of amount, percent or stopPrice");
        }
    }

    private static void takeProfit(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            throw Refused.of(e, "takeProfit", "must be an object such as {\"limitPrice\":1.09}");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "amount":
                    setStop(e, false, StopMode.OFFSET, p, v, "takeProfit.amount");
                    break;
                case "percent":
                    setStop(e, false, StopMode.PERCENT, p, v, "takeProfit.percent");
                    break;
                case "limitPrice":
                    setStop(e, false, StopMode.PRICE, p, v, "takeProfit.limitPrice");
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (e.takeProfitMode == StopMode.NONE) {
            throw Refused.of(e, "takeProfit", "needs one of amount, percent or limitPrice");
        }
    }

    private static void setStop(RingEvent e, boolean stopLoss, StopMode mode, JsonParser p, JsonToken v, String field)
            throws IOException, Refused {
        if (JsonValues.isAbsent(p, v)) {
            return;
        }
        double amount = JsonValues.number(p, v, e, field);
        if (!(amount > 0)) {
            throw Refused.of(e, field, "must be greater than 0");
        }
        if (stopLoss ? e.stopLossMode != StopMode.NONE : e.takeProfitMode != StopMode.NONE) {
            throw Refused.of(e, field, "give only one of amount, percent or price");
        }
        e.protection(stopLoss, mode, amount);
    }

    private static Verb verbOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        for (Verb verb : Verb.values()) {
            if (JsonValues.is(p, value, verb.name())) {
                return verb;
            }
        }
        throw Refused.of(e, "action", "must be one of buy, sell, exit, cancel, add");
    }

    private static Sentiment sentimentOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        if (JsonValues.isAbsent(p, value)) {
            return Sentiment.NONE;
        }
        if (JsonValues.is(p, value, "bullish") || JsonValues.is(p, value, "long")) {
            return Sentiment.BULLISH;
        }
        if (JsonValues.is(p, value, "bearish") || JsonValues.is(p, value, "short")) {
            return Sentiment.BEARISH;
        }
        if (JsonValues.is(p, value, "flat")) {
            return Sentiment.FLAT;
        }
        throw Refused.of(e, "sentiment", "must be bullish, bearish or flat");
    }

    private static SizeMode sizeModeOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        if (JsonValues.isAbsent(p, value) || JsonValues.is(p, value, "fixed_quantity")) {
            return SizeMode.QTY;
        }
        if (JsonValues.is(p, value, "dollar_amount")) {
            return SizeMode.NOTIONAL;
        }
        if (JsonValues.is(p, value, "percent_of_equity")) {
            return SizeMode.PERCENT_EQUITY;
        }
        if (JsonValues.is(p, value, "risk_dollar_amount")) {
            return SizeMode.RISK_AMOUNT;
        }
        throw Refused.of(e, "quantityType", "must be fixed_quantity, dollar_amount, percent_of_equity or risk_dollar_amount");
    }

    private static OrderType orderTypeOf(JsonParser p, JsonToken value, RingEvent e) throws IOException, Refused {
        if (JsonValues.isAbsent(p, value)) {
            return OrderType.MARKET;
        }
        for (OrderType type : OrderType.values()) {
            if (JsonValues.is(p, value, type.wireName())) {
                return type;
            }
        }
        throw Refused.of(e, "orderType", "must be market, limit or stop");
    }
}
