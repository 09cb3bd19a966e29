package io.tradeflow.bench.load;

import io.tradeflow.bench.ProcCpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the harness started as a child process: its output goes to a log file and is watched
 * for the line announcing the port and, for TradeFlow, the {@code DEMO_API_KEY=} line printed on
 * the first start of a fresh data directory.
 */
public final class ServerProcess implements AutoCloseable {
    static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
    static final Pattern DEMO_KEY = Pattern.compile("^DEMO_API_KEY=(\\S+)\\s*$");

    private final String name;
    private final Process process;
    private final Path log;
    /** The embedded PostgreSQL's directory ({@code <data>/pg}); null for a server without one. */
    private final Path postgresDir;
    private long postmaster = -1;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile String apiKey;
    private volatile List<ProcessHandle> children = List.of();

    private ServerProcess(String name, Process process, Path log, Path postgresDir) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.postgresDir = postgresDir;
    }

    /** Starts {@code command}; stdout and stderr go to {@code log}; its CPU is that of its JVM only. */
    public static ServerProcess start(String name, List<String> command, Path workDir, Path log) throws IOException {
        return start(name, command, workDir, log, null);
    }

    /**
     * Starts {@code command}; stdout and stderr go to {@code log}. {@code postgresDir} is where the
     * server's embedded PostgreSQL keeps its {@code postmaster.pid} (null if it has none): its CPU
     * counts as the server's.
     */
    public static ServerProcess start(String name, List<String> command, Path workDir, Path log, Path postgresDir)
            throws IOException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        ServerProcess server = new ServerProcess(name, process, log, postgresDir);
        Thread pump = new Thread(server::copyOutput, "output-" + name);
        pump.setDaemon(true);
        pump.start();
        return server;
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher key = DEMO_KEY.matcher(line);
                if (key.matches()) {
                    apiKey = key.group(1);
                    out.println("DEMO_API_KEY=<captured by the harness>");
                    continue;
                }
                out.println(line);
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                }
            }
        } catch (IOException e) {
            port.completeExceptionally(e);
        } finally {
            port.completeExceptionally(new IllegalStateException(name + " exited before it was listening; see " + log));
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Waits for the listening line, then for {@code GET /ready} to answer 200; returns the port. */
    public int awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int p;
        try {
            p = port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // not accepting yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new TimeoutException(name + " is not ready (process " + (process.isAlive() ? "running" : "exited")
                        + "); see " + log);
            }
            Thread.sleep(50);
        }
    }

    /** The API key the server printed on its first start, if it printed one. */
    public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    public long pid() {
        return process.pid();
    }

    /**
     * CPU the server has used so far, from {@code /proc}: its JVM (and anything still running that the
     * JVM started) and its embedded PostgreSQL, which {@code pg_ctl} leaves re-parented to init, so it
     * is found through {@code postmaster.pid}, not among the JVM's descendants. Null where /proc is
     * not readable.
     */
    public CpuTicks cpu() {
        long jvm = ProcCpu.ticks(process.pid());
        if (jvm < 0) {
            return null;
        }
        for (ProcessHandle child : (Iterable<ProcessHandle>) process.descendants()::iterator) {
            jvm += Math.max(0, ProcCpu.ticks(child.pid()));
        }
        return new CpuTicks(jvm, Math.max(0, postgresTicks()));
    }

    private long postgresTicks() {
        if (postgresDir == null) {
            return 0;
        }
        if (postmaster < 0) {
            // Written once the database is up, which is before the server says it listens.
            postmaster = ProcCpu.postmasterPid(postgresDir).orElse(-1);
        }
        try {
            return postmaster < 0 ? -1 : ProcCpu.postgresTicks(postmaster);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Waits until the server is idle — at most {@code maxBusyShare} of one core over 200 ms — or
     * the timeout passes, so work it left behind (projection catching up, GC, JIT) does not land on
     * the next target's measurement. Returns whether it settled.
     */
    public boolean awaitIdle(Duration timeout, double maxBusyShare) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long window = 200;
        long allowedTicks = Math.round(maxBusyShare * window / 10.0);
        CpuTicks first = cpu();
        if (first == null) {
            return true;
        }
        long before = first.total();
        while (System.nanoTime() < deadline) {
            Thread.sleep(window);
            CpuTicks now = cpu();
            if (now == null) {
                return true;
            }
            long after = now.total();
            if (after - before <= allowedTicks) {
                return true;
            }
            before = after;
        }
        return false;
    }

    /** Asks the server to shut down cleanly (SIGTERM) without waiting; see {@link #close()}. */
    public void stop() {
        if (process.isAlive()) {
            children = process.descendants().toList();
            process.destroy();
        }
    }

    /** SIGTERM, then a hard kill of the server and anything it started if it is not gone after a grace period. */
    @Override
    public void close() {
        stop();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            // The embedded PostgreSQL stops with the server; make sure nothing the server started outlives it.
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.onExit().get(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
