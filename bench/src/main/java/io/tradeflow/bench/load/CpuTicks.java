package io.tradeflow.bench.load;

import io.tradeflow.bench.ProcCpu;

/**
 * CPU a target server used, in clock ticks ({@link ProcCpu#TICKS_PER_SECOND}), split between its
 * JVM and its embedded PostgreSQL (postmaster, live children, and the reaped ones); a reading or
 * the difference of two.
 */
public record CpuTicks(long jvm, long postgres) {
    public static final CpuTicks ZERO = new CpuTicks(0, 0);

    public long total() {
        return jvm + postgres;
    }

    public CpuTicks minus(CpuTicks earlier) {
        return new CpuTicks(jvm - earlier.jvm, postgres - earlier.postgres);
    }

    public CpuTicks plus(CpuTicks other) {
        return new CpuTicks(jvm + other.jvm, postgres + other.postgres);
    }

    static double seconds(long ticks) {
        return (double) ticks / ProcCpu.TICKS_PER_SECOND;
    }
}
