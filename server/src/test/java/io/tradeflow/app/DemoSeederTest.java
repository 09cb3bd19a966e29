package io.tradeflow.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tradeflow.app.TestClient.buy;
import static org.assertj.core.api.Assertions.assertThat;

class DemoSeederTest {
    @TempDir
    Path dataDir;

    private static String seed(TradeFlowServer server) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DemoSeeder.seedIfFirstStart(server);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static String value(String output, String name) {
        Matcher m = Pattern.compile(name + "=(\\S+)").matcher(output);
        assertThat(m.find()).as("%s in %s", name, output).isTrue();
        return m.group(1);
    }

    @Test
    void shouldPrintAWorkingDashboardPasswordAndApiKeyOnlyOnTheFirstStart() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            String first = seed(server);
            String second = seed(server);

            String password = value(first, "DEMO_PASSWORD");
            String key = value(first, "DEMO_API_KEY");
            ApiClient api = new ApiClient(server.port());
            ApiClient.Answer login = api.post("/auth/login",
                    "{\"email\":\"" + DemoSeeder.DEMO_EMAIL + "\",\"password\":\"" + password + "\"}", null);
            assertThat(login.status()).isEqualTo(200);
            assertThat(new TestClient(server.port()).alert(key, buy("EURUSD", 1, 1.1)).status()).isEqualTo(200);
            assertThat(second).isEmpty();
        }
    }
}
