package io.tradeflow.app;

import io.tradeflow.config.ConfigLoader;
import io.tradeflow.config.InvalidConfigException;
import io.tradeflow.config.TradeFlowConfig;
import io.tradeflow.persistence.DataDirectoryLock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code tradeflow start [--port N] [--data DIR] [--config FILE]}. */
@Command(name = "tradeflow", mixinStandardHelpOptions = true, subcommands = Main.Start.class,
        description = "Low-latency order router for TradingView alerts.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start TradeFlow (embedded PostgreSQL and the paper broker unless configured otherwise).")
    static final class Start implements Callable<Integer> {
        @Option(names = "--port", description = "HTTP port (default from config: 8080)")
        Integer port;

        @Option(names = "--data", description = "Data directory for the journal and embedded database (default ./data)")
        Path data;

        @Option(names = "--config", description = "Operator config file (HOCON)")
        Path config;

        @Override
        public Integer call() throws Exception {
            Map<String, String> overrides = new LinkedHashMap<>();
            if (port != null) {
                overrides.put("http.port", Integer.toString(port));
            }
            if (data != null) {
                overrides.put("data-dir", data.toString());
            }
            TradeFlowConfig cfg;
            try {
                cfg = ConfigLoader.load(Optional.ofNullable(config), overrides, System.getenv());
            } catch (InvalidConfigException e) {
                System.err.println("tradeflow: " + e.getMessage());
                return 2;
            }
            TradeFlowServer server;
            try {
                server = TradeFlowServer.start(cfg);
            } catch (InvalidConfigException e) {
                // A value only the running machine can refute, such as threads.router-cpus.
                System.err.println("tradeflow: " + e.getMessage());
                return 2;
            } catch (DataDirectoryLock.InUseException e) {
                // Another TradeFlow runs on this directory: touch nothing of it.
                System.err.println("tradeflow: " + e.getMessage());
                return 3;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "tradeflow-shutdown"));
            DemoSeeder.seedIfFirstStart(server);
            System.out.println("TradeFlow listening on http://localhost:" + server.port()
                    + "  (health: /health, webhook: POST /api/unify/v1/webhook). Ctrl-C stops it.");
            System.out.println("Dashboard: http://localhost:" + server.port() + "/");
            stopped.await();
            return 0;
        }
    }
}
