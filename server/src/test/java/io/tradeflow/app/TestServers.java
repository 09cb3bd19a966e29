package io.tradeflow.app;

import io.tradeflow.config.ConfigLoader;
import io.tradeflow.config.TradeFlowConfig;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.venue.ExecutionVenue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Starts real TradeFlow servers (embedded PostgreSQL, journal, Netty on an ephemeral port). */
final class TestServers {
    private TestServers() {
    }

    static TradeFlowConfig config(Path dataDir, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("http.port", "0");
        all.put("http.host", "127.0.0.1");
        all.put("data-dir", dataDir.toString());
        // Most tests send several entries in one direction; the duplicate-entry rule has its own tests.
        all.put("alerts.pyramiding", "100");
        // The production cost (12) is for real passwords; the tests sign up hundreds of users on two cores.
        all.put("auth.bcrypt-cost", "10");
        all.putAll(overrides);
        return ConfigLoader.load(Optional.empty(), all, Map.of());
    }

    static TradeFlowServer start(Path dataDir, Map<String, String> overrides) throws Exception {
        return TradeFlowServer.start(config(dataDir, overrides));
    }

    /** Starts with {@code venue} as the paper broker, e.g. one that injects faults. */
    static TradeFlowServer start(Path dataDir, Map<String, String> overrides, ExecutionVenue venue) throws Exception {
        return TradeFlowServer.start(config(dataDir, overrides), Map.of(BrokerKind.PAPER, venue));
    }
}
