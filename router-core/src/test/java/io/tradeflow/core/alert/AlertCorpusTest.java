package io.tradeflow.core.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.event.StopMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world alert bodies in the three languages, as TradingView sends them (placeholders already
 * filled in, numbers as strings, trailing newlines, wrong case, missing and extra fields), each with
 * the order it must make or the precise 400 it must get. An order is summarised as
 * {@code FORMAT ACTION SIDE SYMBOL size type [@orderPrice] [ref=price] [sl=MODE:v] [tp=MODE:v] [add] [id=…] [ts=…] [strategy=…]};
 * a refusal as {@code 400 field: words of the reason}.
 */
final class AlertCorpusTest {
    private static final String KEY = "tf_live_corpusKey0123456789abcdef";

    private final AlertParser parser = new AlertParser(new KeyHasher(), 64 * 1024);

    @SuppressWarnings("checkstyle:MethodLength") // one table of cases reads better than several
    static Stream<Arguments> corpus() {
        return Stream.of(
                // ---------------- the README's ready TradingView messages, placeholders filled in ----------------
                c("readme: unify message", "{\"version\":\"unify.v1\",\"id\":\"EURUSD-2026-11-23T14:00:00Z\",\"ts\":\"2026-11-23T14:00:00Z\",\"intent\":{\"action\":\"open\",\"side\":\"sell\",\"type\":\"market\",\"symbol\":\"EURUSD\",\"qty\":\"2\",\"price\":\"1.0854\"}}",
                        "UNIFY OPEN SELL EURUSD qty=2 market ref=1.0854 id=EURUSD-2026-11-23T14:00:00Z ts=1795442400000"),
                c("readme: traderspost message", "{\"ticker\":\"NQ1!\",\"action\":\"sell\",\"sentiment\":\"flat\",\"quantity\":\"1\",\"price\":\"21000.25\",\"time\":\"2026-11-23T14:00:00Z\",\"interval\":\"5\"}",
                        "TRADERSPOST CLOSE_LONG SELL NQ1! qty=1 market ref=21000.25 ts=1795442400000"),
                c("readme: pineconnector message", "KEY,buy,OANDA:XAUUSD,risk=0.1,sl=30,tp=60", "PINECONNECTOR OPEN BUY OANDA:XAUUSD qty=0.1 market sl=PIPS:30 tp=PIPS:60"),

                // ---------------- unify.v1 ----------------
                c("unify: design example", """
                        {"version":"unify.v1","source":"tradingview","id":"EURUSD-1732370400","intent":{"broker":"paper","action":"open","side":"buy","type":"market","symbol":"EURUSD","qty":1,"price":1.0854,"sl":{"mode":"price","value":1.0850},"tp":{"mode":"rr","value":2.0}},"user_context":{},"ts":"2026-11-23T14:00:00Z"}
                        """, "UNIFY OPEN BUY EURUSD qty=1 market ref=1.0854 sl=PRICE:1.085 tp=RR:2 id=EURUSD-1732370400 ts=1795442400000"),
                c("unify: placeholders as strings with newline", "{\"intent\":{\"side\":\"sell\",\"symbol\":\"GBPUSD\",\"qty\":\"0.5\",\"price\":\"1.2710\"}}\n",
                        "UNIFY OPEN SELL GBPUSD qty=0.5 market ref=1.271"),
                c("unify: wrong case values", "{\"version\":\"UNIFY.V1\",\"intent\":{\"action\":\"OPEN\",\"side\":\"Long\",\"type\":\"Market\",\"symbol\":\"eurusd\",\"qty\":2}}",
                        "UNIFY OPEN BUY EURUSD qty=2 market"),
                c("unify: close", "{\"intent\":{\"action\":\"close\",\"symbol\":\"XAUUSD\",\"price\":\"2650.5\"}}", "UNIFY CLOSE - XAUUSD qty=0 market ref=2650.5"),
                c("unify: partial close", "{\"intent\":{\"action\":\"close\",\"symbol\":\"XAUUSD\",\"qty\":0.25}}", "UNIFY CLOSE - XAUUSD qty=0.25 market"),
                c("unify: close_long", "{\"intent\":{\"action\":\"close_long\",\"symbol\":\"NQ1!\"}}", "UNIFY CLOSE_LONG - NQ1! qty=0 market"),
                c("unify: close_short", "{\"intent\":{\"action\":\"close_short\",\"symbol\":\"BTCUSDT\"}}", "UNIFY CLOSE_SHORT - BTCUSDT qty=0 market"),
                c("unify: close_all without symbol", "{\"intent\":{\"action\":\"close_all\"}}", "UNIFY CLOSE_ALL - - qty=0 market"),
                c("unify: reverse", "{\"intent\":{\"action\":\"reverse\",\"side\":\"sell\",\"symbol\":\"US30\",\"qty\":1,\"price\":44000}}",
                        "UNIFY REVERSE SELL US30 qty=1 market ref=44000"),
                c("unify: cancel", "{\"intent\":{\"action\":\"cancel\",\"symbol\":\"EURUSD\"}}", "UNIFY CANCEL - EURUSD qty=0 market"),
                c("unify: modify sl/tp", "{\"intent\":{\"action\":\"modify\",\"symbol\":\"EURUSD\",\"sl\":{\"mode\":\"pips\",\"value\":20},\"tp\":{\"mode\":\"pips\",\"value\":40}}}",
                        "UNIFY MODIFY - EURUSD qty=0 market sl=PIPS:20 tp=PIPS:40"),
                c("unify: limit order", "{\"intent\":{\"side\":\"buy\",\"type\":\"limit\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":\"1.0800\"}}",
                        "UNIFY OPEN BUY EURUSD qty=1 limit @1.08"),
                c("unify: stop order", "{\"intent\":{\"side\":\"sell\",\"type\":\"stop\",\"symbol\":\"ES1!\",\"qty\":1,\"stop_price\":5900.25}}",
                        "UNIFY OPEN SELL ES1! qty=1 stop @5900.25"),
                c("unify: risk_percent with pip stop", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"size\":{\"mode\":\"risk_percent\",\"value\":\"1\"},\"sl\":{\"mode\":\"pips\",\"value\":25}}}",
                        "UNIFY OPEN BUY EURUSD risk_percent=1 market sl=PIPS:25"),
                c("unify: percent_equity", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"BTCUSD\",\"size\":{\"mode\":\"percent_equity\",\"value\":10}}}",
                        "UNIFY OPEN BUY BTCUSD percent_equity=10 market"),
                c("unify: notional", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"ETHUSD\",\"size\":{\"mode\":\"notional\",\"value\":\"2500\"}}}",
                        "UNIFY OPEN BUY ETHUSD notional=2500 market"),
                c("unify: trailing stop and percent tp", "{\"intent\":{\"side\":\"sell\",\"symbol\":\"GBPJPY\",\"qty\":1,\"sl\":{\"mode\":\"trail\",\"value\":30},\"tp\":{\"mode\":\"percent\",\"value\":1.5}}}",
                        "UNIFY OPEN SELL GBPJPY qty=1 market sl=TRAIL:30 tp=PERCENT:1.5"),
                c("unify: ticks", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"MNQ1!\",\"qty\":2,\"sl\":{\"mode\":\"ticks\",\"value\":40},\"tp\":{\"mode\":\"ticks\",\"value\":80}}}",
                        "UNIFY OPEN BUY MNQ1! qty=2 market sl=TICKS:40 tp=TICKS:80"),
                c("unify: add flag", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"add\":\"true\"}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market add"),
                c("unify: exchange prefix kept for the symbol map", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"OANDA:XAUUSD\",\"qty\":1}}",
                        "UNIFY OPEN BUY OANDA:XAUUSD qty=1 market"),
                c("unify: epoch millis ts from {{time}}", "{\"ts\":\"1795442400000\",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market ts=1795442400000"),
                c("unify: extra fields ignored", "{\"strategy\":\"x\",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"comment\":\"hi\",\"nested\":{\"a\":[1,2]}}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market strategy=x"),
                c("unify: strategy tag trimmed", "{\"strategy\":\" Breakout v2 \",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market strategy=Breakout v2"),
                c("unify: strategy in user_context", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1},\"user_context\":{\"note\":[1],\"strategy\":\"mean-rev\"}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market strategy=mean-rev"),
                c("unify: top-level strategy wins over user_context", "{\"strategy\":\"top\",\"user_context\":{\"strategy\":\"inner\"},\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market strategy=top"),
                c("unify: empty strategy placeholder is untagged", "{\"strategy\":\"\",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "UNIFY OPEN BUY EURUSD qty=1 market"),
                r("unify: strategy too long", "{\"strategy\":\"sssssssssssssssssssssssssssssssss\",\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "400 strategy: at most 32 characters"),
                r("unify: strategy not text", "{\"strategy\":{\"name\":\"x\"},\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "400 strategy: printable text"),
                r("unify: user_context strategy with a control character", "{\"user_context\":{\"strategy\":\"a\\tb\"},\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1}}",
                        "400 user_context.strategy: printable text"),
                c("unify: CRLF and spaces", "  {\"intent\" : {\"side\" : \"buy\" , \"symbol\" : \" EURUSD \" , \"qty\" : 1}}\r\n\r\n",
                        "UNIFY OPEN BUY EURUSD qty=1 market"),
                r("unify: empty body", "\n", "400 body: empty"),
                r("unify: missing intent", "{\"version\":\"unify.v1\"}", "400 intent: required"),
                r("unify: wrong version", "{\"version\":\"unify.v2\",\"intent\":{}}", "400 version: unify.v1"),
                r("unify: missing side", "{\"intent\":{\"symbol\":\"EURUSD\",\"qty\":1}}", "400 intent.side: required"),
                r("unify: missing qty", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\"}}", "400 intent.qty: greater than 0"),
                r("unify: unfilled placeholder qty", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":\"{{strategy.order.contracts}}\"}}", "400 intent.qty: must be a number"),
                r("unify: missing symbol", "{\"intent\":{\"side\":\"buy\",\"qty\":1}}", "400 intent.symbol: required"),
                r("unify: bad action", "{\"intent\":{\"action\":\"flatten\",\"symbol\":\"EURUSD\"}}", "400 intent.action: must be one of"),
                r("unify: limit without price", "{\"intent\":{\"side\":\"buy\",\"type\":\"limit\",\"symbol\":\"EURUSD\",\"qty\":1}}", "400 intent.price: limit price"),
                r("unify: stop without stop_price", "{\"intent\":{\"side\":\"buy\",\"type\":\"stop\",\"symbol\":\"EURUSD\",\"qty\":1}}", "400 intent.stop_price: trigger price"),
                r("unify: risk sizing without stop", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"size\":{\"mode\":\"risk_percent\",\"value\":1}}}", "400 intent.size.mode: needs a stop loss"),
                r("unify: bad size mode", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"size\":{\"mode\":\"lots\",\"value\":1}}}", "400 intent.size.mode: must be one of"),
                r("unify: percent over 100", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"size\":{\"mode\":\"percent_equity\",\"value\":150}}}", "400 intent.size.mode: at most 100"),
                r("unify: rr tp without sl", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"tp\":{\"mode\":\"rr\",\"value\":2}}}", "400 intent.tp: needs a stop loss"),
                r("unify: sl above entry on a buy", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.08,\"sl\":1.09}}", "400 intent.sl: below the entry"),
                r("unify: tp below entry on a buy", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"price\":1.08,\"tp\":{\"mode\":\"price\",\"value\":1.07}}}", "400 intent.tp: above the entry"),
                r("unify: modify with nothing to modify", "{\"intent\":{\"action\":\"modify\",\"symbol\":\"EURUSD\"}}", "400 intent.sl: new stop loss or take profit"),
                r("unify: malformed JSON", "{\"intent\":{\"side\":\"buy\",\"qty\":}}", "400 intent.qty: malformed JSON"),
                r("unify: empty field name in broken JSON (found by jqwik)", "{\"\"", "400 body: malformed JSON"),
                r("unify: a JSON array", "[{\"intent\":{}}]", "400 body: JSON object"),
                r("unify: bad add flag", "{\"intent\":{\"side\":\"buy\",\"symbol\":\"EURUSD\",\"qty\":1,\"add\":\"yes\"}}", "400 intent.add: true or false"),

                // ---------------- TradersPost ----------------
                c("traderspost: docs example", """
                        {"ticker":"AAPL","action":"buy","sentiment":"bullish","quantity":10,"price":"189.50","time":"2026-11-23T14:00:00Z","interval":"5"}
                        """, "TRADERSPOST OPEN BUY AAPL qty=10 market ref=189.5 ts=1795442400000"),
                c("traderspost: sell opens short", "{\"ticker\":\"TSLA\",\"action\":\"sell\",\"quantity\":\"3\"}", "TRADERSPOST OPEN SELL TSLA qty=3 market"),
                c("traderspost: exit", "{\"ticker\":\"AAPL\",\"action\":\"exit\",\"sentiment\":\"flat\"}", "TRADERSPOST CLOSE - AAPL qty=0 market"),
                c("traderspost: buy flat closes short", "{\"ticker\":\"ES1!\",\"action\":\"buy\",\"sentiment\":\"flat\"}", "TRADERSPOST CLOSE_SHORT BUY ES1! qty=0 market"),
                c("traderspost: sell flat closes long", "{\"ticker\":\"NQ1!\",\"action\":\"sell\",\"sentiment\":\"flat\",\"quantity\":\"\"}", "TRADERSPOST CLOSE_LONG SELL NQ1! qty=0 market"),
                c("traderspost: cancel", "{\"ticker\":\"AAPL\",\"action\":\"cancel\"}", "TRADERSPOST CANCEL - AAPL qty=0 market"),
                c("traderspost: add bullish", "{\"ticker\":\"MSFT\",\"action\":\"add\",\"sentiment\":\"bullish\",\"quantity\":5}", "TRADERSPOST OPEN BUY MSFT qty=5 market add"),
                c("traderspost: limit with brackets", """
                        {"ticker":"SPY","action":"buy","orderType":"limit","limitPrice":"590.10","quantity":2,"stopLoss":{"type":"stop","stopPrice":585},"takeProfit":{"limitPrice":600}}
                        """, "TRADERSPOST OPEN BUY SPY qty=2 limit @590.1 sl=PRICE:585 tp=PRICE:600"),
                c("traderspost: stop order", "{\"ticker\":\"QQQ\",\"action\":\"sell\",\"orderType\":\"stop\",\"stopPrice\":\"500\",\"quantity\":1}", "TRADERSPOST OPEN SELL QQQ qty=1 stop @500"),
                c("traderspost: amount and percent brackets", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"price\":190,\"stopLoss\":{\"amount\":\"2.5\"},\"takeProfit\":{\"percent\":3}}",
                        "TRADERSPOST OPEN BUY AAPL qty=1 market ref=190 sl=OFFSET:2.5 tp=PERCENT:3"),
                c("traderspost: dollar amount", "{\"ticker\":\"BTCUSD\",\"action\":\"buy\",\"quantity\":1000,\"quantityType\":\"dollar_amount\"}", "TRADERSPOST OPEN BUY BTCUSD notional=1000 market"),
                c("traderspost: percent of equity", "{\"ticker\":\"ETHUSD\",\"action\":\"buy\",\"quantity\":\"25\",\"quantityType\":\"percent_of_equity\"}", "TRADERSPOST OPEN BUY ETHUSD percent_equity=25 market"),
                c("traderspost: risk dollar amount", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":100,\"quantityType\":\"risk_dollar_amount\",\"stopLoss\":{\"percent\":2}}",
                        "TRADERSPOST OPEN BUY AAPL risk_amount=100 market sl=PERCENT:2"),
                c("traderspost: wrong-case values, unknown fields", "{\"ticker\":\"aapl\",\"action\":\"BUY\",\"sentiment\":\"Bullish\",\"quantity\":1,\"extras\":{\"a\":1},\"strategy\":\"s\"}",
                        "TRADERSPOST OPEN BUY AAPL qty=1 market strategy=s"),
                c("traderspost: without strategy is untagged", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"strategy\":null}",
                        "TRADERSPOST OPEN BUY AAPL qty=1 market"),
                r("traderspost: strategy as a number", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"strategy\":7}",
                        "400 strategy: printable text"),
                c("traderspost: time in epoch millis", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"time\":1795442400000}", "TRADERSPOST OPEN BUY AAPL qty=1 market ts=1795442400000"),
                r("traderspost: missing action", "{\"ticker\":\"AAPL\",\"quantity\":1}", "400 action: required"),
                r("traderspost: bad action", "{\"ticker\":\"AAPL\",\"action\":\"long\",\"quantity\":1}", "400 action: must be one of"),
                r("traderspost: wrong-case field name", "{\"ticker\":\"AAPL\",\"Action\":\"buy\",\"quantity\":1}", "400 action: required"),
                r("traderspost: missing quantity", "{\"ticker\":\"AAPL\",\"action\":\"buy\"}", "400 quantity: required to open"),
                r("traderspost: quantity placeholder", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":\"{{strategy.order.contracts}}\"}", "400 quantity: must be a number"),
                r("traderspost: contradicting sentiment", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"sentiment\":\"bearish\",\"quantity\":1}", "400 sentiment: contradicts"),
                r("traderspost: add without sentiment", "{\"ticker\":\"AAPL\",\"action\":\"add\",\"quantity\":1}", "400 sentiment: bullish or bearish"),
                r("traderspost: limit without limitPrice", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"orderType\":\"limit\",\"quantity\":1,\"price\":190}", "400 limitPrice: required"),
                r("traderspost: bad quantityType", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"quantityType\":\"lots\"}", "400 quantityType: must be"),
                r("traderspost: risk amount without stop", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":100,\"quantityType\":\"risk_dollar_amount\"}", "400 quantityType: needs a stop loss"),
                r("traderspost: trailing stop type", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"stopLoss\":{\"type\":\"trailing_stop\",\"percent\":1}}", "400 stopLoss.type: must be stop"),
                r("traderspost: empty stopLoss", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"stopLoss\":{}}", "400 stopLoss: needs one of"),
                r("traderspost: bad ticker", "{\"ticker\":\"AA PL\",\"action\":\"buy\",\"quantity\":1}", "400 ticker: only letters"),
                r("traderspost: bad time", "{\"ticker\":\"AAPL\",\"action\":\"buy\",\"quantity\":1,\"time\":\"yesterday\"}", "400 time: ISO-8601"),

                // ---------------- PineConnector ----------------
                c("pine: docs example", "KEY,buy,EURUSD,risk=1,sl=50,tp=100,comment=breakout", "PINECONNECTOR OPEN BUY EURUSD qty=1 market sl=PIPS:50 tp=PIPS:100 strategy=breakout"),
                c("pine: quoted comment", "KEY,closelong,EURUSD,comment=\" London open \"", "PINECONNECTOR CLOSE_LONG - EURUSD qty=0 market strategy=London open"),
                r("pine: comment too long", "KEY,buy,EURUSD,risk=1,comment=ccccccccccccccccccccccccccccccccc", "400 comment: at most 32 characters"),
                c("pine: long with newline", "KEY,long,GBPUSD,risk=0.5\n", "PINECONNECTOR OPEN BUY GBPUSD qty=0.5 market"),
                c("pine: short, upper case, spaces", "KEY, SHORT , usdjpy , RISK=2 , SL=30", "PINECONNECTOR OPEN SELL USDJPY qty=2 market sl=PIPS:30"),
                c("pine: buylimit", "KEY,buylimit,EURUSD,risk=1,price=1.0800,sl=20", "PINECONNECTOR OPEN BUY EURUSD qty=1 limit @1.08 sl=PIPS:20"),
                c("pine: sellstop", "KEY,sellstop,XAUUSD,vol_lots=0.1,price=2600", "PINECONNECTOR OPEN SELL XAUUSD qty=0.1 stop @2600"),
                c("pine: closelong", "KEY,closelong,EURUSD", "PINECONNECTOR CLOSE_LONG - EURUSD qty=0 market"),
                c("pine: closeshort", "KEY,closeshort,EURUSD", "PINECONNECTOR CLOSE_SHORT - EURUSD qty=0 market"),
                c("pine: closelongshort", "KEY,closelongshort,EURUSD", "PINECONNECTOR CLOSE - EURUSD qty=0 market"),
                c("pine: closeall without symbol", "KEY,closeall", "PINECONNECTOR CLOSE_ALL - - qty=0 market"),
                c("pine: cancellong", "KEY,cancellong,EURUSD", "PINECONNECTOR CANCEL BUY EURUSD qty=0 market"),
                c("pine: newsltpshort", "KEY,newsltpshort,EURUSD,sl=25,tp_pct=1", "PINECONNECTOR MODIFY SELL EURUSD qty=0 market sl=PIPS:25 tp=PERCENT:1"),
                c("pine: market price= is a reference", "KEY,buy,EURUSD,risk=1,price=1.0854", "PINECONNECTOR OPEN BUY EURUSD qty=1 market ref=1.0854"),
                c("pine: sl_pips and secret", "KEY,sell,NAS100,risk=1,sl_pips=40,secret=abc", "PINECONNECTOR OPEN SELL NAS100 qty=1 market sl=PIPS:40"),
                r("pine: unknown command", "KEY,flatten,EURUSD", "400 command: must be one of"),
                r("pine: missing symbol", "KEY,buy", "400 symbol: required"),
                r("pine: missing volume", "KEY,buy,EURUSD,sl=50", "400 risk: required to open"),
                r("pine: bad number", "KEY,buy,EURUSD,risk=one", "400 risk: must be a number"),
                r("pine: unknown parameter", "KEY,buy,EURUSD,risk=1,slx=50", "400 slx: not a known parameter"),
                r("pine: pending without price", "KEY,buylimit,EURUSD,risk=1", "400 price: required for a pending order"),
                r("pine: two commands", "KEY,buy,EURUSD,risk=1\nKEY,sell,GBPUSD,risk=1", "400 body: one command per alert"),
                r("pine: parameter without value", "KEY,buy,EURUSD,risk", "400 body: name=value"),
                r("pine: zero volume", "KEY,buy,EURUSD,risk=0", "400 risk: greater than 0"));
    }

    private static Arguments c(String name, String body, String expectedOrder) {
        return Arguments.of(name, body, expectedOrder);
    }

    private static Arguments r(String name, String body, String expectedRefusal) {
        return Arguments.of(name, body, expectedRefusal);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void shouldReadEachRealWorldAlertIntoItsOrderOrItsPrecise400(String name, String body, String expected) {
        RingEvent e = new RingEvent();
        byte[] bytes = body.replace("KEY,", KEY + ",").getBytes(StandardCharsets.UTF_8);
        parser.parse(bytes, 0, bytes.length, e);

        if (expected.startsWith("400 ")) {
            int colon = expected.indexOf(": ");
            assertThat(e.outcome).as("outcome (reason %s)", e.reason).isEqualTo(Outcome.INVALID_PAYLOAD);
            assertThat(e.outcome.httpStatus()).isEqualTo(400);
            assertThat(e.field).isEqualTo(expected.substring(4, colon));
            assertThat(e.reason).containsIgnoringCase(expected.substring(colon + 2));
        } else {
            assertThat(e.outcome).as("outcome (field %s: %s)", e.field, e.reason).isEqualTo(Outcome.PENDING);
            assertThat(summary(e)).isEqualTo(expected);
            if (expected.startsWith("PINECONNECTOR")) {
                assertThat(e.keyPresent).as("the first field is the API key").isTrue();
                assertThat(e.keyHash).isEqualTo(KeyHasher.sha256(KEY));
            }
        }
    }

    static String summary(RingEvent e) {
        StringBuilder s = new StringBuilder()
                .append(e.format).append(' ').append(e.action).append(' ')
                .append(e.side == null ? "-" : e.side.name()).append(' ')
                .append(e.symbol.isEmpty() ? "-" : e.symbol.toString()).append(' ')
                .append(e.sizeMode == SizeMode.QTY ? "qty" : e.sizeMode.wireName()).append('=').append(num(e.quantity))
                .append(' ').append(e.orderType.wireName());
        if (e.orderPrice != 0) {
            s.append(" @").append(num(e.orderPrice));
        }
        if (e.price != 0) {
            s.append(" ref=").append(num(e.price));
        }
        if (e.stopLossMode != StopMode.NONE) {
            s.append(" sl=").append(e.stopLossMode).append(':').append(num(e.stopLossValue));
        }
        if (e.takeProfitMode != StopMode.NONE) {
            s.append(" tp=").append(e.takeProfitMode).append(':').append(num(e.takeProfitValue));
        }
        if (e.addToPosition) {
            s.append(" add");
        }
        if (!e.clientId.isEmpty()) {
            s.append(" id=").append(e.clientId);
        }
        if (e.signalTimeMillis != 0) {
            s.append(" ts=").append(e.signalTimeMillis);
        }
        if (!e.strategy.isEmpty()) {
            s.append(" strategy=").append(e.strategy);
        }
        return s.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
