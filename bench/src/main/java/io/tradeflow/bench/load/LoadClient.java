package io.tradeflow.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Open-loop HTTP/1.1 load over a fixed pool of keep-alive connections, all on one Netty event
 * loop. Requests are pre-encoded and sent at their planned times ({@link OpenLoopSchedule}); a
 * connection carries one request at a time (no pipelining, as webhook senders behave), so a due
 * request with no free connection waits, and that wait counts in its latency. Every method but
 * {@link #run} and {@link #close} runs on the event loop.
 */
public final class LoadClient implements AutoCloseable {
    private final EventLoop loop;
    private final String host;
    private final int port;
    private final int connections;
    /** Pre-encoded requests, sent in turn (request i uses {@code requests[i % length]}). */
    private final ByteBuf[] requests;
    /** The buffers behind {@link #requests}, released on close. */
    private final ByteBuf[] encoded;
    private final Bootstrap bootstrap;
    private final List<Conn> all = new ArrayList<>();
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    private boolean closed;
    private Phase phase;

    /** One pooled connection and the request it carries; it outlives reconnects. */
    private static final class Conn {
        Channel channel;
        boolean active;
        long inFlight = -1;
        long plannedNanos;
        Phase inFlightPhase;
        int status;
    }

    /** The handler of one channel of a {@link Conn} (a new one per reconnect). */
    private final class ConnHandler extends ChannelInboundHandlerAdapter {
        private final Conn conn;

        ConnHandler(Conn conn) {
            this.conn = conn;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            conn.active = true;
            idle.add(conn);
            if (phase != null) {
                phase.pump();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpObject && ((HttpObject) msg).decoderResult().isFailure()) {
                    ctx.close();
                    return;
                }
                if (msg instanceof HttpResponse) {
                    conn.status = ((HttpResponse) msg).status().code();
                }
                if (msg instanceof LastHttpContent) {
                    answered(conn, conn.status);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            conn.active = false;
            idle.remove(conn);
            if (conn.inFlight >= 0) {
                lost(conn);
            }
            if (!closed) {
                // Servers close idle keep-alive connections after a while: keep the pool full.
                loop.schedule(() -> connect(conn), 10, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One constant-rate run; lives on the event loop. */
    private final class Phase {
        final OpenLoopSchedule schedule;
        final double rate;
        final long deadlineNanos;
        final CompletableFuture<PhaseResult> done = new CompletableFuture<>();
        final Histogram latency = PhaseResult.newHistogram();
        final long[] statuses = new long[600];
        long issued;
        long answered;
        long failed;
        long lastAnswerNanos;
        boolean timerArmed;

        Phase(OpenLoopSchedule schedule, double rate, long drainNanos) {
            this.schedule = schedule;
            this.rate = rate;
            this.deadlineNanos = schedule.endNanos() + drainNanos;
        }

        void pump() {
            if (done.isDone()) {
                return;
            }
            long now = System.nanoTime();
            long due = schedule.dueAt(now);
            while (issued < due && !idle.isEmpty()) {
                send(idle.poll(), issued++);
            }
            if (issued < schedule.total() && !idle.isEmpty() && !timerArmed) {
                timerArmed = true;
                long delay = Math.max(0, schedule.plannedNanos(issued) - System.nanoTime());
                loop.schedule(() -> {
                    timerArmed = false;
                    pump();
                }, delay, TimeUnit.NANOSECONDS);
            }
            finishIfComplete();
        }

        void send(Conn c, long index) {
            c.inFlight = index;
            c.inFlightPhase = this;
            c.plannedNanos = schedule.plannedNanos(index);
            c.status = 0;
            c.channel.writeAndFlush(requests[(int) (index % requests.length)].duplicate(), c.channel.voidPromise());
        }

        void record(long plannedNanos, long index, long now) {
            if (schedule.recorded(index)) {
                latency.recordValue(Math.min(PhaseResult.MAX_TRACKED_NANOS, Math.max(0, now - plannedNanos)));
            }
        }

        void finishIfComplete() {
            if (issued == schedule.total() && answered + failed == schedule.total()) {
                finish();
            }
        }

        /** At the deadline: whatever is still unsent or unanswered is failed, recorded at its age. */
        void expire() {
            if (done.isDone()) {
                return;
            }
            long now = System.nanoTime();
            for (Conn c : all) {
                if (c.inFlight >= 0 && c.inFlightPhase == this) {
                    record(c.plannedNanos, c.inFlight, now);
                    c.inFlight = -1;
                    c.inFlightPhase = null;
                    failed++;
                    // Its answer may still come: drop the connection so it cannot be taken for the next phase's.
                    c.channel.close();
                }
            }
            for (long i = issued; i < schedule.total(); i++) {
                record(schedule.plannedNanos(i), i, now);
                failed++;
            }
            issued = schedule.total();
            finish();
        }

        void finish() {
            Map<Integer, Long> byStatus = new TreeMap<>();
            for (int s = 0; s < statuses.length; s++) {
                if (statuses[s] > 0) {
                    byStatus.put(s, statuses[s]);
                }
            }
            long end = lastAnswerNanos > 0 ? lastAnswerNanos : System.nanoTime();
            phase = null;
            done.complete(new PhaseResult(rate, schedule.total(), answered, failed, byStatus, latency,
                    end - schedule.startNanos(), schedule.startNanos()));
        }
    }

    /**
     * The single-threaded event loop group load clients run on (epoll where available); the
     * clients' connections must be created on a loop of this group.
     */
    public static EventLoopGroup newEventLoopGroup() {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("load-client", true), io);
    }

    /**
     * @param loop        the event loop all connections and the pacing run on, from {@link #newEventLoopGroup()}
     * @param requests    complete HTTP/1.1 requests (headers and body), sent in turn
     */
    public LoadClient(EventLoop loop, String host, int port, int connections, List<String> requests) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.requests = new ByteBuf[requests.size()];
        this.encoded = new ByteBuf[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            byte[] bytes = requests.get(i).getBytes(StandardCharsets.US_ASCII);
            encoded[i] = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            // Each send writes a duplicate; the writes' releases must not free the shared bytes.
            this.requests[i] = Unpooled.unreleasableBuffer(encoded[i].asReadOnly());
        }
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
    }

    /** Opens the connections and waits until all are up. */
    public void connect(long timeoutMillis) throws InterruptedException, TimeoutException {
        onLoop(() -> {
            for (int i = 0; i < connections; i++) {
                Conn c = new Conn();
                all.add(c);
                connect(c);
            }
            return null;
        });
        awaitConnected(timeoutMillis);
    }

    private void connect(Conn c) {
        if (closed) {
            return;
        }
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpResponseDecoder()).addLast(new ConnHandler(c));
            }
        }).connect(host, port);
        c.channel = f.channel();
        f.addListener(r -> {
            if (!r.isSuccess() && !closed) {
                loop.schedule(() -> connect(c), 100, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Waits until every connection of the pool is up (after a server closed idle ones). */
    public void awaitConnected(long timeoutMillis) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (onLoop(() -> all.stream().filter(c -> c.active && c.inFlight < 0).count()) < connections) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not open " + connections + " connections to " + host + ":" + port);
            }
            Thread.sleep(10);
        }
    }

    /**
     * Sends at {@code ratePerSecond} for {@code durationNanos}, then waits up to {@code drainNanos}
     * for the last answers. Blocks the calling thread (not the event loop) until done.
     */
    public PhaseResult run(double ratePerSecond, long durationNanos, long warmupNanos, long drainNanos)
            throws InterruptedException {
        CompletableFuture<PhaseResult> done = onLoop(() -> {
            if (phase != null) {
                throw new IllegalStateException("a phase is already running");
            }
            OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + 1_000_000, ratePerSecond,
                    durationNanos, warmupNanos);
            Phase p = new Phase(schedule, ratePerSecond, drainNanos);
            phase = p;
            loop.schedule(p::expire, Math.max(0, p.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            p.pump();
            return p.done;
        });
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("load phase failed", e.getCause());
        }
    }

    private void answered(Conn c, int status) {
        Phase p = c.inFlightPhase;
        long index = c.inFlight;
        c.inFlight = -1;
        c.inFlightPhase = null;
        idle.add(c);
        if (p == null || index < 0) {
            return; // an answer nobody waits for any more (its phase expired)
        }
        long now = System.nanoTime();
        p.answered++;
        p.lastAnswerNanos = now;
        p.statuses[status >= 0 && status < p.statuses.length ? status : 0]++;
        p.record(c.plannedNanos, index, now);
        p.pump();
    }

    private void lost(Conn c) {
        Phase p = c.inFlightPhase;
        long index = c.inFlight;
        c.inFlight = -1;
        c.inFlightPhase = null;
        if (p != null && !p.done.isDone()) {
            p.failed++;
            p.record(c.plannedNanos, index, System.nanoTime());
            p.finishIfComplete();
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws InterruptedException {
        try {
            return loop.submit(task).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            onLoop(() -> {
                if (closed) {
                    return null;
                }
                closed = true;
                for (Conn c : all) {
                    if (c.channel != null) {
                        c.channel.close();
                    }
                }
                for (ByteBuf b : encoded) {
                    b.release();
                }
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
