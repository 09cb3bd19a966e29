package io.tradeflow.core.threads;

import io.tradeflow.config.CpuSet;
import net.openhft.affinity.Affinity;

import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Run in a JVM of its own by {@link CpuPinningTest} (pinning is process-wide, so not in the test JVM):
 * reserves the last allowed CPU for "hot" threads and prints, one {@code name=cpus} line each, where
 * a thread from before the reservation, a hot thread, a thread made after it and a child process run.
 */
public final class PinningProbe {
    public static void main(String[] args) throws Exception {
        CpuSet allowed = CpuPinning.allowedCpus();
        BitSet last = new BitSet();
        last.set(allowed.toBitSet().length() - 1);
        CpuSet router = CpuSet.of(last);

        CountDownLatch release = new CountDownLatch(1);
        long[] earlyTid = new long[1];
        CountDownLatch earlyStarted = new CountDownLatch(1);
        Thread early = new Thread(() -> {
            earlyTid[0] = Affinity.getThreadId();
            earlyStarted.countDown();
            await(release);
        }, "early");
        early.start();
        earlyStarted.await();

        CpuSet others = CpuPinning.reserve(router);
        System.out.println("router=" + router);
        System.out.println("others=" + others);
        System.out.println("early=" + CpuPinning.cpusOfThread(earlyTid[0]).orElseThrow());

        ThreadFactory hot = CpuPinning.pinning(Executors.defaultThreadFactory(), router);
        report("hot", hot);
        report("late", Executors.defaultThreadFactory());

        Process child = new ProcessBuilder("sleep", "30").start();
        System.out.println("child=" + CpuPinning.cpusOfProcess(child.pid()).orElseThrow());
        child.destroy();
        release.countDown();
    }

    private static void report(String name, ThreadFactory factory) throws InterruptedException {
        Thread t = factory.newThread(() -> System.out.println(name + "=" + CpuPinning.cpusOfThread(
                Affinity.getThreadId()).orElseThrow()));
        t.start();
        t.join();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
