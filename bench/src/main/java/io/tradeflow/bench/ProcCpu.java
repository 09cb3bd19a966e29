package io.tradeflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time of processes from {@code /proc/<pid>/stat}, in clock ticks (1/100 s on Linux), for the
 * benchmarks that charge the server's CPU — the JVM and its embedded PostgreSQL — to the work
 * measured. The embedded PostgreSQL is started through {@code pg_ctl}, so its postmaster is
 * re-parented to init: it is not among the JVM's descendants and must be found through its
 * {@code postmaster.pid}.
 */
public final class ProcCpu {
    /** {@code USER_HZ}: fixed at 100 for the kernel's user-visible interfaces on every Linux we run on. */
    public static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    /** utime + stime of one process, or -1 when it is gone or /proc is not there. */
    public static long ticks(long pid) {
        String[] f = stat(Path.of("/proc", Long.toString(pid)));
        return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** utime + stime from the text of a {@code /proc/<pid>/stat}. */
    public static long parseTicks(String stat) {
        String[] f = fields(stat);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * CPU of a PostgreSQL server: utime + stime of the postmaster and of its live children (backends,
     * WAL writer, checkpointer, ...), plus what the postmaster has reaped (cutime + cstime: backends
     * that ended, e.g. a pool's connection closed). -1 when the postmaster is gone.
     */
    public static long postgresTicks(long postmaster) throws IOException {
        long ticks = 0;
        boolean found = false;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] f = stat(dir);
                if (f == null) {
                    continue;
                }
                long pid = Long.parseLong(name);
                // f[0] is the state (field 3); ppid is field 4, utime..cstime fields 14..17.
                long ppid = Long.parseLong(f[1]);
                if (pid == postmaster) {
                    found = true;
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                } else if (ppid == postmaster) {
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
        }
        return found ? ticks : -1;
    }

    /** The postmaster's pid from the first line of {@code <pgDir>/postmaster.pid}, if the server is up. */
    public static OptionalLong postmasterPid(Path pgDir) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The fields of /proc/pid/stat after the command name, or null when the process is gone. */
    private static String[] stat(Path dir) {
        try {
            return fields(Files.readString(dir.resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The command name (field 2) may contain spaces and parentheses: the fields after it start past its last ')'. */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    }
}
