package io.tradeflow.core.threads;

import io.tradeflow.config.CpuSet;
import io.tradeflow.config.InvalidConfigException;
import net.openhft.affinity.Affinity;
import net.openhft.affinity.impl.LinuxHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * Keeps the router's two hot threads (HTTP event loop, ring consumer) on CPUs of their own.
 *
 * <p>Why: on a small machine an alert's thread waits in a CPU run queue whenever something else
 * holds that CPU: the projection, PostgreSQL, the JIT compiler. Measured on 2 vCPUs with the journal
 * on at 3,000 alerts/s: 0.73% of alerts spent more than 1 ms from receipt to decision as scheduled by
 * Linux, none with the router's threads on one CPU and everything else on the other
 * (bench/results/profile-2026-11-23-cpu-pinning.md).
 *
 * <p>How: {@link #reserve} moves every thread the process has to the CPUs left over; threads created
 * later inherit their creator's CPUs on Linux, and so do child processes (the embedded PostgreSQL).
 * The hot threads pin themselves when they start ({@link #pinning}). A thread the hot threads
 * create would inherit their CPUs, so thread pools they hand work to start their threads up front.
 * Uses OpenHFT's thread-affinity library (already on the class path through Chronicle Queue), which
 * calls {@code sched_setaffinity} through JNA.
 */
public final class CpuPinning {
    private static final Logger LOG = LoggerFactory.getLogger(CpuPinning.class);
    private static final String KEY = "threads.router-cpus";

    private CpuPinning() {
    }

    /** Whether threads can be pinned here: Linux, with JNA's native library loadable. */
    public static boolean supported() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && Affinity.isJNAAvailable();
    }

    /**
     * Moves every thread of this process off {@code routerCpus}, so only threads pinned there later
     * (see {@link #pinning}) run on them; does nothing for {@link CpuSet#NONE}.
     *
     * @return the CPUs left to every other thread (empty when nothing was pinned)
     * @throws InvalidConfigException if {@code routerCpus} names a CPU this process may not use, or
     *                                leaves none for the other threads
     */
    public static CpuSet reserve(CpuSet routerCpus) {
        if (routerCpus.isEmpty()) {
            return CpuSet.NONE;
        }
        if (!supported()) {
            LOG.warn("{} = {} ignored: pinning threads to CPUs needs Linux and JNA", KEY, routerCpus);
            return CpuSet.NONE;
        }
        CpuSet allowed = allowedCpus();
        CpuSet others = allowed.minus(routerCpus);
        if (!routerCpus.isSubsetOf(allowed) || others.isEmpty()) {
            throw new InvalidConfigException(KEY, routerCpus.toString(), "CPUs this process may use (" + allowed
                    + "), leaving at least one for the other threads");
        }
        int moved = moveAllThreads(others);
        LOG.info("CPUs {} reserved for the router's threads; {} other threads of this process moved to CPUs {}",
                routerCpus, moved, others);
        return others;
    }

    /**
     * Moves every thread this process has now to {@code cpus}; threads and processes it creates later inherit them.
     *
     * @return how many threads were moved (threads that ended meanwhile are skipped)
     */
    public static int moveAllThreads(CpuSet cpus) {
        int moved = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                if (pin(Integer.parseInt(task.getFileName().toString()), cpus)) {
                    moved++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list this process's threads", e);
        }
        return moved;
    }

    /** A thread factory whose threads pin themselves to {@code cpus} before running; unchanged for none. */
    public static ThreadFactory pinning(ThreadFactory delegate, CpuSet cpus) {
        if (cpus.isEmpty() || !supported()) {
            return delegate;
        }
        return task -> delegate.newThread(() -> {
            Affinity.setAffinity(cpus.toBitSet());
            task.run();
        });
    }

    /** The CPUs this process may run on, as Linux reports them. */
    public static CpuSet allowedCpus() {
        return cpusAllowed(Path.of("/proc/self/status"))
                .orElseThrow(() -> new IllegalStateException("/proc/self/status has no Cpus_allowed_list"));
    }

    /** The CPUs thread {@code tid} of this process may run on; empty once it has ended. */
    public static Optional<CpuSet> cpusOfThread(long tid) {
        return cpusAllowed(Path.of("/proc/self/task/" + tid + "/status"));
    }

    /** The CPUs process {@code pid} may run on; empty once it has ended. */
    static Optional<CpuSet> cpusOfProcess(long pid) {
        return cpusAllowed(Path.of("/proc/" + pid + "/status"));
    }

    private static Optional<CpuSet> cpusAllowed(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return CpuSet.parse(line.substring("Cpus_allowed_list:".length()));
                }
            }
            return Optional.empty();
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
    }

    /** False when the thread ended meanwhile (it was listed, then exited before it could be moved). */
    private static boolean pin(int tid, CpuSet cpus) {
        try {
            LinuxHelper.sched_setaffinity(tid, cpus.toBitSet());
            return true;
        } catch (RuntimeException e) {
            if (Files.exists(Path.of("/proc/self/task/" + tid))) {
                throw e;
            }
            return false;
        }
    }
}
