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

    @Test
    void shouldReadUserAndSystemTicksEvenWhenTheCommandHasSpaces() {
        String stat = "4242 (java worker 1) S 1 4242 4242 0 -1 4194560 12345 0 0 0 731 95 0 0 20 0 30 0 1000 1 1 1";

        assertThat(ServerProcess.parseTicks(stat)).isEqualTo(731 + 95);
    }

    /** The ticks read for this JVM grow while it computes: the reading follows the real process. */
    @Test
    void shouldSeeThisProcessUseCpu() {
        long pid = ProcessHandle.current().pid();
        long before = ServerProcess.ticksOf(pid);
        assertThat(before).as("a JVM that got this far has used CPU").isPositive();
        long after = before;
        long sink = 0;
        // Bounded only so a broken reading fails instead of hanging: a tick is 10 ms of CPU.
        for (int round = 0; round < 10_000 && after <= before; round++) {
            for (int i = 0; i < 1_000_000; i++) {
                sink += (long) i * i ^ sink >>> 3;
            }
            after = ServerProcess.ticksOf(pid);
        }
        assertThat(after).as("ticks after computing (%d)", sink).isGreaterThan(before);
        assertThat(ServerProcess.ticksOf(Long.MAX_VALUE)).as("no such process").isEqualTo(-1);
    }
}
