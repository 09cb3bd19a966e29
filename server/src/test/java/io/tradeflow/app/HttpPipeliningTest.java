package io.tradeflow.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 pipelining: requests sent back to back on one connection are answered in the order
 * they were sent, even when the first waits for the ring and the next could be answered at once.
 * (Without that, a client would take the health check's 200 for the alert's answer.)
 */
class HttpPipeliningTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerPipelinedRequestsInTheOrderTheyWereSent() throws Exception {
        try (TradeFlowServer server = TestServers.start(dataDir, Map.of())) {
            for (int i = 0; i < 20; i++) {
                try (RawHttp http = new RawHttp(server.port())) {
                    http.send(RawHttp.post("/api/unify/v1/webhook", "Authorization: Bearer tf_unknown_key\r\n",
                                    TestClient.buy("EURUSD", 1, 1.1))
                            + RawHttp.get("/health", "")
                            + RawHttp.post("/api/unify/v1/webhook", "", "not json")
                            + RawHttp.get("/nowhere", ""));
                    List<Integer> statuses = new ArrayList<>();
                    for (int r = 0; r < 4; r++) {
                        statuses.add(http.readOneResponse().status());
                    }
                    assertThat(statuses).containsExactly(401, 200, 400, 404);
                }
            }
        }
    }
}
