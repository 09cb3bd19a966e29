package io.tradeflow.http.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection of the live stream. The first text message must be
 * {@code {"token": "<access token>", "since": <seq>?, "epoch": "<epoch>"?}} within the
 * authentication timeout; afterwards the client may send {@code {"type": "ping"}} (answered
 * {@code {"type": "pong"}}) and protocol pings (answered with pongs). The server pings an idle
 * client and closes one that stays silent.
 */
final class LiveSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] PONG = "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_8);

    private final LiveEndpoint endpoint;
    private final long accountId;
    private final LiveSettings settings;
    private LiveClient client;
    private ScheduledFuture<?> authDeadline;
    /** The token was received (its check may still run). */
    private boolean tokenReceived;
    private volatile boolean authenticated;

    LiveSocketHandler(LiveEndpoint endpoint, long accountId, LiveSettings settings) {
        this.endpoint = endpoint;
        this.accountId = accountId;
        this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        client = new LiveClient(ctx.channel(), settings.clientBuffer());
        // On the live loop: added during the handshake, this handler still runs on the webhook loop.
        authDeadline = endpoint.hub.loop().schedule(() -> {
            if (!authenticated) {
                onHub(() -> client.close(CloseCodes.AUTH_TIMEOUT,
                        "no token within " + settings.authTimeout().toSeconds() + " s: send {\"token\": \"...\"} first"));
            }
        }, settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof PongWebSocketFrame) {
            return;
        } else if (frame instanceof CloseWebSocketFrame) {
            int code = ((CloseWebSocketFrame) frame).statusCode();
            // Echo the client's close (RFC 6455), then end the connection.
            ctx.writeAndFlush(code > 0 ? new CloseWebSocketFrame(code, "") : new CloseWebSocketFrame())
                    .addListener(f -> ctx.close());
        } else if (frame instanceof TextWebSocketFrame text) {
            onText(text.text());
        } else {
            onHub(() -> client.close(CloseCodes.BAD_MESSAGE, "only text messages (JSON) are accepted"));
        }
    }

    private void onText(String text) {
        JsonNode message;
        try {
            message = MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            onHub(() -> client.close(CloseCodes.BAD_MESSAGE, "messages are JSON objects"));
            return;
        }
        if (tokenReceived) {
            if ("ping".equals(message.path("type").asText())) {
                onHub(() -> client.send(PONG));
            }
            // Other messages are ignored: the stream flows one way.
            return;
        }
        JsonNode token = message.get("token");
        JsonNode since = message.get("since");
        JsonNode epoch = message.get("epoch");
        if (token == null || !token.isTextual() || token.asText().isBlank()) {
            onHub(() -> client.close(CloseCodes.BAD_MESSAGE, "send {\"token\": \"<access token>\"} first"));
            return;
        }
        if (since != null && !since.isNull() && !(since.canConvertToLong() && since.asLong() >= 0)) {
            onHub(() -> client.close(CloseCodes.BAD_MESSAGE, "since must be a sequence number >= 0"));
            return;
        }
        tokenReceived = true;
        long from = since == null || since.isNull() ? -1 : since.asLong();
        String run = epoch == null || !epoch.isTextual() ? null : epoch.asText();
        endpoint.auth().check(token.asText(), accountId).thenAccept(grant -> onHub(() -> {
            if (!grant.granted()) {
                client.close(grant.closeCode(), grant.reason());
                return;
            }
            authenticated = true;
            authDeadline.cancel(false);
            endpoint.subscribe(client, accountId, new LiveAuth.Session(grant.userId(), grant.issuedAt()), from, run);
        }));
    }

    /** Runs {@code task} on the hub's loop: at once once the channel has moved there (see {@link LiveEndpoint#upgrade}). */
    private void onHub(Runnable task) {
        EventExecutor loop = endpoint.hub.loop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            onHub(client::writable);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        authDeadline.cancel(false);
        onHub(client::closed);
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame());
            } else if (idle.state() == IdleState.READER_IDLE) {
                onHub(() -> client.close(CloseCodes.IDLE, "nothing received for "
                        + LiveEndpoint.PING_SECONDS * 3 + " s (not even a pong)"));
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
