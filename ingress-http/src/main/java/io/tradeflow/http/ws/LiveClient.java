package io.tradeflow.http.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected WebSocket client. Confined to the hub's event loop, which is also its channel's
 * (the live loop, never the one answering webhooks: see {@link LiveEndpoint#upgrade}). A message is written at once
 * while the channel is writable (Netty's write-buffer high-water mark); otherwise it waits in a
 * bounded queue that drains when the channel becomes writable again. A client whose queue is full
 * reads too slowly and is closed with {@link CloseCodes#TOO_SLOW}: it can resume with {@code since}.
 * Messages are whole frames ({@link LiveFrames}), usually duplicates of one buffer its stream shares
 * between its clients: each queued one holds a reference, released when it is written or dropped.
 */
final class LiveClient {
    private static final Logger LOG = LoggerFactory.getLogger(LiveClient.class);

    final Channel channel;
    private final int maxQueued;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    /** The stream it follows, once authenticated. */
    LiveStream stream;
    /** Who it is signed in as, once authenticated: a suspension or the session's end closes it (4401). */
    long userId;
    LiveAuth.Session session;
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

    /** Sends a message meant for this client alone (encoded for it). */
    void send(byte[] text) {
        if (!closed) {
            send(LiveFrames.text(text));
        }
    }

    /** Sends a frame; takes over the caller's reference (written, queued, or released here). */
    void send(ByteBuf frame) {
        if (closed) {
            frame.release();
            return;
        }
        if (queued.isEmpty()) {
            if (flushScheduled && !channel.isWritable()) {
                // Unwritable perhaps only for what this task wrote and has not flushed yet (a drain of many
                // decisions at once): hand that to the kernel before calling the client slow.
                channel.flush();
            }
            if (channel.isWritable()) {
                channel.write(frame, channel.voidPromise());
                flushLater();
                return;
            }
        }
        if (queued.size() >= maxQueued) {
            frame.release();
            LOG.info("live client {} closed: {} messages waiting, it reads too slowly", channel.remoteAddress(), maxQueued);
            onSlow.run();
            close(CloseCodes.TOO_SLOW, "too slow: " + maxQueued + " messages waiting; reconnect with since");
            return;
        }
        queued.add(frame);
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
            channel.write(queued.poll(), channel.voidPromise());
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
        ByteBuf unsent;
        while ((unsent = queued.poll()) != null) {
            unsent.release();
        }
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
