package io.tradeflow.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProcCpuTest {
    @Test
    void shouldReadUserAndSystemTicksEvenWhenTheCommandHasSpaces() {
        String stat = "4242 (java worker 1) S 1 4242 4242 0 -1 4194560 12345 0 0 0 731 95 0 0 20 0 30 0 1000 1 1 1";

        assertThat(ProcCpu.parseTicks(stat)).isEqualTo(731 + 95);
    }

    /** The ticks read for this JVM grow while it computes: the reading follows the real process. */
    @Test
    void shouldSeeThisProcessUseCpu() {
        long pid = ProcessHandle.current().pid();
        long before = ProcCpu.ticks(pid);
        assertThat(before).as("a JVM that got this far has used CPU").isPositive();
        long after = before;
        long sink = 0;
        // Bounded only so a broken reading fails instead of hanging: a tick is 10 ms of CPU.
        for (int round = 0; round < 10_000 && after <= before; round++) {
            sink = burn(sink);
            after = ProcCpu.ticks(pid);
        }
        assertThat(after).as("ticks after computing (%d)", sink).isGreaterThan(before);
        assertThat(ProcCpu.ticks(Long.MAX_VALUE)).as("no such process").isEqualTo(-1);
    }

    /**
     * Counted as a "postmaster", this JVM's total includes a child that burnt CPU and was reaped:
     * the reaped backends of a PostgreSQL server are not lost from its figure.
     */
    @Test
    void shouldCountWhatAReapedChildUsed() throws IOException, InterruptedException {
        long self = ProcessHandle.current().pid();
        long own = ProcCpu.ticks(self);
        long before = ProcCpu.postgresTicks(self);
        assertThat(before).as("the process's own ticks, read first, are part of it").isGreaterThanOrEqualTo(own);
        // About a second of shell arithmetic in a child, waited for (so reaped into our cutime).
        Process child = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done").start();
        assertThat(child.waitFor()).isZero();
        long childTicksLowerBound = 5;

        assertThat(ProcCpu.postgresTicks(self) - before).isGreaterThanOrEqualTo(childTicksLowerBound);
        assertThat(ProcCpu.postgresTicks(Long.MAX_VALUE)).as("no such postmaster").isEqualTo(-1);
    }

    @Test
    void shouldReadThePostmasterPidFromItsFirstLine() throws IOException {
        Path dir = Files.createTempDirectory("pm");
        try {
            assertThat(ProcCpu.postmasterPid(dir)).isEmpty();
            Files.writeString(dir.resolve("postmaster.pid"), "25810\n/tmp/data/pg\n1733327000\n43619\n");
            assertThat(ProcCpu.postmasterPid(dir)).hasValue(25810);
        } finally {
            Files.deleteIfExists(dir.resolve("postmaster.pid"));
            Files.delete(dir);
        }
    }

    private static long burn(long sink) {
        for (int i = 0; i < 1_000_000; i++) {
            sink += (long) i * i ^ sink >>> 3;
        }
        return sink;
    }
}
