package io.tradeflow.bench.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tradeflow.config.CpuSet;
import io.tradeflow.core.threads.CpuPinning;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Target (A) of the load harness: the floor a Netty HTTP server sets on this machine. Same shape
 * as TradeFlow's ingress (one event loop, epoll where available, {@code HttpServerCodec} with the
 * same limits, a 64 KiB aggregator, the same response headers) answering every webhook with the
 * same 200 JSON TradeFlow gives an accepted alert, but without parsing, ring, stages or journal.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.tradeflow.bench.load.BareNettyServer [--port N] [--router-cpus LIST]</pre>
 */
public final class BareNettyServer implements AutoCloseable {
    static final String WEBHOOK_PATH = "/api/unify/v1/webhook";
    /** TradeFlow's answer to an accepted open buy (WebhookReply), byte for byte in shape. */
    static final byte[] ACCEPTED = ("{\"success\":true,\"order_id\":\"ord_1\",\"intent_id\":\"int_89249420410882\","
            + "\"status\":\"accepted\",\"message\":\"Market buy order executed for EURUSD\",\"symbol\":\"EURUSD\","
            + "\"side\":\"buy\",\"quantity\":1.0,\"fill_price\":1.0854,\"position\":1.0}").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READY = "{\"status\":\"READY\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_FOUND = "{\"success\":false,\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such endpoint\"}}"
            .getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final Channel serverChannel;

    private BareNettyServer(int port, CpuSet eventLoopCpus) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(1,
                CpuPinning.pinning(new DefaultThreadFactory("bare-http", true), eventLoopCpus), io);
        HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192);
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(decoder))
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new Answer());
                    }
                })
                .bind(new InetSocketAddress("0.0.0.0", port))
                .sync()
                .channel();
    }

    public static BareNettyServer start(int port) throws InterruptedException {
        return start(port, CpuSet.NONE);
    }

    /**
     * @param eventLoopCpus CPUs for the event loop, every other thread kept off them: TradeFlow's
     *                      {@code threads.router-cpus}, so A runs on the same CPUs as the router
     */
    public static BareNettyServer start(int port, CpuSet eventLoopCpus) throws InterruptedException {
        CpuPinning.reserve(eventLoopCpus);
        return new BareNettyServer(port, eventLoopCpus);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String uri = request.uri();
            byte[] body;
            HttpResponseStatus status = HttpResponseStatus.OK;
            if (uri.startsWith(WEBHOOK_PATH)) {
                body = ACCEPTED;
            } else if (uri.startsWith("/ready") || uri.startsWith("/health")) {
                body = READY;
            } else {
                body = NOT_FOUND;
                status = HttpResponseStatus.NOT_FOUND;
            }
            ByteBuf content = ctx.alloc().buffer(body.length).writeBytes(body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                    .set("X-Content-Type-Options", "nosniff");
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        Optional<CpuSet> cpus = Optional.of(CpuSet.NONE);
        boolean usable = true;
        for (int i = 0; i < args.length && usable; i++) {
            if ("--port".equals(args[i]) && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if ("--router-cpus".equals(args[i]) && i + 1 < args.length) {
                cpus = CpuSet.parse(args[++i]);
            } else {
                usable = false;
            }
        }
        if (!usable || cpus.isEmpty()) {
            System.err.println("usage: BareNettyServer [--port N] [--router-cpus LIST]");
            System.exit(2);
        }
        BareNettyServer server = start(port, cpus.get());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "bare-shutdown"));
        System.out.println("BareNettyServer listening on http://localhost:" + server.port());
        System.out.flush();
        stopped.await();
    }
}
