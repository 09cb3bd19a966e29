package io.tradeflow.http.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.tradeflow.http.response.Responses;
import java.util.concurrent.TimeUnit;

/**
 * The live stream's WebSocket endpoints on the existing Netty server:
 * {@code /api/unify/v1/ws/accounts/{id}} (one account) and {@code /api/unify/v1/ws} (all the
 * user's accounts). {@code RequestRouter} hands an upgrade request here; the handshake is Netty's
 * ({@link WebSocketServerHandshakerFactory}), after which the connection's pipeline carries
 * WebSocket frames to a {@link LiveSocketHandler}. README "Live stream" documents the protocol.
 */
public final class LiveEndpoint implements AutoCloseable {
    public static final String PATH = "/api/unify/v1/ws";
    private static final String ACCOUNTS = PATH + "/accounts/";
    private static final int MAX_FRAME = 16 * 1024;
    /** The server pings an idle client this often; a client silent for three times as long is closed. */
    static final int PING_SECONDS = 25;

    private final LiveFeed feed;
    private final LiveAuth auth;
    private final LiveSettings settings;
    final LiveHub hub;
    final java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong slowClosed = new java.util.concurrent.atomic.AtomicLong();

    public LiveEndpoint(LiveFeed feed, LiveAuth auth, LiveSettings settings, double startingBalance) {
        this.feed = feed;
        this.auth = auth;
        this.settings = settings;
        this.hub = new LiveHub(settings, startingBalance);
    }

    /** Called by the HTTP server once its event loop runs: the hub lives there. */
    public void start(EventExecutor loop) {
        hub.start(loop);
        feed.attach(loop, hub::publish, hub::lost);
    }

    public boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /**
     * Upgrades the connection, or answers HTTP: 404 for an unknown path or an account id that is not
     * a number, 405 for another method than GET, 426 without a WebSocket upgrade. {@code toWebSocket}
     * removes the HTTP-only handlers (aggregator, request deadline, router) just before the handshake.
     */
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path, Runnable toWebSocket) {
        long accountId = accountId(path);
        if (accountId < 0) {
            Responses.sendError(ctx, HttpResponseStatus.NOT_FOUND, "NOT_FOUND",
                    "no such stream: /api/unify/v1/ws or /api/unify/v1/ws/accounts/{id}", null, false);
            return;
        }
        if (request.method() != HttpMethod.GET) {
            Responses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED",
                    "the live stream is a WebSocket: GET with Upgrade: websocket", null, false);
            return;
        }
        if (!"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
            Responses.sendError(ctx, HttpResponseStatus.UPGRADE_REQUIRED, "UPGRADE_REQUIRED",
                    "the live stream is a WebSocket: send Upgrade: websocket", null, false);
            return;
        }
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + path;
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, false, MAX_FRAME)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        toWebSocket.run();
        ctx.pipeline().addLast("live-idle", new IdleStateHandler(PING_SECONDS * 3, PING_SECONDS, 0, TimeUnit.SECONDS));
        ctx.pipeline().addLast("live", new LiveSocketHandler(this, accountId, settings));
        handshaker.handshake(ctx.channel(), request);
    }

    /** 0 for the user's stream, the id for an account's, -1 when the path names neither. */
    static long accountId(String path) {
        if (path.equals(PATH)) {
            return 0;
        }
        if (!path.startsWith(ACCOUNTS)) {
            return -1;
        }
        String id = path.substring(ACCOUNTS.length());
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long value = Long.parseLong(id);
        return value > 0 ? value : -1;
    }

    LiveAuth auth() {
        return auth;
    }

    /**
     * Subscribes an authenticated client (on the hub's loop): {@code connected} first, then with
     * {@code since} every message after it, or {@code reload} when they are no longer all kept.
     */
    void subscribe(LiveClient client, long accountId, long userId, long since, String epoch) {
        if (client.isClosed()) {
            return;
        }
        LiveStream stream = hub.stream(accountId, userId);
        client.onEnd(connected::decrementAndGet, slowClosed::incrementAndGet);
        connected.incrementAndGet();
        ObjectNode connected = JsonNodeFactory.instance.objectNode()
                .put("type", "connected")
                .put("stream", accountId > 0 ? "account" : "user")
                .put("user_id", userId)
                .put("seq", stream.seq())
                .put("epoch", hub.epoch);
        if (accountId > 0) {
            connected.put("account_id", accountId);
        } else {
            connected.putNull("account_id");
        }
        client.send(LiveStream.bytes(connected));
        boolean sameRun = epoch == null || epoch.equals(hub.epoch);
        if (since >= 0 && sameRun && stream.subscribe(client, since)) {
            return;
        }
        stream.subscribe(client, -1);
        if (since >= 0) {
            client.send(LiveStream.bytes(JsonNodeFactory.instance.objectNode()
                    .put("type", "reload")
                    .put("seq", stream.seq())
                    .put("reason", sameRun ? "messages after seq " + since + " are no longer kept; reload and continue"
                            : "the server restarted; reload and continue")));
        }
    }

    /** Authenticated clients connected now (any thread). */
    public int connectedClients() {
        return connected.get();
    }

    /** Clients closed since the start because they read too slowly (4008), any thread. */
    public long slowClientsClosed() {
        return slowClosed.get();
    }

    /** Updates the ring handed over but the event loop had no room for (every client was told to reload). */
    public long droppedUpdates() {
        return feed.droppedTotal();
    }

    /**
     * The extension point for messages that are not one decided event's fields, such as copy
     * trading's {@code protection_event}: sends {@code data} as a message of {@code type} to the
     * account's stream and its user's, numbered like the others. Any thread; never blocks.
     */
    public void publish(String type, long accountId, long userId, ObjectNode data) {
        EventExecutor loop = hub.loop();
        if (loop != null) {
            ObjectNode copy = data.deepCopy();
            loop.execute(() -> hub.publishExtra(type, accountId, userId, copy));
        }
    }

    /** Tells every client the server is stopping (1001) before the event loop ends; waits at most a second. */
    public void goingAway() {
        EventExecutor loop = hub.loop();
        if (loop != null && !loop.isShuttingDown()) {
            loop.submit(() -> hub.closeAll(CloseCodes.GOING_AWAY, "the server is stopping; reconnect with since"))
                    .awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        auth.close();
    }
}
