package io.tradeflow.bench.load;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;

class ServerProcessTest {
    @Test
    void shouldReadThePortFromTheLinesBothServersPrint() {
        Matcher tradeflow = ServerProcess.LISTENING.matcher(
                "TradeFlow listening on http://localhost:35697  (health: /health, webhook: POST /api/unify/v1/webhook). Ctrl-C stops it.");
        Matcher bare = ServerProcess.LISTENING.matcher("BareNettyServer listening on http://localhost:41234");

        assertThat(tradeflow.find()).isTrue();
        assertThat(tradeflow.group(1)).isEqualTo("35697");
        assertThat(bare.find()).isTrue();
        assertThat(bare.group(1)).isEqualTo("41234");
    }

    @Test
    void shouldCaptureTheDemoKeyLineOnly() {
        Matcher key = ServerProcess.DEMO_KEY.matcher("DEMO_API_KEY=tf_vNXZGHFnAdegp-IdROfwiP54JpNMBvTJ");

        assertThat(key.matches()).isTrue();
        assertThat(key.group(1)).isEqualTo("tf_vNXZGHFnAdegp-IdROfwiP54JpNMBvTJ");
        assertThat(ServerProcess.DEMO_KEY.matcher("curl ... -H 'Authorization: Bearer tf_x'").matches()).isFalse();
    }
}
