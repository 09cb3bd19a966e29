package io.tradeflow.core.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.tradeflow.config.CpuSet;
import io.tradeflow.config.InvalidConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code threads.router-cpus}: real {@code sched_setaffinity} calls, checked in /proc. */
final class CpuPinningTest {

    @Test
    void shouldRunOnLinuxWithJna() {
        // CI and the benchmarks run on Linux; if this fails, every other test here proves nothing.
        assertThat(CpuPinning.supported()).isTrue();
    }

    @Test
    void shouldMoveEveryOtherThreadAndChildProcessOffTheRouterCpus() throws Exception {
        CpuSet allowed = CpuPinning.allowedCpus();
        Map<String, String> seen = runProbe();

        if (allowed.toBitSet().cardinality() < 2) {
            // One CPU leaves nothing for the other threads: the probe must have been refused, for
            // that reason. The pinning itself cannot be checked here: reported as skipped, not passed.
            assertThat(seen).containsKey("error");
            assertThat(seen.get("error")).contains("leaving at least one for the other threads");
            Assumptions.abort("only CPU " + allowed + " is allowed: pinning needs two CPUs to be checked");
        }
        String router = seen.get("router");
        String others = seen.get("others");
        assertThat(CpuSet.parse(others).orElseThrow()).isEqualTo(allowed.minus(CpuSet.parse(router).orElseThrow()));
        assertThat(seen).containsEntry("hot", router)
                .containsEntry("early", others)
                .containsEntry("late", others)
                .containsEntry("child", others);
    }

    @Test
    void shouldRefuseACpuThisProcessMayNotUseAndChangeNothing() {
        CpuSet before = CpuPinning.allowedCpus();

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> CpuPinning.reserve(CpuSet.parse("4095").orElseThrow()))
                .withMessage("invalid config threads.router-cpus = 4095: must be CPUs this process may use ("
                        + before + "), leaving at least one for the other threads");
        assertThat(CpuPinning.allowedCpus()).isEqualTo(before);
    }

    @Test
    void shouldRefuseToTakeEveryCpu() {
        CpuSet all = CpuPinning.allowedCpus();

        assertThatExceptionOfType(InvalidConfigException.class)
                .isThrownBy(() -> CpuPinning.reserve(all))
                .withMessageContaining("leaving at least one for the other threads");
        assertThat(CpuPinning.allowedCpus()).isEqualTo(all);
    }

    @Test
    void shouldLeaveThreadsAloneWithoutRouterCpus() {
        assertThat(CpuPinning.reserve(CpuSet.NONE)).isEqualTo(CpuSet.NONE);
        ThreadFactory plain = Thread::new;
        assertThat(CpuPinning.pinning(plain, CpuSet.NONE)).as("no wrapper: threads start unpinned").isSameAs(plain);
    }

    private static Map<String, String> runProbe() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PinningProbe.class.getName()).redirectErrorStream(true).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : List.of(out.split("\n"))) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.contains(" ")) {
                seen.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (probe.exitValue() != 0) {
            seen.put("error", out);
        }
        assertThat(seen).as(out).isNotEmpty();
        return seen;
    }
}
