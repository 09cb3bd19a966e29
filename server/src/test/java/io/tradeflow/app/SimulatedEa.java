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
 * A MetaTrader terminal running the TradeFlow EA (protocol 2), as the router sees it over HTTP: it
 * names its protocol version and its instance on every call, polls for commands (the text format
 * the MQL EAs parse), executes each id at most once against its own net book at a fixed price,
 * acknowledges with what it executed, pushes its positions and heartbeats. Like the real EAs it
 * remembers executed ids (a command delivered again is acknowledged again, never re-executed),
 * refuses a command whose expiry passed (by the router's clock in the poll answer), treats
 * {@code close} as reduce-only (closes what is open, never opens the other way) and applies stop
 * distances as given.
 */
final class SimulatedEa {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final double fillPrice;
    private final String instance;
    private final Map<String, String> acked = new HashMap<>();
    private final Map<String, Double> book = new LinkedHashMap<>();
    private long nextTicket = 50_000;
    /** The protocol version sent in X-TradeFlow-Protocol; null sends none (an EA from before versioning). */
    String protocol = "2";
    /** At most this many lots fill per order (a partial fill when less than asked). */
    double fillLimit = Double.MAX_VALUE;
    /** The router's clock from the last poll answer's first line. */
    long serverTime;
    int executions;

    SimulatedEa(int port, String token, double fillPrice) {
        this(port, token, fillPrice, "sim-" + Long.toHexString(System.nanoTime()));
    }

    SimulatedEa(int port, String token, double fillPrice, String instance) {
        this.base = "http://127.0.0.1:" + port + "/api/mtx/v1/";
        this.token = token;
        this.fillPrice = fillPrice;
        this.instance = instance;
    }

    /** One command line of a poll answer, by the field names of the protocol. */
    record Command(String[] f) {
        String id() { return f[0]; }
        String action() { return f[1]; }
        String symbol() { return f[2]; }
        String side() { return f[3]; }
        String type() { return f[4]; }
        double volume() { return Double.parseDouble(f[5]); }
        String slMode() { return f[7]; }
        double sl() { return Double.parseDouble(f[8]); }
        String tpMode() { return f[9]; }
        double tp() { return Double.parseDouble(f[10]); }
        boolean reduceOnly() { return "1".equals(f[12]); }
        long createdAt() { return Long.parseLong(f[13]); }
        long expiresAt() { return Long.parseLong(f[14]); }
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
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + endpoint))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("X-TradeFlow-Instance", instance);
            if (protocol != null) {
                request.header("X-TradeFlow-Protocol", protocol);
            }
            HttpResponse<String> response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
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

    /** One poll in the EA's text format: {@code commands=N|server_time=T|protocol=2}, then a line per command. */
    List<Command> poll(long waitMillis) {
        Answer answer = post("poll?format=text&wait_ms=" + waitMillis, "{}");
        if (answer.status() != 200) {
            throw new IllegalStateException("poll answered " + answer.status() + ": " + answer.body());
        }
        String[] lines = answer.body().split("\n");
        for (String header : lines[0].split("\\|")) {
            if (header.startsWith("server_time=")) {
                serverTime = Long.parseLong(header.substring("server_time=".length()));
            }
        }
        List<Command> commands = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split("\\|", -1);
            if (fields.length != 15) {
                throw new IllegalStateException("a protocol 2 command has 15 fields: " + lines[i]);
            }
            commands.add(new Command(fields));
        }
        return commands;
    }

    /** Executes (at most once per id) and acknowledges each command; returns the ack answers. */
    List<Answer> execute(List<Command> commands) {
        List<Answer> acks = new ArrayList<>();
        for (Command c : commands) {
            String ack = acked.get(c.id());
            if (ack == null) {
                ack = run(c);
                acked.put(c.id(), ack);
            }
            acks.add(post("ack", ack));
        }
        return acks;
    }

    /** The ack body for a command executed now, as the MQL EAs decide it. */
    private String run(Command c) {
        if (serverTime > c.expiresAt()) {
            return ack(c.id(), "expired", 0, 0, 0, 0, "expired " + (serverTime - c.expiresAt()) + " ms ago; not executed");
        }
        double held = book.getOrDefault(c.symbol(), 0.0);
        double signed;
        if (c.action().equals("close")) {
            // Reduce-only: only what faces the other way of the close's side (or either side when none) closes.
            boolean closesLong = c.side().isEmpty() ? held > 0 : c.side().equals("sell");
            double open = closesLong ? Math.max(held, 0) : Math.max(-held, 0);
            double lots = Math.min(open, c.volume());
            if (lots <= 0) {
                return ack(c.id(), "refused", 0, 0, 0, 0, "nothing to close in " + c.symbol());
            }
            signed = closesLong ? -lots : lots;
        } else {
            double lots = Math.min(c.volume(), fillLimit);
            signed = c.side().equals("buy") ? lots : -lots;
        }
        executions++;
        book.merge(c.symbol(), signed, Double::sum);
        return ack(c.id(), "filled", nextTicket++, fillPrice, Math.abs(signed), 0, "");
    }

    static String ack(String id, String result, long ticket, double price, double volume, int code, String error) {
        return "{\"id\":\"" + id + "\",\"result\":\"" + result + "\",\"ticket\":" + ticket + ",\"price\":" + price
                + ",\"volume\":" + volume + ",\"error_code\":" + code + ",\"error\":\"" + error + "\"}";
    }

    Answer pushState() {
        return pushState(true, "");
    }

    Answer pushState(boolean canTrade, String reason) {
        StringBuilder positions = new StringBuilder();
        book.forEach((symbol, qty) -> {
            if (qty != 0) {
                positions.append(positions.length() == 0 ? "" : ",").append("{\"ticket\":1,\"symbol\":\"").append(symbol)
                        .append("\",\"side\":\"").append(qty > 0 ? "buy" : "sell").append("\",\"volume\":").append(Math.abs(qty))
                        .append(",\"price\":").append(fillPrice).append('}');
            }
        });
        return post("state", "{\"positions\":[" + positions + "],\"account\":{\"balance\":10000,\"equity\":10000,\"currency\":\"USD\"},"
                + "\"can_trade\":" + canTrade + ",\"cannot_trade_reason\":\"" + reason + "\"}");
    }

    Map<String, Double> book() {
        return book;
    }
}
