package io.tradeflow.config;

import java.util.BitSet;
import java.util.Optional;

/**
 * A set of CPU numbers written the way Linux writes them ({@code taskset -c}, {@code Cpus_allowed_list}):
 * {@code "1"}, {@code "2-3"}, {@code "0,2-3"}. Immutable; empty means "none".
 */
public final class CpuSet {
    /** Far above any machine TradeFlow runs on; bounds what a typo like {@code 1-99999999} could allocate. */
    static final int MAX_CPU = 4095;
    public static final CpuSet NONE = new CpuSet(new BitSet());

    private final BitSet cpus;

    private CpuSet(BitSet cpus) {
        this.cpus = cpus;
    }

    public static CpuSet of(BitSet cpus) {
        return new CpuSet((BitSet) cpus.clone());
    }

    /** Parses a CPU list; empty text is {@link #NONE}; anything malformed is empty {@link Optional}. */
    public static Optional<CpuSet> parse(String text) {
        String list = text.strip();
        BitSet cpus = new BitSet();
        if (list.isEmpty()) {
            return Optional.of(NONE);
        }
        for (String part : list.split(",", -1)) {
            String range = part.strip();
            int dash = range.indexOf('-');
            int first;
            int last;
            try {
                first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash).strip());
                last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1).strip());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (first < 0 || last < first || last > MAX_CPU) {
                return Optional.empty();
            }
            cpus.set(first, last + 1);
        }
        return Optional.of(new CpuSet(cpus));
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    public boolean contains(int cpu) {
        return cpus.get(cpu);
    }

    /** A copy: callers may change it. */
    public BitSet toBitSet() {
        return (BitSet) cpus.clone();
    }

    /** The CPUs of this set that are not in {@code other}. */
    public CpuSet minus(CpuSet other) {
        BitSet rest = toBitSet();
        rest.andNot(other.cpus);
        return new CpuSet(rest);
    }

    /** Whether every CPU of this set is also in {@code other}. */
    public boolean isSubsetOf(CpuSet other) {
        return minus(other).isEmpty();
    }

    /** Linux list notation, ranges collapsed: {@code 0,2-3}; empty for {@link #NONE}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; ) {
            int end = cpus.nextClearBit(first);
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(first);
            if (end - 1 > first) {
                out.append('-').append(end - 1);
            }
            first = cpus.nextSetBit(end);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet && ((CpuSet) o).cpus.equals(cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }
}
