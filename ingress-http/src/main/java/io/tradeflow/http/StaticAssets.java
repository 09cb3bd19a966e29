package io.tradeflow.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tradeflow.http.response.Responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web dashboard's files, served from the jar at {@code /} (the page) and {@code /ui/…} (its
 * scripts, styles and images): same origin as the API, nothing from a CDN.
 *
 * <p>Only names made of letters, digits, {@code -}, {@code _} and single dots, in folders, with a
 * known extension are looked up, and only under the dashboard's resource folder: {@code ..}, encoded
 * characters, backslashes and empty segments are a 404 before the class path is touched, so no other
 * resource of the jar (the OpenAPI file, config, classes) can be reached. A file is read once and
 * kept (the set is small and fixed by the build); a missing name is looked up again each time.
 *
 * <p>Every answer revalidates ({@code Cache-Control: no-cache} with a content {@code ETag}): a browser
 * keeps the files but asks each time, and gets a 304 until the jar changes, so an upgrade never runs
 * a stale script against a new API. The page carries a Content-Security-Policy that allows scripts,
 * styles, images and fetches from this origin only: no inline script, no inline style, no eval.
 */
public final class StaticAssets {
    /** Resource folder of the dashboard's files. */
    static final String ROOT = "io/tradeflow/http/ui/";
    /** URL prefix of the dashboard's files other than the page itself. */
    public static final String PREFIX = "/ui/";

    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** A Host header that can go into the policy as it is: a name or address and an optional port, nothing else. */
    private static final Pattern SAFE_HOST = Pattern.compile("(?:[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    /**
     * The page's policy with the live stream's WebSocket of the same host spelled out ({@code ws://host},
     * {@code wss://host}): CSP Level 3 lets {@code 'self'} cover them, older browsers do not. A Host header
     * that is not a plain host[:port] gets the policy without them.
     */
    static String contentSecurityPolicy(String host) {
        if (host == null || !SAFE_HOST.matcher(host).matches()) {
            return CONTENT_SECURITY_POLICY;
        }
        return CONTENT_SECURITY_POLICY.replace("connect-src 'self';", "connect-src 'self' ws://" + host + " wss://" + host + ";");
    }

    private static final Pattern SAFE_PATH = Pattern.compile("([A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*/)*[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            // The MetaTrader EA sources offered for download.
            Map.entry("mq4", "text/plain; charset=utf-8"),
            Map.entry("mq5", "text/plain; charset=utf-8"));

    record Asset(byte[] body, String contentType, String etag) {
    }

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    public StaticAssets() {
        this(StaticAssets.class.getClassLoader());
    }

    StaticAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether the path is the dashboard's: the page at {@code /} or a file under {@link #PREFIX}. */
    public boolean handles(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith(PREFIX);
    }

    /** Answers GET/HEAD with the file (or 304 / 404 / 405); runs on the event loop, reads a file at most once. */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive) {
        HttpMethod method = request.method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            Responses.sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "use GET", null, keepAlive);
            return;
        }
        String name = path.equals("/") || path.equals("/index.html") ? "index.html" : path.substring(PREFIX.length());
        Optional<Asset> found = find(name);
        if (found.isEmpty()) {
            Responses.sendError(ctx, HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such file", null, keepAlive);
            return;
        }
        Asset asset = found.get();
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean notModified = ifNoneMatch != null && ifNoneMatch.contains(asset.etag());
        byte[] body = notModified || method == HttpMethod.HEAD ? new byte[0] : asset.body();
        FullHttpResponse response = Responses.json(notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.ETAG, asset.etag())
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, contentSecurityPolicy(request.headers().get(HttpHeaderNames.HOST)));
        if (method == HttpMethod.HEAD && !notModified) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, asset.body().length);
        }
        Responses.send(ctx, response, keepAlive);
    }

    /** The file of that name under {@link #ROOT}, or empty when the name is unsafe, unknown or missing. */
    Optional<Asset> find(String name) {
        if (!SAFE_PATH.matcher(name).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        Optional<Asset> cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        // Only files that exist are kept: names a client makes up must not grow the cache.
        Optional<Asset> loaded = load(name, type);
        loaded.ifPresent(asset -> cache.put(name, loaded));
        return loaded;
    }

    private Optional<Asset> load(String name, String type) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            return Optional.of(new Asset(body, type, "\"" + sha256(body) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
