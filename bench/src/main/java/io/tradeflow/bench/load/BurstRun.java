package io.tradeflow.bench.load;

import io.netty.channel.EventLoop;
import io.tradeflow.bench.load.LoadResults.BurstResult;
import io.tradeflow.bench.load.LoadResults.CpuPerAlert;
import io.tradeflow.bench.load.LoadResults.Latency;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One burst against one target, as TradingView delivers alerts at a bar close: {@code alerts}
 * planned evenly over a couple of seconds on many fresh keep-alive connections, then nothing.
 * Measures every answer (open-loop, from the planned send time) and, for a target with a
 * projection, scrapes {@code /metrics} every {@value #POLL_MILLIS} ms from the last answer until
 * the projection holds the journal's last record. Not during the burst: a scrape costs the
 * server's event loop milliseconds of CPU (the Prometheus text, the journal's last index), which
 * would be taken from the alerts being measured.
 */
final class BurstRun {
    static final int POLL_MILLIS = 100;

    private final Target target;
    private final ServerProcess server;
    private final int port;
    private final LoadOptions.Burst burst;
    private final Duration settle;

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
            PhaseResult r = client.run(burst.rate(), burst.duration().toNanos(), 0, burst.drain().toNanos());
            long lastAck = r.startNanos() + r.elapsedNanos();
            long burstEnd = r.startNanos() + burst.duration().toNanos();
            CatchUp catchUp = target.hasProjection() ? awaitCaughtUp(burstEnd + burst.catchUpLimit().toNanos()) : null;
            String projection = !target.isTradeFlow() ? "none (bare Netty)"
                    : catchUp == null ? "none (journal off: nothing is projected)"
                    : catchUp.scrapes() == 0 ? "/metrics could not be read"
                    : catchUp.at() > 0 ? "caught up" : "still behind " + burst.catchUpLimit().toSeconds() + " s after the burst";
            boolean settled = server.awaitIdle(settle, 0.1);
            CpuTicks after = server.cpu();
            long window = System.nanoTime() - start;
            boolean behind = catchUp != null && catchUp.at() == 0;
            CpuPerAlert cpu = before == null || after == null ? null : CpuPerAlert.of(after.minus(before), r.answered(), 1,
                    window, null, settled ? 0 : 1, behind ? 1 : 0);
            Double caughtUp = catchUp == null || catchUp.at() == 0 ? null : seconds(catchUp.at() - burstEnd);
            return new BurstResult(target.name(), target.label(), burst.alerts(), burst.connections(),
                    burst.duration().toMillis() / 1000.0, r.answered(), r.non200(), r.failed(), r.statuses(),
                    Latency.of(r.latency()), seconds(lastAck - burstEnd), caughtUp,
                    caughtUp == null ? null : seconds(catchUp.at() - lastAck),
                    catchUp == null ? -1 : catchUp.lagAtLastAck(), projection, cpu);
        } finally {
            client.close();
        }
    }

    /**
     * @param at           when the scrape that found the projection caught up came back (nanoTime), 0 if none did
     * @param lagAtLastAck the projection's lag in the first scrape after the last answer (-1 if none)
     * @param scrapes      scrapes that were answered
     */
    private record CatchUp(long at, long lagAtLastAck, int scrapes) {
    }

    /**
     * Scrapes until one shows the projection at the journal's last index. Called once the last
     * answer came, so every scrape sees a journal that holds the whole burst.
     */
    private CatchUp awaitCaughtUp(long deadline) throws InterruptedException {
        long firstLag = -1;
        int scrapes = 0;
        while (true) {
            long sent = System.nanoTime();
            try {
                ProjectionProgress p = ProjectionProgress.fetch(port);
                scrapes++;
                if (firstLag < 0) {
                    firstLag = p.lag();
                }
                if (p.caughtUp()) {
                    return new CatchUp(System.nanoTime(), firstLag, scrapes);
                }
            } catch (IOException e) {
                // The server is busy; the next scrape will tell.
            }
            if (System.nanoTime() > deadline) {
                return new CatchUp(0, firstLag, scrapes);
            }
            long next = sent + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS) - System.nanoTime();
            if (next > 0) {
                TimeUnit.NANOSECONDS.sleep(next);
            }
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
