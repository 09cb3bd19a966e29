package io.tradeflow.broker.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one JDK HttpClient all connectors share, on its own small daemon pool: broker I/O never runs
 * on the ring thread or the Netty event loop. HTTP/1.1 because the brokers' REST gateways speak it
 * and it avoids an h2c upgrade attempt on plain-HTTP test stubs.
 */
public final class BrokerHttpClients implements AutoCloseable {
    private final ExecutorService executor;
    private final HttpClient client;

    public BrokerHttpClients(int threads, Duration connectTimeout) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tradeflow-broker-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Made now: made on first use by the ring thread they would inherit the CPUs threads.router-cpus
        // keeps for the ring and the HTTP event loop.
        pool.prestartAllCoreThreads();
        this.executor = pool;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    public HttpClient client() {
        return client;
    }

    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
