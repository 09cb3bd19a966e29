package io.tradeflow.http.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A live message as a complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked, as a
 * server sends it), ready to be written to the socket as it is.
 *
 * <p>Why not a {@code TextWebSocketFrame} per client: Netty's encoder builds each client's frame
 * again (a header and, for a message this small, a copy of the payload into a new buffer). A
 * server's frames carry no mask, so one frame's bytes are the same for every client: a stream
 * encodes each message once, into one direct buffer, and every client's write is a
 * {@link ByteBuf#retainedDuplicate()} of it. The WebSocket encoder lets a {@link ByteBuf} pass
 * unchanged; the close and ping frames still go through it, in order with these.
 */
final class LiveFrames {
    private static final int FIN_TEXT = 0x81;

    private LiveFrames() {
    }

    /** A new frame carrying {@code json}; the caller owns the one reference. */
    static ByteBuf text(byte[] json) {
        int length = json.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + length, header + length);
        frame.writeByte(FIN_TEXT);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        frame.writeBytes(json);
        return frame;
    }
}
