package io.tradeflow.http;

import com.lmax.disruptor.RingBuffer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tradeflow.config.CpuSet;
import io.tradeflow.config.HttpConfig;
import io.tradeflow.http.ws.LiveEndpoint;
import io.tradeflow.http.mtx.MtxEndpoints;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.threads.CpuPinning;
import io.tradeflow.http.api.DashboardApi;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The Netty HTTP server: one event loop (the machine has two cores: one for I/O, one for the
 * ring), epoll where available. With a live stream, a second, live-only event loop
 * ({@code tradeflow-live}) owns the WebSocket connections once upgraded ({@link LiveEndpoint}), so
 * writing decisions to a thousand clients never delays the answer to an alert; it runs where the
 * projection does, off the router's CPUs.
 */
public final class HttpServer implements AutoCloseable {
    /** Idle keep-alive connections are closed after this long. */
    private static final int IDLE_SECONDS = 120;

    private final HttpConfig config;
    private final RingBuffer<RingEvent> ring;
    private final DashboardApi dashboard;
    private final OpsEndpoints ops;
    private final ConnectionLimiter limiter;
    private final MtxEndpoints mtx;
    private final CpuSet eventLoopCpus;
    private final CorsPolicy cors;
    private final WebhookCapture capture;
    private final StaticAssets assets = new StaticAssets();
    private final LiveEndpoint live;
    private EventLoopGroup group;
    private EventLoopGroup liveGroup;
    private Channel serverChannel;

    /** {@code mtx} serves the MetaTrader EA bridge; null when there is none. */
    public HttpServer(HttpConfig config, RingBuffer<RingEvent> ring, DashboardApi dashboard, OpsEndpoints ops,
                      MtxEndpoints mtx) {
        this(config, ring, dashboard, ops, mtx, CpuSet.NONE);
    }

    /** @param eventLoopCpus where the event loop runs ({@link CpuPinning}); {@link CpuSet#NONE} leaves it to the OS */
    public HttpServer(HttpConfig config, RingBuffer<RingEvent> ring, DashboardApi dashboard, OpsEndpoints ops,
                      MtxEndpoints mtx, CpuSet eventLoopCpus) {
        this(config, ring, dashboard, ops, mtx, eventLoopCpus, null);
    }

    /** @param capture keeps each alert's body and answer for the webhook log (null: none kept) */
    public HttpServer(HttpConfig config, RingBuffer<RingEvent> ring, DashboardApi dashboard, OpsEndpoints ops,
                      MtxEndpoints mtx, CpuSet eventLoopCpus, WebhookCapture capture) {
        this(config, ring, dashboard, ops, mtx, eventLoopCpus, capture, null);
    }

    /** @param live the live stream's WebSocket endpoints (null: none) */
    public HttpServer(HttpConfig config, RingBuffer<RingEvent> ring, DashboardApi dashboard, OpsEndpoints ops,
                      MtxEndpoints mtx, CpuSet eventLoopCpus, WebhookCapture capture, LiveEndpoint live) {
        this.live = live;
        this.capture = capture;
        this.eventLoopCpus = eventLoopCpus;
        this.mtx = mtx;
        this.config = config;
        this.ring = ring;
        this.dashboard = dashboard;
        this.ops = ops;
        this.limiter = new ConnectionLimiter(config.maxConnections());
        this.cors = new CorsPolicy(config.corsOrigins());
    }

    /** Binds and returns the actual port (useful with port 0). */
    public int start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(1,
                CpuPinning.pinning(new DefaultThreadFactory("tradeflow-http", true), eventLoopCpus), io);
        if (live != null) {
            liveGroup = new MultiThreadIoEventLoopGroup(1,
                    CpuPinning.pinning(new DefaultThreadFactory("tradeflow-live", true), liveCpus()), io);
            live.start(liveGroup.next());
        }
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineBytes())
                .setMaxHeaderSize(config.maxHeaderBytes());
        int maxBody = config.maxBodyBytes();
        long requestTimeoutNanos = config.requestTimeout().toNanos();
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WebhookIngress ingress = ingressFor(maxBody);
                        RequestDeadline deadline = new RequestDeadline(requestTimeoutNanos);
                        // Named: a WebSocket upgrade removes the HTTP-only ones (RequestRouter.toWebSocket).
                        ch.pipeline()
                                .addLast(limiter)
                                .addLast(RequestRouter.IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                                .addLast(RequestRouter.DEADLINE_RAW, deadline.rawBytes())
                                .addLast(new HttpServerCodec(decoder))
                                .addLast(RequestRouter.DEADLINE_END, deadline.requestEnd())
                                .addLast(RequestRouter.AGGREGATOR, new WebhookAggregator(maxBody, ingress));
                        if (cors.enabled()) {
                            ch.pipeline().addLast(RequestRouter.CORS, cors.new Headers());
                        }
                        ch.pipeline().addLast(RequestRouter.ROUTER, new RequestRouter(ingress, perIpLimiter(),
                                new SourceAllowlist(config.webhookAllowedSources()), dashboard, ops, mtx, cors, capture, assets,
                                live));
                    }
                })
                .bind(new InetSocketAddress(config.host(), config.port()))
                .sync()
                .channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * The CPUs left over by the router's ({@link CpuSet#NONE} when nothing is pinned). Explicit rather than
     * inherited: the live loop's thread starts on whichever thread first hands it work, which could be a pinned one.
     */
    private CpuSet liveCpus() {
        if (eventLoopCpus.isEmpty() || !CpuPinning.supported()) {
            return CpuSet.NONE;
        }
        CpuSet others = CpuPinning.allowedCpus().minus(eventLoopCpus);
        return others.isEmpty() ? CpuSet.NONE : others;
    }

    /** Whether {@code loop} is one of the event loops answering HTTP requests (webhooks), as opposed to the live one. */
    public boolean answersWebhooksOn(io.netty.util.concurrent.EventExecutor loop) {
        if (group == null) {
            return false;
        }
        for (io.netty.util.concurrent.EventExecutor e : group) {
            if (e == loop) {
                return true;
            }
        }
        return false;
    }

    /** One ingress (parser, hasher, scratch buffer) per event-loop thread, created on that thread. */
    private final ThreadLocal<WebhookIngress> ingressPerThread = new ThreadLocal<>();

    private WebhookIngress ingressFor(int maxBody) {
        WebhookIngress ingress = ingressPerThread.get();
        if (ingress == null) {
            ingress = new WebhookIngress(ring, maxBody);
            ingressPerThread.set(ingress);
        }
        return ingress;
    }

    /** One per-address limiter per event-loop thread: its counts are confined to that thread. */
    private final ThreadLocal<PerIpRateLimiter> perIpPerThread = new ThreadLocal<>();

    private PerIpRateLimiter perIpLimiter() {
        PerIpRateLimiter perIp = perIpPerThread.get();
        if (perIp == null) {
            perIp = new PerIpRateLimiter(config.perIpRequests(), config.perIpWindow().toMillis());
            perIpPerThread.set(perIp);
        }
        return perIp;
    }

    /** Stops accepting new connections; open ones stay so in-flight alerts still get their answer. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    /** Stops accepting and closes every connection and the event loop. */
    @Override
    public void close() {
        stopAccepting();
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (liveGroup != null) {
            liveGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
