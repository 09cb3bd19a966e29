package io.tradeflow.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.event.StopMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The unify.v1 parser: what it accepts from TradingView and the field each refusal names. */
final class UnifyAlertParserTest {
    private static final String DESIGN_EXAMPLE = """
            {
              "version": "unify.v1",
              "source": "tradingview",
              "id": "optional idempotency key, e.g. {{ticker}}-{{timenow}}",
              "intent": {
                "broker": "tradelocker",
                "action": "open",
                "side": "buy",
                "type": "market",
                "symbol": "EURUSD",
                "qty": 1,
                "price": 1.0854,
                "sl": { "mode": "price", "value": 1.0850 },
                "tp": { "mode": "rr", "value": 2.0 }
              },
              "user_context": {},
              "ts": "2026-11-23T14:00:00Z"
            }
            """;
    private static final String MINIMAL_INTENT = "\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}";
    private static final long TS_2026_11_23_14H = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();

    private final UnifyAlertParser parser = new UnifyAlertParser(new KeyHasher());

    private RingEvent parse(String body) {
        return parse(body, new RingEvent());
    }

    private RingEvent parse(String body, RingEvent e) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        parser.parse(bytes, 0, bytes.length, e);
        return e;
    }

    private static String withIntent(String intentFields) {
        return "{\"version\":\"unify.v1\",\"intent\":{" + intentFields + "}}";
    }

    @Test
    void shouldParseTheDesignExampleIntoEveryField() {
        RingEvent e = parse(DESIGN_EXAMPLE);

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.field).isNull();
        assertThat(e.requestedBroker).isEqualTo(BrokerKind.TRADELOCKER);
        assertThat(e.action).isEqualTo(Action.OPEN);
        assertThat(e.side).isEqualTo(Side.BUY);
        assertThat(e.orderType).isEqualTo(OrderType.MARKET);
        assertThat(e.symbol.toString()).isEqualTo("EURUSD");
        assertThat(e.quantity).isEqualTo(1.0);
        assertThat(e.price).isEqualTo(1.0854);
        assertThat(e.stopLossMode).isEqualTo(StopMode.PRICE);
        assertThat(e.stopLossValue).isEqualTo(1.0850);
        assertThat(e.takeProfitMode).isEqualTo(StopMode.RR);
        assertThat(e.takeProfitValue).isEqualTo(2.0);
        assertThat(e.clientId.toString()).isEqualTo("optional idempotency key, e.g. {{ticker}}-{{timenow}}");
        assertThat(e.signalTimeMillis).isEqualTo(TS_2026_11_23_14H);
        assertThat(e.keyPresent).isFalse();
    }

    @Test
    void shouldParseTheSameBodyTheSameWayWhenTheParserIsReused() {
        RingEvent first = parse(DESIGN_EXAMPLE);
        parse("{\"intent\":{\"qty\":}}");
        RingEvent again = parse(DESIGN_EXAMPLE);

        assertThat(again.outcome).isEqualTo(Outcome.PENDING);
        assertThat(again.symbol.toString()).isEqualTo(first.symbol.toString());
        assertThat(again.price).isEqualTo(first.price);
        assertThat(again.signalTimeMillis).isEqualTo(first.signalTimeMillis);
    }

    @Test
    void shouldAcceptNumbersSentAsStrings() {
        RingEvent e = parse(withIntent("\"side\":\"sell\",\"symbol\":\"EURUSD\",\"qty\":\"2.5\",\"price\":\"1.0854\","
                + "\"sl\":{\"mode\":\"pips\",\"value\":\"15\"},\"tp\":\" 1.05 \""));

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.quantity).isEqualTo(2.5);
        assertThat(e.price).isEqualTo(1.0854);
        assertThat(e.stopLossMode).isEqualTo(StopMode.PIPS);
        assertThat(e.stopLossValue).isEqualTo(15.0);
        assertThat(e.takeProfitMode).isEqualTo(StopMode.PRICE);
        assertThat(e.takeProfitValue).isEqualTo(1.05);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", " \t\n  ", "\n\n"})
    void shouldAcceptTrailingWhitespaceAndNewlines(String tail) {
        RingEvent e = parse("  " + DESIGN_EXAMPLE.strip() + tail);

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.symbol.toString()).isEqualTo("EURUSD");
    }

    @Test
    void shouldAcceptUpperAndMixedCaseEnumValues() {
        RingEvent e = parse("{\"version\":\"UNIFY.V1\",\"intent\":{\"broker\":\"TradeLocker\",\"action\":\"OPEN\","
                + "\"side\":\"BUY\",\"type\":\"Market\",\"symbol\":\"EURUSD\",\"qty\":1,"
                + "\"sl\":{\"mode\":\"Ticks\",\"value\":4},\"tp\":{\"mode\":\"PERCENT\",\"value\":1.5}}}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.requestedBroker).isEqualTo(BrokerKind.TRADELOCKER);
        assertThat(e.action).isEqualTo(Action.OPEN);
        assertThat(e.side).isEqualTo(Side.BUY);
        assertThat(e.orderType).isEqualTo(OrderType.MARKET);
        assertThat(e.stopLossMode).isEqualTo(StopMode.TICKS);
        assertThat(e.takeProfitMode).isEqualTo(StopMode.PERCENT);
    }

    static Stream<Arguments> enumSpellings() {
        return Stream.of(
                Arguments.of("\"action\":\"Close_Long\",\"symbol\":\"X\"", Action.CLOSE_LONG, null),
                Arguments.of("\"action\":\"close_short\",\"symbol\":\"X\"", Action.CLOSE_SHORT, null),
                Arguments.of("\"action\":\"CLOSE\",\"symbol\":\"X\"", Action.CLOSE, null),
                Arguments.of("\"action\":\"reverse\",\"side\":\"Short\",\"qty\":1,\"symbol\":\"X\"", Action.REVERSE, Side.SELL),
                Arguments.of("\"side\":\"long\",\"qty\":1,\"symbol\":\"X\"", Action.OPEN, Side.BUY),
                Arguments.of("\"side\":\"SELL\",\"qty\":1,\"symbol\":\"X\"", Action.OPEN, Side.SELL));
    }

    @ParameterizedTest
    @MethodSource("enumSpellings")
    void shouldMapActionAndSideSpellings(String fields, Action action, Side side) {
        RingEvent e = parse(withIntent(fields));

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.action).isEqualTo(action);
        assertThat(e.side).isEqualTo(side);
    }

    @ParameterizedTest
    @MethodSource("symbolSpellings")
    void shouldUpperCaseAndTrimTheSymbol(String sent, String stored) {
        RingEvent e = parse(withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"" + sent + "\""));

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.symbol.toString()).isEqualTo(stored);
    }

    static Stream<Arguments> symbolSpellings() {
        return Stream.of(
                Arguments.of("eurusd", "EURUSD"),
                Arguments.of("oanda:xauusd", "OANDA:XAUUSD"),
                Arguments.of("  nq1!  ", "NQ1!"),
                Arguments.of("Btc/Usd", "BTC/USD"),
                Arguments.of("es_f-2026.m", "ES_F-2026.M"));
    }

    @Test
    void shouldHashTheApiKeyFromTheBody() {
        String key = "tf_live_3QxA9b7Ck2LmN0pQrStUvWxYz";

        RingEvent e = parse("{\"api_key\":\"" + key + "\"," + MINIMAL_INTENT + "}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.keyPresent).isTrue();
        assertThat(e.keyHash).isEqualTo(KeyHasher.sha256(key));
        assertThat(new String(e.keyHash, StandardCharsets.ISO_8859_1)).doesNotContain(key);
    }

    @Test
    void shouldKeepAKeySetBeforeParsingOverTheBodyKey() {
        byte[] headerHash = KeyHasher.sha256("tf_from_the_authorization_header");
        RingEvent e = new RingEvent();
        System.arraycopy(headerHash, 0, e.keyHash, 0, headerHash.length);
        e.keyPresent = true;

        parse("{\"api_key\":\"tf_from_the_body\"," + MINIMAL_INTENT + "}", e);

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.keyHash).isEqualTo(headerHash);
    }

    @Test
    void shouldSkipANonTextBodyKeyWhenAKeyWasSetBeforeParsing() {
        RingEvent e = new RingEvent();
        e.keyPresent = true;

        parse("{\"api_key\":{\"intent\":{\"symbol\":\"WRONG\"}}," + MINIMAL_INTENT + "}", e);

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.symbol.toString()).isEqualTo("EURUSD");
    }

    @Test
    void shouldAcceptABrokerInTheBodyThatMatchesTheBrokerInThePath() {
        RingEvent e = new RingEvent();
        e.requestedBroker = BrokerKind.PAPER;

        parse(withIntent("\"broker\":\"paper\",\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\""), e);

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.requestedBroker).isEqualTo(BrokerKind.PAPER);
    }

    @Test
    void shouldAcceptACloseWithoutSideOrQuantity() {
        RingEvent e = parse(withIntent("\"action\":\"close\",\"symbol\":\"EURUSD\""));

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.action).isEqualTo(Action.CLOSE);
        assertThat(e.side).isNull();
        assertThat(e.quantity).isZero();
    }

    @Test
    void shouldReadABareStopValueAsAPriceAndNullAsNone() {
        RingEvent e = parse(withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"sl\":1.0801,\"tp\":null"));

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.stopLossMode).isEqualTo(StopMode.PRICE);
        assertThat(e.stopLossValue).isEqualTo(1.0801);
        assertThat(e.takeProfitMode).isEqualTo(StopMode.NONE);
    }

    @Test
    void shouldIgnoreUnknownFieldsAtAnyDepth() {
        RingEvent e = parse("{\"source\":\"tradingview\",\"user_context\":{\"a\":[1,{\"b\":[]}],\"symbol\":\"NOPE\"},"
                + "\"intent\":{\"comment\":{\"x\":[\"y\"]},\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":3},\"extra\":[1,2]}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.symbol.toString()).isEqualTo("EURUSD");
        assertThat(e.quantity).isEqualTo(3.0);
    }

    @Test
    void shouldAcceptANumericId() {
        RingEvent e = parse("{\"id\":12345," + MINIMAL_INTENT + "}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.clientId.toString()).isEqualTo("12345");
    }

    @Test
    void shouldAcceptAnIdOfExactly64Characters() {
        String id = "i".repeat(64);

        RingEvent e = parse("{\"id\":\"" + id + "\"," + MINIMAL_INTENT + "}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.clientId.toString()).isEqualTo(id);
    }

    static Stream<Arguments> signalTimes() {
        return Stream.of(
                Arguments.of("\"2026-11-23T14:00:00Z\"", TS_2026_11_23_14H),
                Arguments.of("\"2026-11-23T14:00:00.250Z\"", TS_2026_11_23_14H + 250),
                Arguments.of("\"2026-11-23T14:00:00.5z\"", TS_2026_11_23_14H + 500),
                Arguments.of(Long.toString(TS_2026_11_23_14H), TS_2026_11_23_14H),
                Arguments.of("\"" + TS_2026_11_23_14H + "\"", TS_2026_11_23_14H),
                Arguments.of(Long.toString(TS_2026_11_23_14H / 1000), TS_2026_11_23_14H),
                Arguments.of("\"" + TS_2026_11_23_14H / 1000 + "\"", TS_2026_11_23_14H));
    }

    @ParameterizedTest
    @MethodSource("signalTimes")
    void shouldReadTheSignalTimeAsIsoOrEpochMillisOrSeconds(String ts, long expectedMillis) {
        RingEvent e = parse("{\"ts\":" + ts + "," + MINIMAL_INTENT + "}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.signalTimeMillis).isEqualTo(expectedMillis);
    }

    @Test
    void shouldAcceptNestingUpToSixteenLevels() {
        // The root object is level 1, user_context level 2, then 14 more.
        String nested = "{\"a\":".repeat(14) + "1" + "}".repeat(14);

        RingEvent e = parse("{\"user_context\":{\"n\":" + nested + "}," + MINIMAL_INTENT + "}");

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
    }

    static Stream<Arguments> refusals() {
        String deep = "{\"a\":".repeat(15) + "1" + "}".repeat(15);
        return Stream.of(
                Arguments.of("empty body", "", "body"),
                Arguments.of("blank body", " \r\n\t ", "body"),
                Arguments.of("array", "[1,2]", "body"),
                Arguments.of("string", "\"buy EURUSD\"", "body"),
                Arguments.of("number", "42", "body"),
                Arguments.of("plain text", "buy EURUSD", "body"),
                Arguments.of("malformed value", "{\"intent\":{\"qty\":}}", "intent.qty"),
                Arguments.of("malformed nested value", "{\"intent\":{\"sl\":{\"value\":}}}", "intent.sl.value"),
                Arguments.of("malformed first field", "{\"intent\":{,}}", "intent"),
                Arguments.of("malformed root", "{\"version\" \"unify.v1\"}", "version"),
                Arguments.of("unterminated", "{\"intent\":{\"side\":\"buy\"", "intent.side"),
                Arguments.of("missing intent", "{\"version\":\"unify.v1\"}", "intent"),
                Arguments.of("intent not an object", "{\"intent\":[\"buy\"]}", "intent"),
                Arguments.of("intent a string", "{\"intent\":\"buy\"}", "intent"),
                Arguments.of("missing symbol", withIntent("\"side\":\"buy\",\"qty\":1"), "intent.symbol"),
                Arguments.of("blank symbol", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"  \""), "intent.symbol"),
                Arguments.of("symbol with space", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"EUR USD\""), "intent.symbol"),
                Arguments.of("symbol not ASCII", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"EUR\u20acUSD\""), "intent.symbol"),
                Arguments.of("symbol too long", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"" + "X".repeat(33) + "\""), "intent.symbol"),
                Arguments.of("symbol a number", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":5"), "intent.symbol"),
                Arguments.of("missing side", withIntent("\"qty\":1,\"symbol\":\"X\""), "intent.side"),
                Arguments.of("bad side", withIntent("\"side\":\"hold\",\"qty\":1,\"symbol\":\"X\""), "intent.side"),
                Arguments.of("side a number", withIntent("\"side\":1,\"qty\":1,\"symbol\":\"X\""), "intent.side"),
                Arguments.of("missing qty", withIntent("\"side\":\"buy\",\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty 0", withIntent("\"side\":\"buy\",\"qty\":0,\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty \"0\"", withIntent("\"side\":\"buy\",\"qty\":\"0\",\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty negative", withIntent("\"side\":\"buy\",\"qty\":-1,\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty negative on close", withIntent("\"action\":\"close\",\"qty\":-1,\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty abc", withIntent("\"side\":\"buy\",\"qty\":\"abc\",\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty NaN", withIntent("\"side\":\"buy\",\"qty\":\"NaN\",\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty boolean", withIntent("\"side\":\"buy\",\"qty\":true,\"symbol\":\"X\""), "intent.qty"),
                Arguments.of("qty 70 digits", withIntent("\"side\":\"buy\",\"symbol\":\"X\",\"qty\":" + "9".repeat(70)), "intent.qty"),
                Arguments.of("price negative", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"price\":-1.5"), "intent.price"),
                Arguments.of("price text", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"price\":\"{{close}}\""), "intent.price"),
                Arguments.of("bad action", withIntent("\"action\":\"buy\",\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\""), "intent.action"),
                Arguments.of("bad type", withIntent("\"type\":\"fok\",\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\""), "intent.type"),
                Arguments.of("bad broker", withIntent("\"broker\":\"binance\",\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\""), "intent.broker"),
                Arguments.of("broker a number", withIntent("\"broker\":3,\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\""), "intent.broker"),
                Arguments.of("version 2", "{\"version\":\"unify.v2\"," + MINIMAL_INTENT + "}", "version"),
                Arguments.of("version number", "{\"version\":1," + MINIMAL_INTENT + "}", "version"),
                Arguments.of("sl rr", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"sl\":{\"mode\":\"rr\",\"value\":2}"), "intent.sl.mode"),
                Arguments.of("tp trail", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"tp\":{\"mode\":\"trail\",\"value\":10}"), "intent.tp.mode"),
                Arguments.of("sl bad mode", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"sl\":{\"mode\":\"none\",\"value\":1}"), "intent.sl.mode"),
                Arguments.of("sl value missing", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"sl\":{\"mode\":\"price\"}"), "intent.sl.value"),
                Arguments.of("tp value missing", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"tp\":{\"mode\":\"pips\"}"), "intent.tp.value"),
                Arguments.of("sl value 0", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"sl\":{\"mode\":\"price\",\"value\":0}"), "intent.sl.value"),
                Arguments.of("tp value text", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"tp\":{\"value\":\"far\"}"), "intent.tp.value"),
                Arguments.of("bare sl negative", withIntent("\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\",\"sl\":-3"), "intent.sl.value"),
                Arguments.of("bad ts", "{\"ts\":\"yesterday\"," + MINIMAL_INTENT + "}", "ts"),
                Arguments.of("ts month 13", "{\"ts\":\"2026-13-01T00:00:00Z\"," + MINIMAL_INTENT + "}", "ts"),
                Arguments.of("ts with offset", "{\"ts\":\"2026-11-23T14:00:00+02:00\"," + MINIMAL_INTENT + "}", "ts"),
                Arguments.of("ts bad fraction", "{\"ts\":\"2026-11-23T14:00:00.2xZ\"," + MINIMAL_INTENT + "}", "ts"),
                Arguments.of("ts negative", "{\"ts\":-5," + MINIMAL_INTENT + "}", "ts"),
                Arguments.of("ts object", "{\"ts\":{}," + MINIMAL_INTENT + "}", "ts"),
                Arguments.of("id too long", "{\"id\":\"" + "i".repeat(65) + "\"," + MINIMAL_INTENT + "}", "id"),
                Arguments.of("id object", "{\"id\":{\"a\":1}," + MINIMAL_INTENT + "}", "id"),
                Arguments.of("id with newline", "{\"id\":\"a\\nb\"," + MINIMAL_INTENT + "}", "id"),
                Arguments.of("api_key empty", "{\"api_key\":\"\"," + MINIMAL_INTENT + "}", "api_key"),
                Arguments.of("api_key with space", "{\"api_key\":\"tf live\"," + MINIMAL_INTENT + "}", "api_key"),
                Arguments.of("api_key number", "{\"api_key\":123," + MINIMAL_INTENT + "}", "api_key"),
                Arguments.of("nesting 17", "{\"user_context\":{\"n\":" + deep + "}," + MINIMAL_INTENT + "}", null),
                Arguments.of("trailing word", "{" + MINIMAL_INTENT + "} x", "body"),
                Arguments.of("trailing object", "{" + MINIMAL_INTENT + "}\n{}", "body"),
                Arguments.of("trailing number", "{" + MINIMAL_INTENT + "} 1", "body"),
                Arguments.of("trailing brace", "{" + MINIMAL_INTENT + "}}", "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void shouldRefuseWithInvalidPayloadNamingTheField(String name, String body, String field) {
        RingEvent e = parse(body);

        assertThat(e.outcome).as(name).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.reason).as(name).isNotBlank();
        if (field != null) {
            assertThat(e.field).as(name).isEqualTo(field);
        } else {
            assertThat(e.field).as(name).isNotBlank();
        }
    }

    @Test
    void shouldNameTheDeepestFieldWhenNestingIsTooDeep() {
        String deep = "{\"a\":".repeat(15) + "1" + "}".repeat(15);

        RingEvent e = parse("{\"user_context\":{\"n\":" + deep + "}," + MINIMAL_INTENT + "}");

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).startsWith("user_context.n.a");
        assertThat(e.reason).contains("line 1");
    }

    @Test
    void shouldRefuseABodyBrokerThatDiffersFromThePathBroker() {
        RingEvent e = new RingEvent();
        e.requestedBroker = BrokerKind.PAPER;

        parse(withIntent("\"broker\":\"tradelocker\",\"side\":\"buy\",\"qty\":1,\"symbol\":\"X\""), e);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("intent.broker");
        assertThat(e.requestedBroker).isEqualTo(BrokerKind.PAPER);
    }

    @Test
    void shouldReportTheLineAndColumnOfMalformedJson() {
        RingEvent e = parse("{\n  \"intent\": {\n    \"qty\": ,\n  }\n}");

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("intent.qty");
        assertThat(e.reason).contains("line 3");
    }

    @Test
    void shouldParseOnlyTheGivenSliceOfTheBuffer() {
        byte[] body = ("garbage{" + MINIMAL_INTENT + "}garbage").getBytes(StandardCharsets.UTF_8);
        RingEvent e = new RingEvent();

        parser.parse(body, "garbage".length(), body.length - 2 * "garbage".length(), e);

        assertThat(e.outcome).isEqualTo(Outcome.PENDING);
        assertThat(e.symbol.toString()).isEqualTo("EURUSD");
    }
}
