package io.tradeflow.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.alert.UnifyAlertParser;
import io.tradeflow.core.event.RingEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;

/**
 * Parsing one unify.v1 alert: TradeFlow's streaming parser straight into a reused ring slot
 * (including the slot reset ingress does before parsing) against the ordinary Jackson
 * {@code ObjectMapper}-to-POJO binding of the same body. Target: ≤ 2 µs/op and fewer B/op than
 * the baseline.
 */
@State(Scope.Thread)
public class AlertParsingBenchmark extends JmhDefaults {
    /** {@code design}: the DESIGN.md example, pretty-printed; {@code tradingview}: compact, numbers as strings. */
    @Param({"design", "tradingview"})
    public String alert;

    private byte[] body;
    private UnifyAlertParser parser;
    private RingEvent event;
    private ObjectMapper mapper;

    @Setup
    public void setUp() throws IOException {
        body = Alerts.body(alert);
        parser = new UnifyAlertParser(new KeyHasher());
        event = new RingEvent();
        mapper = new ObjectMapper();
        // Both sides must succeed, or the benchmark would time an error path.
        parse();
        if (event.isDecided() || !"EURUSD".equals(event.symbol.toString())) {
            throw new IllegalStateException("the parser refused the " + alert + " alert: " + event.field + ": " + event.reason);
        }
        JacksonAlert pojo = jackson();
        if (pojo.intent() == null || !"EURUSD".equals(pojo.intent().symbol())) {
            throw new IllegalStateException("Jackson did not bind the " + alert + " alert: " + pojo);
        }
    }

    @Benchmark
    public RingEvent parse() {
        event.reset();
        parser.parse(body, 0, body.length, event);
        return event;
    }

    @Benchmark
    public JacksonAlert jackson() throws IOException {
        return mapper.readValue(body, JacksonAlert.class);
    }
}
