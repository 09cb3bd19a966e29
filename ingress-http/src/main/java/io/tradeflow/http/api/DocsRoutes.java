package io.tradeflow.http.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The OpenAPI 3 document of every route (a hand-written resource, checked against the routes by a test) and a Swagger UI page. */
public final class DocsRoutes implements RouteSource {
    public static final String OPENAPI_PATH = "/openapi.json";
    public static final String DOCS_PATH = "/docs";
    static final String OPENAPI_RESOURCE = "/io/tradeflow/http/api/openapi.json";

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
              <script>window.ui = SwaggerUIBundle({url: '/openapi.json', dom_id: '#swagger-ui'});</script>
            </body>
            </html>
            """;

    private final byte[] openApi;

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
