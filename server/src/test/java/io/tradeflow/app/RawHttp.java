package io.tradeflow.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP client for HTTP tests that a well-behaved client library would not allow: broken
 * framing, oversized parts, slow trickles. Reads are bounded by a socket timeout so a server that
 * hangs fails the test instead of stalling it.
 */
final class RawHttp implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** What came back before the server closed the connection (or the read timed out). */
    record Received(String text, boolean closed) {
        /** The status code of the first response, or 0 when nothing came. */
        int status() {
            if (!text.startsWith("HTTP/1.1 ")) {
                return 0;
            }
            return Integer.parseInt(text.substring(9, 12));
        }

        String header(String name) {
            for (String line : text.split("\r\n")) {
                if (line.isEmpty()) {
                    return null;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads until the server closes the connection; {@code closed} is false if it did not within the timeout. */
    Received readUntilClosed() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean closed;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException reset) {
            // A reset after the answer is a close too (unread request bytes make the kernel send RST).
            closed = true;
        }
        return new Received(received.toString(StandardCharsets.ISO_8859_1), closed);
    }

    /** Reads exactly one response framed by Content-Length, leaving the connection open. */
    Received readOneResponse() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int contentLength = -1;
        int headerEnd = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return new Received(received.toString(StandardCharsets.ISO_8859_1), true);
            }
            received.write(b);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
                headerEnd = text.length();
                String length = new Received(text, false).header("Content-Length");
                contentLength = length == null ? 0 : Integer.parseInt(length);
            }
            if (headerEnd >= 0 && text.length() >= headerEnd + contentLength) {
                return new Received(text, false);
            }
        }
    }

    boolean isClosedByServer() throws IOException {
        return readUntilClosed().closed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static String post(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static String get(String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
    }
}
