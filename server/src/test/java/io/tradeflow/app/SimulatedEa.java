package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MetaTrader terminal running the TradeFlow EA, as the router sees it over HTTP: it polls for
 * commands (the text format the MQL EA parses), executes each id at most once against its own
 * book at a fixed price, acknowledges, pushes its positions and heartbeats. Like the real EA it
 * remembers executed ids, so a command delivered again is acknowledged again, never re-executed.
 */
final class SimulatedEa {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final double fillPrice;
    private final Map<String, Long> executed = new HashMap<>();
    private final Map<String, Double> book = new LinkedHashMap<>();
    private long nextTicket = 50_000;
    int executions;

    SimulatedEa(int port, String token, double fillPrice) {
        this.base = "http://127.0.0.1:" + port + "/api/mtx/v1/";
        this.token = token;
        this.fillPrice = fillPrice;
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Answer post(String endpoint, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + endpoint))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer heartbeat() {
        return post("heartbeat", "{}");
    }

    /** One poll in the EA's text format; each line is a command's fields. */
    List<String[]> poll(long waitMillis) {
        Answer answer = post("poll?format=text&wait_ms=" + waitMillis, "{}");
        if (answer.status() != 200) {
            throw new IllegalStateException("poll answered " + answer.status() + ": " + answer.body());
        }
        String[] lines = answer.body().split("\n");
        List<String[]> commands = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            commands.add(lines[i].split("\\|", -1));
        }
        return commands;
    }

    /** Executes (at most once per id) and acknowledges each command; returns the ack answers. */
    List<Answer> execute(List<String[]> commands) {
        List<Answer> acks = new ArrayList<>();
        for (String[] c : commands) {
            String id = c[0];
            Long ticket = executed.get(id);
            if (ticket == null) {
                ticket = nextTicket++;
                executed.put(id, ticket);
                executions++;
                double volume = Double.parseDouble(c[5]);
                book.merge(c[2], "buy".equals(c[3]) ? volume : -volume, Double::sum);
            }
            acks.add(post("ack", "{\"id\":\"" + id + "\",\"ok\":true,\"ticket\":" + ticket + ",\"price\":" + fillPrice
                    + ",\"volume\":" + c[5] + "}"));
        }
        return acks;
    }

    Answer pushState() {
        StringBuilder positions = new StringBuilder();
        book.forEach((symbol, qty) -> {
            if (qty != 0) {
                positions.append(positions.length() == 0 ? "" : ",").append("{\"ticket\":1,\"symbol\":\"").append(symbol)
                        .append("\",\"side\":\"").append(qty > 0 ? "buy" : "sell").append("\",\"volume\":").append(Math.abs(qty))
                        .append(",\"price\":").append(fillPrice).append('}');
            }
        });
        return post("state", "{\"positions\":[" + positions + "],\"account\":{\"balance\":10000,\"equity\":10000,\"currency\":\"USD\"}}");
    }

    Map<String, Double> book() {
        return book;
    }
}
