package io.tradeflow.bench.jmh;

import io.tradeflow.bench.JvmFlags;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Settings every benchmark of the suite inherits (JMH reads these annotations from superclasses):
 * average time in ns/op, one fork with the Chronicle flags and a fixed heap, 3×1 s warm-up and
 * 5×1 s measurement, which keeps the whole suite at a few minutes on two cores while still giving
 * an error bar. Run with {@code -prof gc} to see B/op ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        JvmFlags.EXPORT_REF, JvmFlags.EXPORT_UTIL, JvmFlags.EXPORT_NIO_CH, JvmFlags.EXPORT_MISC,
        JvmFlags.EXPORT_JAVAC_FILE, JvmFlags.OPEN_JAVAC, JvmFlags.OPEN_LANG, JvmFlags.OPEN_REFLECT,
        JvmFlags.OPEN_IO, JvmFlags.OPEN_UTIL, JvmFlags.OPEN_NIO_CH, JvmFlags.OPEN_NIO,
        JvmFlags.NO_ANALYTICS, JvmFlags.NO_ANNOUNCER,
        "-Xms1g", "-Xmx1g"})
public abstract class JmhDefaults {
}
