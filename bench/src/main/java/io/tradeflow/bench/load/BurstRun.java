package io.tradeflow.bench.load;

import io.netty.channel.EventLoop;
import io.tradeflow.bench.load.LoadResults.BurstResult;
import io.tradeflow.bench.load.LoadResults.CpuPerAlert;
import io.tradeflow.bench.load.LoadResults.Latency;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One burst against one target, as TradingView delivers alerts at a bar close: {@code alerts}
 * planned evenly over a couple of seconds on many fresh keep-alive connections, then nothing.
 * Measures every answer (open-loop, from the planned send time) and, for a target with a
 * projection, scrapes {@code /metrics} every {@value #POLL_MILLIS} ms from the burst's start until
 * the projection holds the journal's last record.
 */
final class BurstRun {
    static final int POLL_MILLIS = 50;

    private final Target target;
    private final ServerProcess server;
    private final int port;
    private final LoadOptions.Burst burst;
    private final Duration settle;

    /** One scrape: when it was sent and answered, and what it said. */
    private record Poll(long sentNanos, long answeredNanos, ProjectionProgress progress) {
    }

    BurstRun(Target target, ServerProcess server, int port, LoadOptions.Burst burst, Duration settle) {
        this.target = target;
        this.server = server;
        this.port = port;
        this.burst = burst;
        this.settle = settle;
    }

    BurstResult run(EventLoop loop, List<String> requests) throws InterruptedException, TimeoutException {
        LoadClient client = new LoadClient(loop, "127.0.0.1", port, burst.connections(), requests);
        try {
            // Connections are opened before the burst: TradingView's senders keep theirs alive between alerts.
            client.connect(60_000);
            CpuTicks before = server.cpu();
            long start = System.nanoTime();
            List<Poll> polls = new ArrayList<>();
            Thread poller = target.hasProjection() ? startPolling(polls) : null;
            PhaseResult r = client.run(burst.rate(), burst.duration().toNanos(), 0, burst.drain().toNanos());
            long lastAck = r.startNanos() + r.elapsedNanos();
            long burstEnd = r.startNanos() + burst.duration().toNanos();
            Poll caughtUp = null;
            String projection = "none (journal off: nothing is projected)";
            if (poller != null) {
                caughtUp = awaitCaughtUp(polls, lastAck, burstEnd + burst.catchUpLimit().toNanos());
                poller.interrupt();
                poller.join();
                projection = caughtUp != null ? "caught up" : polls.isEmpty() ? "/metrics could not be read"
                        : "still behind " + burst.catchUpLimit().toSeconds() + " s after the burst";
            }
            if (!target.isTradeFlow()) {
                projection = "none (bare Netty)";
            }
            boolean settled = server.awaitIdle(settle, 0.1);
            CpuTicks after = server.cpu();
            long window = System.nanoTime() - start;
            long maxLag = 0;
            synchronized (polls) {
                for (Poll p : polls) {
                    maxLag = Math.max(maxLag, p.progress().lag());
                }
            }
            CpuPerAlert cpu = before == null || after == null ? null : CpuPerAlert.of(after.minus(before), r.answered(), 1,
                    window, null, settled ? 0 : 1, caughtUp == null && poller != null ? 1 : 0);
            return new BurstResult(target.name(), target.label(), burst.alerts(), burst.connections(),
                    burst.duration().toMillis() / 1000.0, r.answered(), r.non200(), r.failed(), r.statuses(),
                    Latency.of(r.latency()), seconds(lastAck - burstEnd),
                    caughtUp == null ? null : seconds(caughtUp.answeredNanos() - burstEnd),
                    caughtUp == null ? null : seconds(caughtUp.answeredNanos() - lastAck), maxLag, projection, cpu);
        } finally {
            client.close();
        }
    }

    /** Scrapes /metrics every POLL_MILLIS into {@code polls} until interrupted; a failed scrape is skipped. */
    private Thread startPolling(List<Poll> polls) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long sent = System.nanoTime();
                try {
                    ProjectionProgress p = ProjectionProgress.fetch(port);
                    synchronized (polls) {
                        polls.add(new Poll(sent, System.nanoTime(), p));
                        polls.notifyAll();
                    }
                    long next = sent + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS) - System.nanoTime();
                    if (next > 0) {
                        TimeUnit.NANOSECONDS.sleep(next);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // The server is busy or restarting a connection: the next scrape will tell.
                }
            }
        }, "burst-metrics-" + target);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The first scrape sent after the last answer (so the journal it saw holds every alert of the
     * burst) that found the projection at the journal's last index; null if none came by the deadline.
     */
    private static Poll awaitCaughtUp(List<Poll> polls, long lastAck, long deadline) throws InterruptedException {
        synchronized (polls) {
            int seen = 0;
            while (true) {
                for (; seen < polls.size(); seen++) {
                    Poll p = polls.get(seen);
                    if (p.sentNanos() > lastAck && p.progress().caughtUp()) {
                        return p;
                    }
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    return null;
                }
                polls.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            }
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
