package io.tradeflow.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far TradeFlow's PostgreSQL projection trails its journal, from one {@code /metrics} scrape:
 * the gauges {@code tradeflow_journal_last_index}, {@code tradeflow_projection_last_index} and
 * {@code tradeflow_projection_lag} (records not yet in PostgreSQL; -1 when the journal rolled to a
 * new cycle since, so the indexes cannot be subtracted).
 */
record ProjectionProgress(long journalLastIndex, long projectionLastIndex, long lag) {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Every journal record of this scrape is in PostgreSQL. At least, not equal: the gauges are read
     * one after the other, so the journal may have grown (and been projected) between the two reads.
     * Indexes grow across roll cycles too (the cycle is in the high bits).
     */
    boolean caughtUp() {
        return projectionLastIndex >= journalLastIndex;
    }

    static ProjectionProgress fetch(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static ProjectionProgress parse(String exposition) {
        return new ProjectionProgress(gauge(exposition, "tradeflow_journal_last_index"),
                gauge(exposition, "tradeflow_projection_last_index"), gauge(exposition, "tradeflow_projection_lag"));
    }

    private static long gauge(String exposition, String name) {
        Matcher m = Pattern.compile("^" + name + "(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE).matcher(exposition);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + name + " in /metrics");
        }
        // Prometheus prints gauges as doubles; journal indexes (cycle << 32 | record) are exact up to 2^53.
        return (long) Double.parseDouble(m.group(2));
    }
}
