package io.tradeflow.http.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The OpenAPI 3 document of every route (a hand-written resource, checked against the routes by a
 * test) and a Swagger UI page for it. Swagger UI's script and styles are served from its WebJar in
 * the jar ({@code /docs/swagger-ui-bundle.js}, {@code /docs/swagger-ui.css}): the docs work offline
 * and load nothing from another origin.
 */
public final class DocsRoutes implements RouteSource {
    public static final String OPENAPI_PATH = "/openapi.json";
    public static final String DOCS_PATH = "/docs";
    static final String OPENAPI_RESOURCE = "/io/tradeflow/http/api/openapi.json";
    static final String BUNDLE_PATH = DOCS_PATH + "/swagger-ui-bundle.js";
    static final String STYLES_PATH = DOCS_PATH + "/swagger-ui.css";
    private static final String WEBJAR_PROPERTIES = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private static final String INIT_SCRIPT = "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});";

    /**
     * The one page that loads anything: Swagger UI's script and styles from this server and its
     * inline start-up script (allowed by hash, not by 'unsafe-inline'; Swagger UI sets inline
     * styles). Every other answer keeps {@code default-src 'none'}.
     */
    public static final String DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; "
            + "script-src 'self' 'sha256-" + sha256Base64(INIT_SCRIPT) + "'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

    private static final String SWAGGER_UI = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>TradeFlow API</title>
              <link rel="stylesheet" href="%s">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="%s"></script>
              <script>%s</script>
            </body>
            </html>
            """.formatted(STYLES_PATH, BUNDLE_PATH, INIT_SCRIPT);

    private final byte[] bundle;
    private final byte[] styles;
    private final byte[] openApi;

    private static String sha256Base64(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public DocsRoutes() {
        try (InputStream in = DocsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
            }
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String webjar = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
        this.bundle = resource(webjar + "swagger-ui-bundle.js");
        this.styles = resource(webjar + "swagger-ui.css");
    }

    /** The version of the Swagger UI WebJar on the classpath (its files live under a versioned path). */
    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = DocsRoutes.class.getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + WEBJAR_PROPERTIES + " (org.webjars:swagger-ui)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] resource(String path) {
        try (InputStream in = DocsRoutes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("GET", OPENAPI_PATH, Access.PUBLIC, (r, c) -> ApiResponse.raw("application/json", openApi)),
                new Route("GET", DOCS_PATH, Access.PUBLIC, (r, c) -> ApiResponse.html(SWAGGER_UI)),
                new Route("GET", BUNDLE_PATH, Access.PUBLIC, (r, c) -> ApiResponse.raw("text/javascript; charset=utf-8", bundle)),
                new Route("GET", STYLES_PATH, Access.PUBLIC, (r, c) -> ApiResponse.raw("text/css; charset=utf-8", styles)));
    }
}
