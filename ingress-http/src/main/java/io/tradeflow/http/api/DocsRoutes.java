package io.tradeflow.http.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** The OpenAPI 3 document of every route (a hand-written resource, checked against the routes by a test) and a Swagger UI page. */
public final class DocsRoutes implements RouteSource {
    public static final String OPENAPI_PATH = "/openapi.json";
    public static final String DOCS_PATH = "/docs";
    static final String OPENAPI_RESOURCE = "/io/tradeflow/http/api/openapi.json";

    private static final String INIT_SCRIPT = "window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});";

    /**
     * The one page that loads anything: Swagger UI's script and styles from unpkg and its inline
     * start-up script (allowed by hash, not by 'unsafe-inline'). Every other answer keeps
     * {@code default-src 'none'}.
     */
    public static final String DOCS_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; "
            + "script-src https://unpkg.com 'sha256-" + sha256Base64(INIT_SCRIPT) + "'; "
            + "style-src https://unpkg.com 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

    private static final String SWAGGER_UI = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>TradeFlow API</title>
              <link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js" crossorigin></script>
              <script>%s</script>
            </body>
            </html>
            """.formatted(INIT_SCRIPT);

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
    }

    @Override
    public List<Route> routes() {
        return List.of(
                new Route("GET", OPENAPI_PATH, Access.PUBLIC, (r, c) -> ApiResponse.raw("application/json", openApi)),
                new Route("GET", DOCS_PATH, Access.PUBLIC, (r, c) -> ApiResponse.html(SWAGGER_UI)));
    }
}
