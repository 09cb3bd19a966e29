package io.tradeflow.http.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected WebSocket client. Confined to the hub's event loop. A message is written at once
 * while the channel is writable (Netty's write-buffer high-water mark); otherwise it waits in a
 * bounded queue that drains when the channel becomes writable again. A client whose queue is full
 * reads too slowly and is closed with {@link CloseCodes#TOO_SLOW}: it can resume with {@code since}.
 */
final class LiveClient {
    private static final Logger LOG = LoggerFactory.getLogger(LiveClient.class);

    final Channel channel;
    private final int maxQueued;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    /** The stream it follows, once authenticated. */
    LiveStream stream;
    private boolean closed;
    private Runnable onEnd = () -> { };
    private Runnable onSlow = () -> { };

    private final Runnable flushTask = this::flushNow;
    private boolean flushScheduled;

    LiveClient(Channel channel, int maxQueued) {
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    /** Once subscribed: {@code end} runs once when the client goes, {@code slow} when it is closed for reading too slowly. */
    void onEnd(Runnable end, Runnable slow) {
        this.onEnd = end;
        this.onSlow = slow;
    }

    void send(byte[] text) {
        if (closed) {
            return;
        }
        if (queued.isEmpty() && channel.isWritable()) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(text)), channel.voidPromise());
            flushLater();
            return;
        }
        if (queued.size() >= maxQueued) {
            LOG.info("live client {} closed: {} messages waiting, it reads too slowly", channel.remoteAddress(), maxQueued);
            onSlow.run();
            close(CloseCodes.TOO_SLOW, "too slow: " + maxQueued + " messages waiting; reconnect with since");
            return;
        }
        queued.add(text);
    }

    /**
     * One flush (one system call) for everything written to this client while the current task runs: an
     * alert makes several messages, and a thousand clients would otherwise cost a flush per message each,
     * on the event loop that also answers the alerts.
     */
    private void flushLater() {
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        if (!closed) {
            channel.flush();
        }
    }

    /** The channel can take more: send what waits. */
    void writable() {
        boolean wrote = false;
        while (!closed && !queued.isEmpty() && channel.isWritable()) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(queued.poll())), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * Sends a close frame with the code and reason, then closes the connection without waiting for
     * the peer's close (a stalled peer would never answer, and its unsent messages are dropped).
     */
    void close(int code, String reason) {
        if (closed) {
            return;
        }
        end();
        if (channel.isActive()) {
            if (channel.isWritable()) {
                channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        }
    }

    /** The connection ended (either side). */
    void closed() {
        if (!closed) {
            end();
        }
    }

    private void end() {
        closed = true;
        queued.clear();
        if (stream != null) {
            stream.remove(this);
            stream = null;
            onEnd.run();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
