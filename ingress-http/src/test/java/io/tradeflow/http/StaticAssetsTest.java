package io.tradeflow.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's files as a Netty channel serves them: types, caching, CSP, 404s and traversal attempts. */
class StaticAssetsTest {
    private final StaticAssets assets = new StaticAssets();
    private final EmbeddedChannel channel = new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>() {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String uri = request.uri();
            int query = uri.indexOf('?');
            String path = query < 0 ? uri : uri.substring(0, query);
            assets.serve(ctx, request, path, true);
        }
    });

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private FullHttpResponse request(HttpMethod method, String uri, String ifNoneMatch) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (ifNoneMatch != null) {
            request.headers().set(HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response).as("an answer to %s %s", method, uri).isNotNull();
        return response;
    }

    private FullHttpResponse get(String uri) {
        return request(HttpMethod.GET, uri, null);
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void shouldAllowTheLiveStreamsWebSocketOfTheSameHostOnlyAndNeverCopyAHostileHostHeader() {
        assertThat(StaticAssets.contentSecurityPolicy("trade.example.com:8080"))
                .contains("connect-src 'self' ws://trade.example.com:8080 wss://trade.example.com:8080;");
        assertThat(StaticAssets.contentSecurityPolicy("[::1]:8080")).contains("ws://[::1]:8080 wss://[::1]:8080;");
        assertThat(StaticAssets.contentSecurityPolicy("evil.com; script-src *")).isEqualTo(StaticAssets.CONTENT_SECURITY_POLICY);
        assertThat(StaticAssets.contentSecurityPolicy("a b")).isEqualTo(StaticAssets.CONTENT_SECURITY_POLICY);
        assertThat(StaticAssets.contentSecurityPolicy(null)).isEqualTo(StaticAssets.CONTENT_SECURITY_POLICY);
    }

    @Test
    void shouldServeThePageAtTheRootWithAStrictContentSecurityPolicy() {
        FullHttpResponse page = get("/");
        assertThat(page.status().code()).isEqualTo(200);
        assertThat(page.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
        String csp = page.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY);
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        String html = body(page);
        assertThat(html).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        // No inline script or style: the CSP would block it.
        assertThat(html.replace("<script type=\"module\" src=\"/ui/app.js\"></script>", "")).doesNotContain("<script", "style=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/app.js|text/javascript; charset=utf-8", "/ui/app.css|text/css; charset=utf-8",
            "/ui/favicon.svg|image/svg+xml", "/index.html|text/html; charset=utf-8"})
    void shouldAnswerEachFileWithItsContentType(String pathAndType) {
        String[] parts = pathAndType.split("\\|");
        FullHttpResponse response = get(parts[0]);
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(parts[1]);
        assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(response.content().readableBytes()).isPositive();
        body(response);
    }

    @Test
    void shouldRevalidateWithAnEtagAndAnswer304WhenUnchanged() {
        FullHttpResponse first = get("/ui/app.js");
        String etag = first.headers().get(HttpHeaderNames.ETAG);
        assertThat(first.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
        assertThat(etag).startsWith("\"").endsWith("\"").hasSizeGreaterThan(10);
        body(first);

        FullHttpResponse again = request(HttpMethod.GET, "/ui/app.js", etag);
        assertThat(again.status().code()).isEqualTo(304);
        assertThat(again.content().readableBytes()).isZero();
        again.release();

        FullHttpResponse other = request(HttpMethod.GET, "/ui/app.js", "\"something-else\"");
        assertThat(other.status().code()).isEqualTo(200);
        body(other);
    }

    @Test
    void shouldAnswerHeadWithTheLengthButNoBody() {
        FullHttpResponse head = request(HttpMethod.HEAD, "/ui/app.css", null);
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.content().readableBytes()).isZero();
        assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isPositive();
        head.release();
    }

    @Test
    void shouldRefuseOtherMethods() {
        FullHttpResponse post = request(HttpMethod.POST, "/ui/app.js", null);
        assertThat(post.status().code()).isEqualTo(405);
        post.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/nope.js", "/ui/", "/ui/app", "/ui/app.java", "/ui/../api/openapi.json",
            "/ui/..%2Fapi%2Fopenapi.json", "/ui/%2e%2e/api/openapi.json", "/ui//app.js", "/ui/./app.js",
            "/ui/..\\api\\openapi.json", "/ui/.hidden.js", "/ui/a/../app.js", "/ui/ea", "/ui/StaticAssets.class",
            "/ui/../../../logback.xml"})
    void shouldAnswer404ForUnknownOrUnsafeNames(String path) {
        FullHttpResponse response = get(path);
        assertThat(response.status().code()).as(path).isEqualTo(404);
        assertThat(body(response)).contains("NOT_FOUND");
    }

    @Test
    void shouldNeverReachResourcesOutsideTheDashboardFolder() {
        // The OpenAPI document lives one folder up: no name under /ui/ can reach it.
        assertThat(StaticAssets.class.getClassLoader().getResource("io/tradeflow/http/api/openapi.json")).isNotNull();
        assertThat(assets.find("../api/openapi.json")).isEmpty();
        assertThat(assets.find("api/openapi.json")).isEmpty();
        assertThat(assets.find("app.js")).isPresent();
    }

    @Test
    void shouldOfferTheMetaTraderEaForDownload() {
        FullHttpResponse ea = get("/ui/ea/mql5/TradeFlowBridge.mq5");
        assertThat(ea.status().code()).isEqualTo(200);
        assertThat(body(ea)).contains("LicenseToken");
    }
}
