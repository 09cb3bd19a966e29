package io.tradeflow.bench.jmh;

import java.nio.charset.StandardCharsets;

/** The alert bodies the parsing benchmark and the load harness send. */
public final class Alerts {
    /** The unify.v1 example of DESIGN.md, verbatim. */
    public static final String DESIGN_EXAMPLE = """
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

    /**
     * What a TradingView alert message from the README produces once the placeholders are filled:
     * compact, numbers as strings, a trailing newline.
     */
    public static final String TRADINGVIEW = "{\"version\":\"unify.v1\",\"id\":\"EURUSD-2026-11-23T14:00:00Z\","
            + "\"ts\":\"2026-11-23T14:00:00Z\",\"intent\":{\"action\":\"open\",\"side\":\"buy\",\"type\":\"market\","
            + "\"symbol\":\"EURUSD\",\"qty\":\"1\",\"price\":\"1.0854\"}}\n";

    private Alerts() {
    }

    /** The body for a JMH {@code @Param} value: {@code design} or {@code tradingview}. */
    public static byte[] body(String name) {
        switch (name) {
            case "design":
                return DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8);
            case "tradingview":
                return TRADINGVIEW.getBytes(StandardCharsets.UTF_8);
            default:
                throw new IllegalArgumentException("unknown alert " + name + ": use design or tradingview");
        }
    }
}
