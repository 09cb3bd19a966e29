package io.tradeflow.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TradeFlow's real launcher ({@link Main} {@code start}) in a child JVM, on the test's classpath
 * and with this JVM's module flags (the Chronicle {@code --add-opens}/{@code --add-exports}), so
 * it can be killed with SIGKILL like a production process.
 */
final class ChildTradeFlow implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("TradeFlow listening on http://localhost:(\\d+)");
    private static final Pattern DEMO_KEY = Pattern.compile("^DEMO_API_KEY=(\\S+)");
    private static final int KEPT_LINES = 200;

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final CompletableFuture<String> demoKey = new CompletableFuture<>();
    private final Deque<String> lastLines = new ArrayDeque<>();

    private ChildTradeFlow(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "child-tradeflow-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code tradeflow start --port 0 --data dataDir --config configFile}. */
    static ChildTradeFlow start(Path dataDir, Path configFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports") || arg.startsWith("-Dchronicle.")) {
                command.add(arg);
            }
        }
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("start");
        command.add("--port");
        command.add("0");
        command.add("--data");
        command.add(dataDir.toString());
        command.add("--config");
        command.add(configFile.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildTradeFlow(process);
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                }
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                }
                Matcher key = DEMO_KEY.matcher(line);
                if (key.find()) {
                    demoKey.complete(key.group(1));
                }
            }
        } catch (IOException e) {
            // The child was killed: its output simply ends.
        }
        port.completeExceptionally(new IllegalStateException("the child exited before listening:\n" + output()));
    }

    /** Waits for the child to listen and returns its port. */
    int awaitPort(long timeoutSeconds) throws Exception {
        try {
            return port.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the child did not start in " + timeoutSeconds + " s:\n" + output(), e);
        }
    }

    /** The demo key printed on the first start only. */
    String awaitDemoKey(long timeoutSeconds) throws Exception {
        return demoKey.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    /** The child's process id. */
    long pid() {
        return process.pid();
    }

    /** Waits for the child to exit on its own and returns its exit status. */
    int awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child did not exit in " + timeoutSeconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the clean shutdown of the launcher's hook. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    String output() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
