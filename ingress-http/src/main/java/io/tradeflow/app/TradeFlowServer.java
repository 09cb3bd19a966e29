package io.tradeflow.app;

import io.tradeflow.broker.paper.PaperBroker;
import io.tradeflow.config.TradeFlowConfig;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.DisabledJournal;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.ring.ControlPublisher;
import io.tradeflow.core.ring.RouterRing;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.venue.ExecutionVenue;
import io.tradeflow.core.venue.Venues;
import io.tradeflow.http.HttpServer;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.projection.ProjectionWriter;
import io.tradeflow.persistence.StateLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.Map;

/**
 * TradeFlow assembled in one readable place: database, state rebuild (projection + journal
 * replay), ring, projection writer, HTTP. {@link #close()} shuts down in the safe order: stop
 * accepting, drain the ring (answering in-flight alerts), drain the projection, close the
 * journal, stop the database.
 */
public final class TradeFlowServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TradeFlowServer.class);

    private final TradeFlowConfig config;
    private final Database database;
    private final Journal journal;
    private final RouterRing ring;
    private final ProjectionWriter projection;
    private final AccountService accounts;
    private final HttpServer http;
    private final int port;
    private final long replayed;
    private volatile boolean ready;
    private boolean closed;

    private TradeFlowServer(TradeFlowConfig config) throws Exception {
        this.config = config;
        Files.createDirectories(config.dataDir());
        this.database = Database.start(config.database(), config.dataDir());
        try {
            RouterState state = new RouterState(config.risk(), config.alerts(), config.instruments(),
                    config.paper().startingBalance());
            long lastApplied = StateLoader.load(database.jdbi(), state);
            this.journal = config.journal().enabled()
                    ? new ChronicleJournal(config.journal().path(), config.journal().sync())
                    : new DisabledJournal();
            Map<BrokerKind, ExecutionVenue> venues = Map.of(BrokerKind.PAPER, new PaperBroker(config.paper()));
            RoutingPipeline pipeline = new RoutingPipeline(state, config.trial(), new Venues(venues));
            this.replayed = replay(journal, lastApplied, pipeline);

            this.ring = new RouterRing(config.ring(), new RoutingHandler(pipeline, journal));
            ring.start();
            this.projection = new ProjectionWriter(database.jdbi(), journal, config.projection());
            if (journal.isDurable()) {
                projection.start();
            }
            this.accounts = new AccountService(database, new ControlPublisher(ring.ringBuffer()));
            this.http = new HttpServer(config.http(), ring.ringBuffer(), () -> ready);
            this.port = http.start();
        } catch (Exception | Error e) {
            closeQuietly();
            throw e;
        }
        ready = true;
        LOG.info("TradeFlow ready on port {} ({} journal events replayed on start)", port, replayed);
    }

    public static TradeFlowServer start(TradeFlowConfig config) throws Exception {
        return new TradeFlowServer(config);
    }

    /**
     * Re-applies journaled events the database projection has not seen yet, and returns how many. Events the
     * projection already holds are read too, but only to rebuild what the database does not keep: idempotency keys
     * and their answers, duplicate-signal times (expired ones are recycled) and accounts' alert settings.
     */
    private static long replay(Journal journal, long lastApplied, RoutingPipeline pipeline) {
        long count = 0;
        RingEvent event = new RingEvent();
        try (JournalReader reader = journal.readerAfter(0)) {
            while (reader.next(event)) {
                if (event.journalIndex <= lastApplied) {
                    pipeline.rebuildUnprojected(event);
                } else {
                    pipeline.replay(event);
                    count++;
                }
            }
        }
        return count;
    }

    public int port() {
        return port;
    }

    public TradeFlowConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public AccountService accounts() {
        return accounts;
    }

    public ProjectionWriter projection() {
        return projection;
    }

    public RouterRing ring() {
        return ring;
    }

    public long replayedEvents() {
        return replayed;
    }

    public boolean isReady() {
        return ready;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        LOG.info("TradeFlow shutting down");
        closeQuietly();
        LOG.info("TradeFlow stopped");
    }

    private void closeQuietly() {
        if (http != null) {
            run(http::stopAccepting);
        }
        if (ring != null) {
            run(ring::close);
        }
        if (http != null) {
            run(http::close);
        }
        if (projection != null) {
            run(projection::close);
        }
        if (journal != null) {
            run(journal::close);
        }
        if (database != null) {
            run(database::close);
        }
    }

    private static void run(ThrowingRunnable step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("shutdown step failed: {}", e.toString());
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
