package io.tradeflow.http.ws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.tradeflow.http.response.Responses;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The live stream's WebSocket endpoints on the existing Netty server:
 * {@code /api/unify/v1/ws/accounts/{id}} (one account) and {@code /api/unify/v1/ws} (all the
 * user's accounts). {@code RequestRouter} hands an upgrade request here; the handshake is Netty's
 * ({@link WebSocketServerHandshakerFactory}), after which the connection's pipeline carries
 * WebSocket frames to a {@link LiveSocketHandler}. README "Live stream" documents the protocol.
 *
 * <p>Two event loops: the HTTP server's answers the webhooks, and a live-only one ({@link #start})
 * runs the hub and owns every WebSocket connection. A connection is accepted on the webhook loop
 * like any HTTP request; once its handshake is answered it moves to the live loop. Why: an alert's
 * decision is written to every client of the account, and with a thousand clients (stalled ones
 * included: their kernel buffers keep accepting for a while) those writes took the webhook loop
 * milliseconds per alert, which the next alerts' answers waited for.
 */
public final class LiveEndpoint implements AutoCloseable {
    public static final String PATH = "/api/unify/v1/ws";
    private static final String ACCOUNTS = PATH + "/accounts/";
    private static final int MAX_FRAME = 16 * 1024;
    private static final String LIVE = "live";
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

    /**
     * Called by the HTTP server with the live-only event loop (never the one answering webhooks): the
     * hub lives there, and every WebSocket connection moves there after its handshake.
     */
    public void start(EventLoop liveLoop) {
        hub.start(liveLoop);
        feed.attach(liveLoop, hub::publish, hub::lost, hub::watches);
        long every = settings.sessionRecheck().toMillis();
        liveLoop.scheduleAtFixedRate(this::recheckSessions, every, every, TimeUnit.MILLISECONDS);
    }

    /** On the live loop: the sessions are checked off it (PostgreSQL), the clients of ended ones closed back on it. */
    private void recheckSessions() {
        Set<LiveAuth.Session> open = hub.sessions();
        if (open.isEmpty()) {
            return;
        }
        EventLoop loop = hub.loop();
        auth.ended(open).thenAccept(ended -> {
            if (!ended.isEmpty() && !loop.isShuttingDown()) {
                loop.execute(() -> hub.closeSessions(ended, "this session ended (the password was changed, or the user"
                        + " suspended); sign in again"));
            }
        });
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
        Channel channel = ctx.channel();
        // Nothing more is read on this loop: the client's first message is read once the channel has moved.
        channel.config().setAutoRead(false);
        ctx.pipeline().addLast(LIVE, new LiveSocketHandler(this, accountId, settings));
        handshaker.handshake(channel, request).addListener((ChannelFuture answered) -> moveToLiveLoop(answered));
    }

    /**
     * Moves a connection whose handshake was answered from the webhook loop to the live loop: deregistered
     * from the one (its handlers then run nowhere), registered with the other (Netty 4.2 resets the pipeline's
     * executors on deregistration). Reading resumes there; the ping timer starts there.
     */
    private void moveToLiveLoop(ChannelFuture answered) {
        Channel channel = answered.channel();
        if (!answered.isSuccess()) {
            channel.close();
            return;
        }
        channel.deregister().addListener(off -> {
            if (!off.isSuccess()) {
                channel.close();
                return;
            }
            hub.loop().register(channel).addListener(on -> {
                if (!on.isSuccess()) {
                    channel.close();
                    return;
                }
                channel.pipeline().addBefore(LIVE, "live-idle",
                        new IdleStateHandler(PING_SECONDS * 3, PING_SECONDS, 0, TimeUnit.SECONDS));
                channel.config().setAutoRead(true);
            });
        });
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
    void subscribe(LiveClient client, long accountId, LiveAuth.Session session, long since, String epoch) {
        if (client.isClosed()) {
            return;
        }
        long userId = session.userId();
        client.userId = userId;
        client.session = session;
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

    /**
     * The event loops of the authenticated clients' connections now, one per client (any thread; waits for the
     * live loop at most a second). Tests check that none is the webhook loop.
     */
    public List<EventLoop> clientLoops() {
        EventLoop loop = hub.loop();
        if (loop == null) {
            return List.of();
        }
        return loop.submit(hub::clientLoops).syncUninterruptibly().getNow();
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
