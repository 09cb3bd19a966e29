package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradeflow.http.api.Access;
import io.tradeflow.http.api.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served OpenAPI document and the router's routes must match exactly: a route without
 * documentation or documentation without a route fails here.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");

    @TempDir
    static Path dataDir;

    private static TradeFlowServer server;
    private static ApiClient api;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of());
        api = new ApiClient(server.port());
        ApiClient.Answer answer = api.get("!/openapi.json", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        document = answer.body();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The endpoints the Netty ingress serves itself (not dashboard routes), documented too. */
    private static final Set<String> INGRESS = Set.of("POST /api/unify/v1/webhook", "POST /api/unify/v1/webhook/{broker}",
            "POST /api/mtx/v1/poll", "POST /api/mtx/v1/ack", "POST /api/mtx/v1/state", "POST /api/mtx/v1/heartbeat");
    /** The live stream's WebSockets, served by the ingress too (a GET that upgrades). */
    private static final Set<String> LIVE = Set.of("GET /api/unify/v1/ws", "GET /api/unify/v1/ws/accounts/{id}");

    /** Documented operations; {@code ingress}: those marked served by the ingress, else the dashboard's. */
    private static Set<String> documented(boolean ingress) {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())
                        && operation.getValue().path("x-tradeflow-served-by").asText().equals("ingress") == ingress) {
                    operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    private static Set<String> documented() {
        return documented(false);
    }

    @Test
    void shouldDocumentTheWebhookAndTheEaBridgeWhichAnswerWithoutAUserToken() {
        Set<String> ingress = new TreeSet<>(INGRESS);
        ingress.addAll(LIVE);
        assertThat(documented(true)).isEqualTo(ingress);
        for (String operation : INGRESS) {
            String path = operation.substring(5).replace("{broker}", "paper");
            ApiClient.Answer answer = api.post("!" + path, "{}", null);
            assertThat(answer.status()).as("%s: served (an empty alert or EA call is refused, not unknown)", operation)
                    .isIn(400, 401);
            assertThat(answer.body().path("error").path("code").asText()).isIn("INVALID_PAYLOAD", "UNAUTHORIZED");
            JsonNode documented = document.path("paths").path(operation.substring(5)).path("post");
            assertThat(documented.path("responses").path("200").path("content").path("application/json").path("schema"))
                    .as("answer of %s", operation).isNotEmpty();
        }
    }

    @Test
    void shouldDocumentTheLiveStreamsWhichAPlainRequestFindsAsWebSockets() {
        for (String operation : LIVE) {
            String path = operation.substring(4);
            ApiClient.Answer answer = api.get("!" + path.replace("{id}", "1"), null);
            assertThat(answer.status()).as("%s: served, a WebSocket (426 without the upgrade)", operation).isEqualTo(426);
            JsonNode documented = document.path("paths").path(path).path("get");
            assertThat(documented.path("responses").has("101")).as("101 of %s", operation).isTrue();
            assertThat(documented.path("responses").has("426")).as("426 of %s", operation).isTrue();
        }
        assertThat(document.path("paths").path("/api/unify/v1/ws/accounts/{id}").path("get").path("parameters").get(0)
                .path("name").asText()).isEqualTo("id");
    }

    @Test
    void shouldTypeEveryResponseWithItsFieldsNotABareObject() {
        java.util.List<String> untyped = new java.util.ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                for (Map.Entry<String, JsonNode> response : operation.getValue().path("responses").properties()) {
                    for (Map.Entry<String, JsonNode> content : response.getValue().path("content").properties()) {
                        findUntyped(content.getValue().path("schema"),
                                operation.getKey() + " " + path.getKey() + " " + response.getKey(), untyped);
                    }
                }
            }
        }
        for (Map.Entry<String, JsonNode> schema : document.path("components").path("schemas").properties()) {
            findUntyped(schema.getValue(), "#/components/schemas/" + schema.getKey(), untyped);
        }
        assertThat(untyped).as("object schemas without properties").isEmpty();
    }

    /** An object schema must name its properties (or say its values' type, for a map). */
    private static void findUntyped(JsonNode schema, String where, java.util.List<String> untyped) {
        if (schema.isMissingNode() || schema.has("$ref")) {
            return;
        }
        if (schema.path("type").asText().equals("object") && !schema.has("properties") && !schema.has("additionalProperties")) {
            untyped.add(where);
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            findUntyped(property.getValue(), where + "." + property.getKey(), untyped);
        }
        findUntyped(schema.path("items"), where + "[]", untyped);
        for (JsonNode alternative : schema.path("oneOf")) {
            findUntyped(alternative, where + "|", untyped);
        }
    }

    @Test
    void shouldDocumentExactlyTheRoutesTheRouterServes() {
        Set<String> routes = server.dashboard().routes().stream().map(r -> r.method() + " " + r.template())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = documented();

        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> withoutRoute = new TreeSet<>(documented);
        withoutRoute.removeAll(routes);
        assertThat(undocumented).as("routes without documentation").isEmpty();
        assertThat(withoutRoute).as("documentation without a route").isEmpty();
        assertThat(document.path("openapi").asText()).startsWith("3.");
    }

    @Test
    void shouldDeclareEveryPathParameterAndTheAuthAnswers() {
        for (Route route : server.dashboard().routes()) {
            JsonNode operation = document.path("paths").path(route.template()).path(route.method().toLowerCase(Locale.ROOT));
            assertThat(operation.path("summary").asText()).as("summary of %s %s", route.method(), route.template())
                    .isNotBlank();
            Matcher params = PATH_PARAM.matcher(route.template());
            while (params.find()) {
                String name = params.group(1);
                boolean declared = false;
                for (JsonNode parameter : operation.path("parameters")) {
                    declared |= parameter.path("in").asText().equals("path") && parameter.path("name").asText().equals(name);
                }
                assertThat(declared).as("path parameter %s of %s", name, route.template()).isTrue();
            }
            if (route.access() != Access.PUBLIC) {
                assertThat(operation.path("responses").has("401")).as("401 of %s", route.template()).isTrue();
                assertThat(operation.path("security")).as("security of %s", route.template()).isNotEmpty();
            }
            if (route.access() == Access.ADMIN) {
                assertThat(operation.path("responses").has("403")).as("403 of %s", route.template()).isTrue();
            }
        }
    }

    @Test
    void shouldServeASwaggerUiPageThatLoadsNothingFromAnotherOrigin() {
        ApiClient.Answer page = api.get("!/docs", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw()).contains("SwaggerUIBundle").contains("/openapi.json")
                .contains("src=\"/docs/swagger-ui-bundle.js\"").contains("href=\"/docs/swagger-ui.css\"")
                .doesNotContain("unpkg").doesNotContain("https://");
        // The page may load Swagger UI from this server and run its own inline script (by hash), nothing else.
        String scriptSrc = java.util.Arrays.stream(page.contentSecurityPolicy().split(";")).map(String::trim)
                .filter(d -> d.startsWith("script-src")).findFirst().orElse("");
        assertThat(scriptSrc).startsWith("script-src 'self' 'sha256-").doesNotContain("unsafe").doesNotContain("http");
        ApiClient.Answer bundle = api.get("!/docs/swagger-ui-bundle.js", null);
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.contentType()).startsWith("text/javascript");
        assertThat(bundle.raw()).contains("SwaggerUIBundle");
        ApiClient.Answer styles = api.get("!/docs/swagger-ui.css", null);
        assertThat(styles.status()).isEqualTo(200);
        assertThat(styles.contentType()).startsWith("text/css");
        assertThat(styles.raw()).contains(".swagger-ui");
        ApiClient.Answer document = api.get("!/openapi.json", null);
        assertThat(document.contentSecurityPolicy()).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }
}
