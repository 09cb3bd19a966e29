package io.tradeflow.core.property;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.AlertParser;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.StopMode;
import io.tradeflow.core.event.SizeMode;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.testing.ReferencePriceVenue;
import io.tradeflow.core.venue.Venues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties over generated input: no body makes a parser throw or answer anything but 400, a
 * valid unify.v1 intent is parsed as its body says (checked field by field against a plain JSON
 * reading of the body) and survives parse → serialise → parse unchanged, and no sequence of valid
 * intents drives the pipeline to a 5xx.
 */
class AlertPropertiesTest {
    private static final String KEY = "tf_live_propertyKey0123456789abcd";
    private static final long T0 = Instant.parse("2026-11-23T14:00:00Z").toEpochMilli();
    private static final List<String> SYMBOLS = List.of("EURUSD", "GBPUSD", "XAUUSD", "NQ1!", "OANDA:XAUUSD", "BTCUSDT",
            "ES1!", "US30");

    private final AlertParser parser = new AlertParser(new KeyHasher(), 64 * 1024);

    private RingEvent parse(byte[] body) {
        RingEvent e = new RingEvent();
        e.type = EventType.INTENT;
        parser.parse(body, 0, body.length, e);
        return e;
    }

    @Property(tries = 2000)
    void randomBytesNeverCrashAParserAndOnlyEverGet400(@ForAll @Size(max = 600) byte[] body) {
        RingEvent e = parse(body);

        assertThat(e.outcome).isIn(Outcome.PENDING, Outcome.INVALID_PAYLOAD);
        if (e.outcome == Outcome.INVALID_PAYLOAD) {
            assertThat(e.field).isNotBlank();
            assertThat(e.reason).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void alertShapedNoiseNeverCrashAParserAndOnlyEverGet400(@ForAll("alertShapedNoise") String body) {
        RingEvent e = parse(body.getBytes(StandardCharsets.UTF_8));

        assertThat(e.outcome).isIn(Outcome.PENDING, Outcome.INVALID_PAYLOAD);
        if (e.outcome == Outcome.INVALID_PAYLOAD) {
            assertThat(e.field).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void aValidUnifyIntentSurvivesParseSerialiseParse(@ForAll("unifyIntents") String body) {
        RingEvent first = parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(first.outcome).as("%s → %s: %s", body, first.field, first.reason).isEqualTo(Outcome.PENDING);
        assertThat(first.format).isEqualTo(AlertFormat.UNIFY);

        // Against the body itself, read by a plain JSON reader: a field the parser dropped or
        // misread fails here, not only a difference between two outputs of the test's writer.
        assertParsedAsWritten(body, first);

        String written = UnifyJson.write(first);
        RingEvent second = parse(written.getBytes(StandardCharsets.UTF_8));

        assertThat(second.outcome).as(written).isEqualTo(Outcome.PENDING);
        assertThat(UnifyJson.write(second)).isEqualTo(written);
        assertThat(second.bodyHash).isEqualTo(parse(written.getBytes(StandardCharsets.UTF_8)).bodyHash);
    }

    /** What the generated body says, field by field, against what the parser put in the event. */
    @SuppressWarnings("unchecked")
    private static void assertParsedAsWritten(String body, RingEvent e) {
        Map<String, Object> root = PlainJson.object(body);
        Map<String, Object> intent = (Map<String, Object>) root.get("intent");
        String action = (String) intent.get("action");
        assertThat(e.action.wireName()).as(body).isEqualTo(action);
        assertThat(e.clientId.toString()).as(body).isEqualTo(root.containsKey("id") ? root.get("id") : "");
        assertThat(e.signalTimeMillis).as(body).isEqualTo(root.containsKey("ts") ? T0 : 0);
        assertThat(e.symbol.toString()).as(body).isEqualTo(intent.getOrDefault("symbol", ""));
        if (intent.containsKey("side")) {
            String side = ((String) intent.get("side")).toLowerCase(java.util.Locale.ROOT);
            assertThat(e.side.wireName()).as(body).isEqualTo(side.equals("long") ? "buy" : side.equals("short") ? "sell" : side);
        }
        if (intent.containsKey("type")) {
            assertThat(e.orderType.wireName()).as(body).isEqualTo(intent.get("type"));
        }
        if (intent.containsKey("qty")) {
            assertThat(e.sizeMode).as(body).isEqualTo(SizeMode.QTY);
            assertThat(e.quantity).as(body).isEqualTo(Double.parseDouble((String) intent.get("qty")));
        }
        if (intent.containsKey("size")) {
            Map<String, Object> size = (Map<String, Object>) intent.get("size");
            assertThat(e.sizeMode.wireName()).as(body).isEqualTo(size.get("mode"));
            assertThat(e.quantity).as(body).isEqualTo(size.get("value"));
        }
        if ("limit".equals(intent.get("type"))) {
            assertThat(e.orderPrice).as(body).isEqualTo(intent.get("price"));
        } else if ("stop".equals(intent.get("type"))) {
            assertThat(e.orderPrice).as(body).isEqualTo(intent.get("stop_price"));
        } else if (intent.containsKey("price")) {
            assertThat(e.price).as(body).isEqualTo(intent.get("price"));
        }
        for (String name : List.of("sl", "tp")) {
            StopMode mode = name.equals("sl") ? e.stopLossMode : e.takeProfitMode;
            double value = name.equals("sl") ? e.stopLossValue : e.takeProfitValue;
            if (intent.containsKey(name)) {
                Map<String, Object> stop = (Map<String, Object>) intent.get(name);
                assertThat(mode.wireName()).as("%s of %s", name, body).isEqualTo(stop.get("mode"));
                assertThat(value).as("%s of %s", name, body).isEqualTo(stop.get("value"));
            } else {
                assertThat(mode).as("%s of %s", name, body).isEqualTo(StopMode.NONE);
            }
        }
    }

    @Property(tries = 200)
    void validIntentsNeverProduceA5xx(@ForAll @Size(min = 1, max = 40) List<@net.jqwik.api.From("unifyIntents") String> bodies) {
        RouterState state = new RouterState(new RiskLimits(50, 0, 5, "", ZoneId.of("UTC"), List.of(), 1000,
                Duration.ofMinutes(1)), new AlertSettings(2, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofHours(1), Map.of("NQ1!", "MNQ"), ""));
        RoutingPipeline pipeline = new RoutingPipeline(state, new TrialConfig(20, Duration.ofDays(3)),
                new Venues(Map.of(BrokerKind.PAPER, new ReferencePriceVenue())));
        state.putAccount(7, 70, BrokerKind.PAPER, true, T0, true, 0);
        state.keys().add(KeyHasher.sha256(KEY), 7);
        long now = T0;
        long index = 0;
        for (String body : bodies) {
            RingEvent e = parse(body.getBytes(StandardCharsets.UTF_8));
            System.arraycopy(KeyHasher.sha256(KEY), 0, e.keyHash, 0, RingEvent.KEY_HASH_LENGTH);
            e.keyPresent = true;
            now += 250;
            e.receivedAtMillis = now;

            pipeline.process(e);
            e.journalIndex = ++index;
            pipeline.onJournaled(e);

            assertThat(e.outcome.httpStatus()).as("%s → %s %s: %s", body, e.outcome, e.field, e.reason).isBetween(200, 499);
        }
    }

    @Provide
    Arbitrary<String> unifyIntents() {
        Arbitrary<String> action = Arbitraries.of("open", "open", "open", "close", "close_long", "close_short",
                "close_all", "reverse", "cancel", "modify");
        Arbitrary<String> side = Arbitraries.of("buy", "sell", "BUY", "long", "short");
        Arbitrary<String> type = Arbitraries.of("market", "market", "limit", "stop");
        Arbitrary<String> symbol = Arbitraries.of(SYMBOLS);
        Arbitrary<Double> positive = Arbitraries.doubles().between(0.01, 500).ofScale(2);
        Arbitrary<String> size = Combinators.combine(Arbitraries.of("qty", "percent_equity", "notional", "risk_percent"),
                Arbitraries.doubles().between(0.01, 100).ofScale(2)).as((mode, v) -> mode.equals("qty")
                ? ",\"qty\":\"" + v + "\"" : ",\"size\":{\"mode\":\"" + mode + "\",\"value\":" + v + "}");
        Arbitrary<String> sl = Combinators.combine(Arbitraries.of("pips", "ticks", "percent", "trail", "offset"),
                Arbitraries.doubles().between(0.1, 99).ofScale(1)).as((mode, v) -> ",\"sl\":{\"mode\":\"" + mode + "\",\"value\":" + v + "}");
        Arbitrary<String> tp = Combinators.combine(Arbitraries.of("pips", "ticks", "percent", "rr", "offset"),
                Arbitraries.doubles().between(0.1, 99).ofScale(1)).as((mode, v) -> ",\"tp\":{\"mode\":\"" + mode + "\",\"value\":" + v + "}");
        Arbitrary<String> id = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).injectNull(0.5);
        return Combinators.combine(action, side, type, symbol, positive, size, sl, tp)
                .flatAs((a, sd, t, sym, price, sz, s, p) -> Combinators.combine(id, Arbitraries.of(true, false))
                        .as((clientId, withTs) -> {
                            boolean entry = a.equals("open") || a.equals("reverse");
                            boolean risk = sz.contains("risk_percent");
                            // Only combinations every format accepts: what needs a stop gets a fixed one.
                            String stopLoss = s.contains("trail") && risk ? s.replace("trail", "pips") : s;
                            boolean withSl = risk || p.contains("\"rr\"") || a.equals("modify") || !stopLoss.contains("offset");
                            StringBuilder b = new StringBuilder("{\"version\":\"unify.v1\"");
                            if (clientId != null) {
                                b.append(",\"id\":\"").append(clientId).append('"');
                            }
                            if (withTs) {
                                b.append(",\"ts\":\"").append(Instant.ofEpochMilli(T0)).append('"');
                            }
                            b.append(",\"intent\":{\"action\":\"").append(a).append('"');
                            if (!a.equals("close_all")) {
                                b.append(",\"symbol\":\"").append(sym).append('"');
                            }
                            if (entry) {
                                b.append(",\"side\":\"").append(sd).append("\",\"type\":\"").append(t).append('"').append(sz);
                                if (t.equals("stop")) {
                                    b.append(",\"stop_price\":").append(price);
                                } else {
                                    b.append(",\"price\":").append(price);
                                }
                            }
                            if (withSl) {
                                b.append(stopLoss);
                            }
                            if (withSl || !p.contains("\"rr\"")) {
                                b.append(p);
                            }
                            return b.append("}}").toString();
                        }));
    }

    @Provide
    Arbitrary<String> alertShapedNoise() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "=", "\n", " ", "intent", "ticker",
                "action", "side", "qty", "size", "mode", "value", "sl", "tp", "price", "buy", "sell", "close_all", "risk",
                "1", "-1", "0", "1e309", "NaN", "null", "true", "\"\"", "EURUSD", "NQ1!", "closeall", "newsltplong",
                "\\u0000", "\u00e9", "version", "unify.v1", "quantityType", "stopLoss", "{\"amount\":", "tf_key");
        return token.list().ofMaxSize(40).map(tokens -> String.join("", tokens));
    }
}
