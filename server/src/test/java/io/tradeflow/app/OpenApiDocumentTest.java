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

    private static Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
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
    void shouldServeASwaggerUiPageForTheDocument() {
        ApiClient.Answer page = api.get("!/docs", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.raw()).contains("SwaggerUIBundle").contains("/openapi.json");
        // The page may load Swagger UI from unpkg and run its own inline script (by hash), nothing else.
        String scriptSrc = java.util.Arrays.stream(page.contentSecurityPolicy().split(";")).map(String::trim)
                .filter(d -> d.startsWith("script-src")).findFirst().orElse("");
        assertThat(scriptSrc).startsWith("script-src https://unpkg.com 'sha256-").doesNotContain("unsafe");
        ApiClient.Answer document = api.get("!/openapi.json", null);
        assertThat(document.contentSecurityPolicy()).isEqualTo("default-src 'none'; frame-ancestors 'none'");
    }
}
