package io.tradeflow.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TradeFlow's own receive → decision latency, read from its {@code /metrics}: the cumulative
 * {@code tradeflow_decision_latency_cumulative{le=…}} buckets of one scrape, so two scrapes
 * subtracted give the latency of exactly the alerts decided in between (the measurement phases),
 * not of the warm-up and overload steps before them.
 */
record DecisionLatencyScrape(TreeMap<Double, Long> cumulative) {
    private static final Pattern BUCKET = Pattern.compile(
            "^tradeflow_decision_latency_cumulative\\{le=\"([^\"]+)\"}\\s+(\\S+)$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Fetches and parses {@code http://127.0.0.1:port/metrics}. */
    static DecisionLatencyScrape fetch(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/metrics answered " + response.statusCode());
        }
        return parse(response.body());
    }

    static DecisionLatencyScrape parse(String exposition) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        Matcher m = BUCKET.matcher(exposition);
        while (m.find()) {
            double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
            buckets.put(le, (long) Double.parseDouble(m.group(2)));
        }
        if (buckets.isEmpty()) {
            throw new IllegalArgumentException("no tradeflow_decision_latency_cumulative buckets in /metrics");
        }
        return new DecisionLatencyScrape(buckets);
    }

    /** The buckets of the alerts decided after {@code earlier} and up to this scrape. */
    DecisionLatencyScrape since(DecisionLatencyScrape earlier) {
        TreeMap<Double, Long> delta = new TreeMap<>();
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            delta.put(bucket.getKey(), bucket.getValue() - earlier.cumulative.getOrDefault(bucket.getKey(), 0L));
        }
        return new DecisionLatencyScrape(delta);
    }

    long count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /**
     * The upper bound (µs) of the first bucket holding the quantile: the true value is at most
     * this (and above the previous bound). NaN without alerts, infinite past the last bound.
     */
    double upperBoundMicros(double quantile) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long needed = (long) Math.ceil(quantile * total);
        for (Map.Entry<Double, Long> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= needed) {
                return bucket.getKey() * 1e6;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
