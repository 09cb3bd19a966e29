package io.tradeflow.bench.load;

import java.util.List;

/** The four servers the harness compares, interleaved in one run. */
public enum Target {
    A("bare Netty", "BareNettyServer in bench/: HttpServerCodec + aggregator, same 200 JSON, no ring", List.of()),
    B("journal off", "TradeFlow, bench profile, journal.enabled = false", List.of("-Djournal.enabled=false")),
    C("journal on", "TradeFlow, bench profile, journal.sync = none (the default)",
            List.of("-Djournal.enabled=true", "-Djournal.sync=none")),
    D("journal per-write", "TradeFlow, bench profile, journal.sync = per-write",
            List.of("-Djournal.enabled=true", "-Djournal.sync=per-write"));

    private final String label;
    private final String description;
    private final List<String> systemProperties;

    Target(String label, String description, List<String> systemProperties) {
        this.label = label;
        this.description = description;
        this.systemProperties = systemProperties;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The {@code -D} overrides (ConfigLoader reads exact config keys from system properties). */
    public List<String> systemProperties() {
        return systemProperties;
    }

    public boolean isTradeFlow() {
        return this != A;
    }

    /** Whether the server projects its journal into PostgreSQL (only with the journal on). */
    public boolean hasProjection() {
        return this == C || this == D;
    }
}
