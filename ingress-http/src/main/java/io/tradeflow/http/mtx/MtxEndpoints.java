package io.tradeflow.http.mtx;

import io.tradeflow.http.response.Responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tradeflow.broker.api.AccountSnapshot;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.broker.mtx.MtxAck;
import io.tradeflow.broker.mtx.MtxBridge;
import io.tradeflow.broker.mtx.MtxBridges;
import io.tradeflow.broker.mtx.MtxCommand;
import io.tradeflow.broker.mtx.MtxProtocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP side of the MetaTrader EA bridge ({@code /api/mtx/v1/…}), protocol
 * {@value MtxProtocol#VERSION}. The EA authenticates every call with
 * {@code Authorization: Bearer <license token>} and names its protocol version in
 * {@code X-TradeFlow-Protocol} (any other version, or none: 426 {@code EA_OUTDATED}, and the account
 * shows the EA as outdated) and, on poll and ack, its instance in {@code X-TradeFlow-Instance}.
 * Runs on the Netty event loop and never blocks it: a long poll parks a callback on the bridge and
 * a timer on the loop, whichever fires first answers.
 *
 * <ul>
 *   <li>{@code POST poll[?wait_ms=N][&format=text]}: this instance's commands not yet acknowledged
 *       (JSON, or a {@code commands=N|server_time=T|protocol=2} line and one {@code |}-separated
 *       line per command)</li>
 *   <li>{@code POST ack} {@code {"id","result":"filled"|"placed"|"refused"|"expired"|"unknown",
 *       "ticket","price","volume","error_code","error"}}</li>
 *   <li>{@code POST state} {@code {"positions":[{"ticket","symbol","side","volume","price"}],
 *       "account":{"balance","equity","currency"},"can_trade":true|false,"cannot_trade_reason"}}</li>
 *   <li>{@code POST heartbeat}</li>
 * </ul>
 */
public final class MtxEndpoints {
    public static final String PREFIX = "/api/mtx/v1/";
    static final long MAX_WAIT_MILLIS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MtxBridges bridges;

    public MtxEndpoints(MtxBridges bridges) {
        this.bridges = bridges;
    }

    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
        if (request.method() != HttpMethod.POST) {
            Responses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "the EA endpoints accept POST only",
                    null, keepAlive);
            return;
        }
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        MtxBridge bridge = auth != null && auth.startsWith("Bearer ") ? bridges.forToken(auth.substring(7).trim()) : null;
        if (bridge == null) {
            Responses.sendError(ctx, HttpResponseStatus.UNAUTHORIZED, "UNAUTHORIZED", "missing or unknown license token",
                    "Authorization", keepAlive);
            return;
        }
        String version = request.headers().get(MtxProtocol.VERSION_HEADER);
        if (version == null || !version.strip().equals(Integer.toString(MtxProtocol.VERSION))) {
            // Not a heartbeat: an old EA must not look connected, or it would get commands it misreads.
            bridge.refuseProtocol(version);
            Responses.sendError(ctx, HttpResponseStatus.UPGRADE_REQUIRED, "EA_OUTDATED", MtxProtocol.outdated(version),
                    MtxProtocol.VERSION_HEADER, keepAlive);
            return;
        }
        String endpoint = path.substring(PREFIX.length());
        try {
            switch (endpoint) {
                case "poll":
                    poll(ctx, request, bridge, keepAlive);
                    break;
                case "ack":
                    ack(ctx, body(request), bridge, instance(request), keepAlive);
                    break;
                case "state":
                    state(ctx, body(request), bridge, keepAlive);
                    break;
                case "heartbeat":
                    bridge.heartbeat();
                    sendJson(ctx, Map.of("ok", true, "server_time", System.currentTimeMillis(), "protocol", MtxProtocol.VERSION),
                            keepAlive);
                    break;
                default:
                    Responses.sendError(ctx, HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint", null, keepAlive);
            }
        } catch (BadField e) {
            Responses.sendError(ctx, HttpResponseStatus.BAD_REQUEST, "INVALID_PAYLOAD", e.getMessage(), e.field, keepAlive);
        }
    }

    private void poll(ChannelHandlerContext ctx, FullHttpRequest request, MtxBridge bridge, boolean keepAlive) throws BadField {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        boolean text = "text".equals(first(query, "format"));
        long waitMillis = 0;
        String wait = first(query, "wait_ms");
        if (wait != null) {
            try {
                waitMillis = Math.min(MAX_WAIT_MILLIS, Math.max(0, Long.parseLong(wait)));
            } catch (NumberFormatException e) {
                throw new BadField("wait_ms", "wait_ms must be a whole number of milliseconds");
            }
        }
        String instance = instance(request);
        List<MtxCommand> commands = bridge.poll(instance);
        if (!commands.isEmpty() || waitMillis == 0) {
            answerPoll(ctx, commands, text, keepAlive, bridge.running());
            return;
        }
        AtomicBoolean answered = new AtomicBoolean();
        Runnable[] wake = new Runnable[1];
        ScheduledFuture<?> timeout = ctx.executor().schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                bridge.forgetWaiter(wake[0]);
                answerPoll(ctx, bridge.poll(instance), text, keepAlive, bridge.running());
            }
        }, waitMillis, TimeUnit.MILLISECONDS);
        wake[0] = () -> ctx.executor().execute(() -> {
            if (answered.compareAndSet(false, true)) {
                timeout.cancel(false);
                answerPoll(ctx, bridge.poll(instance), text, keepAlive, bridge.running());
            }
        });
        if (!bridge.awaitCommands(instance, wake[0])) {
            wake[0].run();
        }
    }

    /** {@code ea_state}: running, or stopped by the user from the dashboard (the EA then executes nothing). */
    private static void answerPoll(ChannelHandlerContext ctx, List<MtxCommand> commands, boolean text, boolean keepAlive,
                                   boolean running) {
        if (text) {
            StringBuilder body = new StringBuilder("commands=").append(commands.size()).append("|server_time=")
                    .append(System.currentTimeMillis()).append("|protocol=").append(MtxProtocol.VERSION)
                    .append("|ea_state=").append(running ? "running" : "stopped").append('\n');
            commands.forEach(c -> body.append(c.toTextLine()).append('\n'));
            ByteBuf buf = ctx.alloc().buffer(body.length());
            buf.writeCharSequence(body, StandardCharsets.UTF_8);
            FullHttpResponse response = Responses.json(HttpResponseStatus.OK, buf);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            Responses.send(ctx, response, keepAlive);
            return;
        }
        List<Object> list = new ArrayList<>(commands.size());
        commands.forEach(c -> list.add(c.toJson()));
        sendJson(ctx, Map.of("commands", list, "server_time", System.currentTimeMillis(), "protocol", MtxProtocol.VERSION,
                "ea_state", running ? "running" : "stopped"), keepAlive);
    }

    private static void ack(ChannelHandlerContext ctx, JsonNode body, MtxBridge bridge, String instance, boolean keepAlive)
            throws BadField {
        String id = requiredText(body, "id");
        MtxAck.Result result = MtxAck.Result.of(body.path("result").asText(""));
        if (result == null) {
            throw new BadField("result", "result must be filled, placed, refused, expired or unknown");
        }
        boolean filled = result == MtxAck.Result.FILLED;
        double volume = number(body, "volume", filled);
        double price = number(body, "price", filled);
        if (filled && !(volume > 0)) {
            throw new BadField("volume", "a filled command needs the executed volume above 0 (nothing executed: refused)");
        }
        if (filled && !(price > 0)) {
            throw new BadField("price", "a filled command needs the deal price above 0");
        }
        JsonNode ticket = body.path("ticket");
        if (!ticket.isMissingNode() && !ticket.isNull() && !ticket.canConvertToLong()) {
            throw new BadField("ticket", "ticket must be a whole number");
        }
        JsonNode code = body.path("error_code");
        if (!code.isMissingNode() && !code.isNull() && !code.canConvertToInt()) {
            throw new BadField("error_code", "error_code must be a whole number");
        }
        // The EA's text goes into the log and the webhook log: one line, bounded.
        MtxAck ack = new MtxAck(id, result, ticket.asLong(0), price, volume, code.asInt(0),
                truncate(body.path("error").asText(""), 300));
        MtxBridge.AckOutcome outcome = bridge.acknowledge(ack, instance);
        if (outcome == MtxBridge.AckOutcome.NOT_CLAIMED) {
            Responses.sendError(ctx, HttpResponseStatus.CONFLICT, "NOT_CLAIMED",
                    "command " + id + " was delivered to another EA instance on this account; only that instance may answer it"
                            + " (run one EA per account)", MtxProtocol.INSTANCE_HEADER, keepAlive);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        // A repeated or unknown id changes nothing: an EA retrying its ack cannot book a fill twice.
        answer.put("duplicate", outcome == MtxBridge.AckOutcome.DUPLICATE);
        sendJson(ctx, answer, keepAlive);
    }

    private static void state(ChannelHandlerContext ctx, JsonNode body, MtxBridge bridge, boolean keepAlive) throws BadField {
        JsonNode rows = body.path("positions");
        if (!rows.isArray()) {
            throw new BadField("positions", "positions must be an array");
        }
        List<BrokerPosition> positions = new ArrayList<>();
        int i = 0;
        for (JsonNode row : rows) {
            String side = requiredText(row, "side", "positions[" + i + "].side");
            if (!side.equals("buy") && !side.equals("sell")) {
                throw new BadField("positions[" + i + "].side", "side must be buy or sell");
            }
            double volume = number(row, "volume", true, "positions[" + i + "].volume");
            positions.add(new BrokerPosition(row.path("ticket").asText(), requiredText(row, "symbol", "positions[" + i + "].symbol"),
                    side.equals("buy") ? volume : -volume, row.path("price").asDouble(0)));
            i++;
        }
        JsonNode account = body.path("account");
        AccountSnapshot snapshot = account.isObject()
                ? new AccountSnapshot("", account.path("currency").asText(""), account.path("balance").asDouble(0),
                        account.path("equity").asDouble(0))
                : null;
        JsonNode canTrade = body.path("can_trade");
        if (!canTrade.isMissingNode() && !canTrade.isBoolean()) {
            throw new BadField("can_trade", "can_trade must be true or false");
        }
        String cannotTrade = canTrade.asBoolean(true) ? null
                : truncate(body.path("cannot_trade_reason").asText("the terminal reports it cannot trade"), 200);
        bridge.pushState(positions, snapshot, cannotTrade);
        sendJson(ctx, Map.of("ok", true), keepAlive);
    }

    private static JsonNode body(FullHttpRequest request) throws BadField {
        if (request.content().readableBytes() == 0) {
            throw new BadField("body", "a JSON body is required");
        }
        try (ByteBufInputStream in = new ByteBufInputStream(request.content().duplicate())) {
            JsonNode node = JSON.readTree((java.io.InputStream) in);
            if (node == null || !node.isObject()) {
                throw new BadField("body", "the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadField("body", "the body is not valid JSON");
        }
    }

    private static String requiredText(JsonNode node, String name) throws BadField {
        return requiredText(node, name, name);
    }

    private static String requiredText(JsonNode node, String name, String field) throws BadField {
        JsonNode value = node.get(name);
        if (value == null || !value.isValueNode() || value.asText().isEmpty()) {
            throw new BadField(field, field + " is required");
        }
        return value.asText();
    }

    private static double number(JsonNode node, String name, boolean required) throws BadField {
        return number(node, name, required, name);
    }

    private static double number(JsonNode node, String name, boolean required, String field) throws BadField {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadField(field, field + " is required");
            }
            return 0;
        }
        if (!value.isNumber() || value.asDouble() < 0) {
            throw new BadField(field, field + " must be a number >= 0");
        }
        return value.asDouble();
    }

    /** The EA instance (a stable id it keeps in the terminal), required on poll and ack. */
    private static String instance(FullHttpRequest request) throws BadField {
        String instance = request.headers().get(MtxProtocol.INSTANCE_HEADER);
        if (instance == null || instance.isBlank()) {
            throw new BadField(MtxProtocol.INSTANCE_HEADER, MtxProtocol.INSTANCE_HEADER + " is required");
        }
        instance = instance.strip();
        if (instance.length() > 64 || !instance.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new BadField(MtxProtocol.INSTANCE_HEADER, MtxProtocol.INSTANCE_HEADER + " must be 1 to 64 printable characters");
        }
        return instance;
    }

    private static String truncate(String text, int max) {
        StringBuilder clean = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && clean.length() < max; i++) {
            char c = text.charAt(i);
            clean.append(c < 32 || c == 127 ? ' ' : c);
        }
        return clean.toString();
    }

    private static String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void sendJson(ChannelHandlerContext ctx, Object body, boolean keepAlive) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an EA answer", e);
        }
        Responses.send(ctx, Responses.json(HttpResponseStatus.OK, ctx.alloc().buffer(bytes.length).writeBytes(bytes)), keepAlive);
    }

    /** A request field the EA got wrong: answered 400 naming it. */
    private static final class BadField extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        BadField(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
