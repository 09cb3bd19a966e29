package io.tradeflow.bench.jmh;

import io.tradeflow.bench.TempDirs;
import io.tradeflow.config.JournalSync;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.stage.RoutingPipeline;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;

/**
 * One {@link ChronicleJournal#append} of a decided intent, with {@code journal.sync = none} (the
 * default, {@code -p sync=none}) or {@code per-write} (each append forced to the device: an
 * fdatasync per append, so its number is the disk's flush latency), from the benchmark thread
 * (the appender binds to the first thread that appends, as the ring consumer does in production).
 * Each iteration gets a fresh queue in a temp directory that is deleted afterwards, so a run at
 * millions of appends per second does not fill the disk.
 */
@State(Scope.Thread)
public class JournalAppendBenchmark extends JmhDefaults {
    /** {@code none} (default) or {@code per-write}: {@code -p sync=none,per-write} compares them in one run. */
    @Param({"none"})
    public String sync = "none";

    private RingEvent event;
    private Path dir;
    private ChronicleJournal journal;

    @Setup(Level.Trial)
    public void decidedEvent() {
        RoutingPipeline pipeline = new RoutingPipeline(RouterFixture.seededState(), RouterFixture.trial(),
                RouterFixture.venues());
        event = RouterFixture.cycle()[0];
        pipeline.process(event);
        RouterFixture.expect(event, RouterFixture.CYCLE_OUTCOMES[0], "journaled event");
        event.decisionNanos = 12_345;
    }

    @Setup(Level.Iteration)
    public void openJournal() {
        dir = TempDirs.create("tf-journal-bench");
        journal = new ChronicleJournal(dir, switch (sync) {
            case "none" -> JournalSync.NONE;
            case "per-write" -> JournalSync.PER_WRITE;
            default -> throw new IllegalArgumentException("unknown sync " + sync + ": none or per-write");
        });
        // Creates the appender and the first cycle file outside the measurement.
        journal.append(event);
    }

    @TearDown(Level.Iteration)
    public void closeJournal() {
        journal.close();
        TempDirs.delete(dir);
    }

    @Benchmark
    public long append() {
        return journal.append(event);
    }
}
