package io.tradeflow.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataDirectoryLockTest {
    @TempDir
    Path dir;

    /** Holds the lock of {@code args[0]} in its own process until its stdin closes or it is killed. */
    public static final class Holder {
        @SuppressWarnings("try") // the lock is held by being open, never read
        public static void main(String[] args) throws Exception {
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]))) {
                System.out.println("locked");
                System.out.flush();
                System.in.read();
            }
        }
    }

    private Process holder(Path data) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                data.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        // The JVM may print a warning or two before the holder's own line.
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null && !line.equals("locked")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("the holder never locked:\n%s", seen).isEqualTo("locked");
        return p;
    }

    @Test
    void shouldRefuseASecondProcessNamingTheOwnerAndTouchNothing() throws Exception {
        Path data = dir.resolve("data");
        Process owner = holder(data);
        try {
            Files.writeString(data.resolve("marker"), "untouched");

            assertThatThrownBy(() -> DataDirectoryLock.acquire(data))
                    .isInstanceOf(DataDirectoryLock.InUseException.class)
                    .hasMessageContaining("data directory " + data + " is in use by process " + owner.pid())
                    .satisfies(e -> assertThat(((DataDirectoryLock.InUseException) e).ownerPid()).isEqualTo(owner.pid()));
            assertThat(owner.isAlive()).isTrue();
            assertThat(Files.readString(data.resolve("marker"))).isEqualTo("untouched");
            assertThat(Files.readString(data.resolve(DataDirectoryLock.FILE_NAME)).trim()).isEqualTo(Long.toString(owner.pid()));
        } finally {
            owner.destroyForcibly();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @SuppressWarnings("try") // acquiring is the test; the lock is not read
    void shouldBeFreeAgainOnceTheOwnerIsKilled() throws Exception {
        Path data = dir.resolve("data");
        Process owner = holder(data);
        owner.destroyForcibly();
        assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // A kill -9 leaves the file but not the lock: the next start proceeds (and recovers the rest).
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            assertThat(Files.readString(data.resolve(DataDirectoryLock.FILE_NAME)).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void shouldRefuseASecondLockInTheSameProcessAndAllowItAfterClose() {
        DataDirectoryLock first = DataDirectoryLock.acquire(dir);

        assertThatThrownBy(() -> DataDirectoryLock.acquire(dir)).isInstanceOf(DataDirectoryLock.InUseException.class)
                .hasMessageContaining("is in use by process " + ProcessHandle.current().pid());

        first.close();
        DataDirectoryLock.acquire(dir).close();
    }
}
