package io.tradeflow.app;

import io.tradeflow.service.account.AccountService;
import io.tradeflow.service.mail.MailSender;
import io.tradeflow.service.notify.DecisionNotifier;
import io.tradeflow.service.notify.NotificationDispatcher;
import io.tradeflow.service.notify.BillingNotifications;
import io.tradeflow.service.notify.NotificationService;
import io.tradeflow.service.session.AccountSecurityService;
import io.tradeflow.service.session.SessionService;

import io.tradeflow.service.security.CredentialCipher;
import io.tradeflow.service.security.DashboardSecrets;
import io.tradeflow.service.security.LoginThrottle;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.gateway.BrokerConnectors;
import io.tradeflow.broker.paper.PaperBroker;
import io.tradeflow.config.BrokersConfig;
import io.tradeflow.config.CpuSet;
import io.tradeflow.config.TradeFlowConfig;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.journal.ChronicleJournal;
import io.tradeflow.core.journal.DisabledJournal;
import io.tradeflow.core.journal.Journal;
import io.tradeflow.core.journal.JournalReader;
import io.tradeflow.core.ring.BrokerReportPublisher;
import io.tradeflow.core.ring.PricePublisher;
import io.tradeflow.core.feed.CsvPriceReplay;
import io.tradeflow.core.feed.PriceFeed;
import io.tradeflow.config.PriceFeedKind;
import io.tradeflow.config.PricesConfig;
import io.tradeflow.core.ring.ControlPublisher;
import io.tradeflow.service.billing.BillingService;
import io.tradeflow.core.ring.RouterRing;
import io.tradeflow.core.ring.RoutingHandler;
import io.tradeflow.core.stage.RoutingPipeline;
import io.tradeflow.core.state.ReplayCheckpoint;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.threads.CpuPinning;
import io.tradeflow.core.venue.BrokerGateways;
import io.tradeflow.core.venue.ExecutionVenue;
import io.tradeflow.core.venue.Venues;
import io.tradeflow.http.HttpServer;
import io.tradeflow.http.WebhookCapture;
import io.tradeflow.http.OpsEndpoints;
import io.tradeflow.http.mtx.MtxEndpoints;
import io.tradeflow.http.metrics.RouterMetrics;
import io.tradeflow.http.ws.LiveAuth;
import io.tradeflow.http.ws.LiveEndpoint;
import io.tradeflow.http.ws.LiveFeed;
import io.tradeflow.http.ws.LiveSettings;
import io.tradeflow.http.api.AccountRoutes;
import io.tradeflow.http.api.AdminRoutes;
import io.tradeflow.http.api.AlertSettingsRoutes;
import io.tradeflow.http.api.AllowedSourcesRoutes;
import io.tradeflow.http.api.CopyRoutes;
import io.tradeflow.http.api.GroupRoutes;
import io.tradeflow.http.api.EaRoutes;
import io.tradeflow.service.account.EaControl;
import io.tradeflow.service.copy.CopyTradingService;
import io.tradeflow.service.copy.GroupService;
import io.tradeflow.http.api.AnalyticsRoutes;
import io.tradeflow.http.api.AuthRoutes;
import io.tradeflow.http.api.NotificationRoutes;
import io.tradeflow.http.api.SecurityRoutes;
import io.tradeflow.http.api.BillingRoutes;
import io.tradeflow.http.api.DashboardApi;
import io.tradeflow.http.api.DocsRoutes;
import io.tradeflow.http.api.LogRoutes;
import io.tradeflow.http.api.RiskRoutes;
import io.tradeflow.http.api.TemplateRoutes;
import io.tradeflow.http.api.TradingRoutes;
import io.tradeflow.persistence.DataDirectoryLock;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AdminAuditDao;
import io.tradeflow.persistence.dao.AnalyticsDao;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.OrderDao;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.WebhookLogDao;
import io.tradeflow.persistence.dao.WebhookPayloadDao;
import io.tradeflow.persistence.projection.ProjectionWriter;
import io.tradeflow.persistence.PhaseTimes;
import io.tradeflow.persistence.StateLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TradeFlow assembled in one readable place: database, state rebuild (projection + journal
 * replay), ring, broker connectors, projection writer, HTTP. {@link #close()} shuts down in the safe order: stop
 * accepting, drain the ring (answering in-flight alerts), drain the projection, close the
 * journal, stop the database.
 */
public final class TradeFlowServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TradeFlowServer.class);

    private final TradeFlowConfig config;
    private final Database database;
    private final Journal journal;
    private final RouterRing ring;
    private final PricePublisher pricePublisher;
    private final PriceFeed priceFeed;
    private final ProjectionWriter projection;
    /** Checkpoints taken while running (null: journal off or journal.checkpoint-every = 0). */
    private RunningCheckpoints runningCheckpoints;
    private final AccountService accounts;
    private final BrokerConnectors brokers;
    private final RouterMetrics metrics = new RouterMetrics();
    private final LiveEndpoint live;
    /** Decisions and lost brokers a user may be notified of, handed off without blocking (bounded). */
    private final DecisionNotifier notifier = new DecisionNotifier(10_000);
    private final NotificationService notifications;
    private final NotificationDispatcher notificationDispatcher;
    private final SessionService sessions;
    private final AccountSecurityService accountSecurity;
    private final BillingService billing;
    private final DashboardApi dashboard;
    private final WebhookCapture webhookCapture;
    private final HttpServer http;
    private final int port;
    private final long replayed;
    /** The journal index start-up read after: 0 (the whole journal) or the replay checkpoint's. */
    private final long replayedFrom;
    /** Written by the ring thread only; read here once the ring has stopped (the shutdown checkpoint). */
    private final RouterState state;
    private volatile boolean ready;
    /** Set once the constructor finished: a half-built server writes no checkpoint. */
    private boolean started;
    private final DataDirectoryLock dataLock;
    private boolean closed;

    private TradeFlowServer(TradeFlowConfig config, Map<BrokerKind, ExecutionVenue> venues) throws Exception {
        this(config, venues, java.util.function.UnaryOperator.identity(), LiveSettings.DEFAULT);
    }

    private TradeFlowServer(TradeFlowConfig config, Map<BrokerKind, ExecutionVenue> venues,
                            java.util.function.UnaryOperator<Journal> journalWrapper) throws Exception {
        this(config, venues, journalWrapper, LiveSettings.DEFAULT);
    }

    private TradeFlowServer(TradeFlowConfig config, Map<BrokerKind, ExecutionVenue> venues,
                            java.util.function.UnaryOperator<Journal> journalWrapper, LiveSettings liveSettings)
            throws Exception {
        this.config = config;
        PhaseTimes startup = new PhaseTimes();
        // First: every thread made from here on, and the embedded PostgreSQL, inherits the CPUs left over.
        CpuSet routerCpus = config.threads().routerCpus();
        CpuPinning.reserve(routerCpus);
        Files.createDirectories(config.dataDir());
        // Before anything in the directory is touched (the stale-postmaster recovery, the journal).
        this.dataLock = DataDirectoryLock.acquire(config.dataDir());
        BrokersConfig b = config.brokers();
        this.brokers = new BrokerConnectors(new ConnectorSettings(b.requestTimeout(), b.circuitFailureThreshold(),
                b.circuitOpenFor(), b.eaHeartbeatTimeout(), b.eaPickupTimeout(), b.outcomeRecheckWindow()),
                config.instruments());
        brokers.connectionAlerts(notifier);
        phase(startup, "launch to database start");
        this.database = Database.start(config.database(), config.dataDir());
        // The bench (RestartBench) measures from this line to ready: everything after it is TradeFlow's own start.
        phase(startup, "database up");
        try {
            this.state = new RouterState(config.risk(), config.alerts(), config.instruments(),
                    config.paper().startingBalance());
            state.copy().maxFollowersPerMaster(config.copy().maxFollowersPerMaster());
            long lastApplied = StateLoader.load(database.jdbi(), state);
            phase(startup, "state loaded from the projection");
            this.journal = journalWrapper.apply(config.journal().enabled()
                    ? new ChronicleJournal(config.journal().path(), config.journal().sync())
                    : new DisabledJournal());
            phase(startup, "journal opened");
            RoutingPipeline pipeline = new RoutingPipeline(state, config.trial(), config.billing(), new Venues(venues),
                    new BrokerGateways(brokers.gateways()));
            Replayed replay = replay(journal, lastApplied, pipeline, checkpoints(config), startup);
            this.replayed = replay.applied();
            this.replayedFrom = replay.after();
            phase(startup, "journal replayed");

            // The live stream and the notifier see each decision after the metrics, on the ring thread, in O(1).
            LiveFeed liveFeed = new LiveFeed(liveSettings.handoffCapacity());
            RoutingHandler handler = new RoutingHandler(pipeline, journal, e -> {
                metrics.onDecided(e);
                liveFeed.onDecided(e);
                notifier.onDecided(e);
            });
            this.ring = new RouterRing(config.ring(), handler, routerCpus);
            ring.start();
            phase(startup, "ring started");
            brokers.start(new BrokerReportPublisher(ring.ringBuffer()), b.reconcileInterval());
            // After the ring (it publishes into it) and stopped before it (closeQuietly).
            this.pricePublisher = new PricePublisher(ring.ringBuffer());
            this.priceFeed = priceFeed(config.prices());
            if (priceFeed != null) {
                priceFeed.start(pricePublisher);
            }
            this.projection = new ProjectionWriter(database.jdbi(), journal, config.projection());
            metrics.watch(ring::remainingCapacity,
                    () -> ring.ringBuffer().getCursor() + 1 - handler.processedCount(),
                    journal::lastIndex, projection::lastAppliedIndex);
            if (journal.isDurable()) {
                projection.start();
                if (!config.journal().checkpointEvery().isZero()) {
                    this.runningCheckpoints = new RunningCheckpoints(ring.ringBuffer(), projection::lastAppliedIndex,
                            checkpoints(config), config.journal().checkpointEvery());
                    handler.checkpointsTo(runningCheckpoints);
                    runningCheckpoints.start();
                }
            }
            DashboardSecrets secrets = DashboardSecrets.resolve(config);
            this.accounts = new AccountService(database, new ControlPublisher(ring.ringBuffer()),
                    new CredentialCipher(secrets.credentialKey()), config.risk(),
                    journal.isDurable() ? projection::awaitApplied : AccountService.ProjectionWait.NONE, brokers, b,
                    config.alerts());
            new EaControl(database, brokers).restore();
            awaitBrokerLogins(accounts.reconnectStoredBrokerAccounts(), b.requestTimeout().multipliedBy(2));
            phase(startup, "projection started, broker accounts reconnected");
            TokenService tokens = new TokenService(secrets.jwtKey(), Clock.systemUTC(), config.auth());
            PasswordHasher passwords = new PasswordHasher(config.auth().bcryptCost());
            this.accountSecurity = new AccountSecurityService(database, passwords, new CredentialCipher(secrets.credentialKey()),
                    new MailSender(config.mail()), config.auth(), Clock.systemUTC(), this::publicBaseUrl);
            this.sessions = new SessionService(database, passwords, tokens, new LoginThrottle(Clock.systemUTC()))
                    .withSecurity(accountSecurity);
            this.notifications = new NotificationService(database, new MailSender(config.mail()),
                    new CredentialCipher(secrets.credentialKey()), config.notifications(), Clock.systemUTC());
            // Fills reach the dispatcher only for users a fill notification could reach (most never route them).
            notifications.loadFillRecipients();
            notifier.fillsOnlyFor(notifications.fillRecipients()::contains);
            this.notificationDispatcher = new NotificationDispatcher(notifier, notifications, database);
            notificationDispatcher.start();
            this.billing = new BillingService(database, new ControlPublisher(ring.ringBuffer()), config.billing(),
                    Clock.systemUTC(), new BillingNotifications(notifications));
            this.dashboard = dashboard(database, accounts, sessions, accountSecurity, tokens, config, notifications,
                    new ControlPublisher(ring.ringBuffer()), brokers, billing);
            this.webhookCapture = new WebhookCapture(new WebhookPayloadDao(database.jdbi()));
            this.live = new LiveEndpoint(liveFeed, new LiveAuth(tokens, sessions::sessionStillValid,
                    new AccountDao(database.jdbi())), liveSettings, config.paper().startingBalance());
            this.http = new HttpServer(config.http(), ring.ringBuffer(), dashboard,
                    new OpsEndpoints(() -> ready, projection::databaseAvailable, metrics::scrape, handler::failStopReason),
                    new MtxEndpoints(brokers.mtxBridges()), routerCpus, webhookCapture, live);
            this.port = http.start();
            phase(startup, "services and HTTP started");
        } catch (Exception | Error e) {
            closeQuietly();
            throw e;
        }
        started = true;
        ready = true;
        LOG.info("TradeFlow ready on port {} ({} journal events replayed on start) {} ms after launch", port, replayed,
                startup.totalMillis());
    }

    /** The configured price feed, or null when none runs. */
    private static PriceFeed priceFeed(PricesConfig prices) {
        if (prices.feed() == PriceFeedKind.CSV) {
            LOG.info("price feed: replaying {} (speed {})", prices.csvPath(), prices.csvSpeed());
            return new CsvPriceReplay(prices.csvPath(), prices.csvSpeed());
        }
        return null;
    }

    /**
     * Gives the stored broker accounts' logins a bounded head start before webhooks are accepted,
     * so a healthy broker's account trades from the first alert; a slow or refusing broker does not
     * hold the start longer than {@code patience} (its login goes on, or failed and was logged).
     */
    private static void awaitBrokerLogins(CompletableFuture<Void> logins, Duration patience) {
        try {
            logins.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("broker logins still running after {} ms; starting without waiting for them", patience.toMillis());
        } catch (ExecutionException e) {
            LOG.warn("reconnecting broker accounts failed: {}", e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The dashboard API with every resource's routes, wired in one place. */
    /** Where links in mails point: the configured public base URL, else this server on localhost. */
    private String publicBaseUrl() {
        String configured = config.http().publicBaseUrl();
        return configured.isEmpty() ? "http://localhost:" + port : configured;
    }

    private static DashboardApi dashboard(Database database, AccountService accounts, SessionService sessions,
                                          AccountSecurityService accountSecurity, TokenService tokens, TradeFlowConfig config,
                                          NotificationService notifications, ControlPublisher control,
                                          BrokerConnectors brokers, BillingService billing) {
        Jdbi jdbi = database.jdbi();
        AccountDao accountDao = new AccountDao(jdbi);
        ApiKeyDao keys = new ApiKeyDao(jdbi);
        PositionDao positions = new PositionDao(jdbi);
        AnalyticsDao analytics = new AnalyticsDao(jdbi);
        return new DashboardApi(DashboardApi.allRoutes(
                new AuthRoutes(sessions, accountSecurity),
                new SecurityRoutes(sessions, accountSecurity),
                new NotificationRoutes(notifications),
                new AccountRoutes(accounts, accountDao, keys, positions, config.instruments(),
                        config.paper().startingBalance(), config.brokers().tradeLockerServer()).withPlanLimits(billing),
                new TradingRoutes(accounts, accountDao, positions, new OrderDao(jdbi), config.instruments(),
                        config.paper().startingBalance()),
                new RiskRoutes(accounts, accountDao),
                new AllowedSourcesRoutes(accounts, accountDao),
                new AlertSettingsRoutes(accounts, accountDao),
                new LogRoutes(new WebhookLogDao(jdbi), accountDao, new WebhookPayloadDao(jdbi)),
                new AnalyticsRoutes(analytics, Clock.systemUTC()),
                new BillingRoutes(new UserDao(jdbi), config.trial(), Clock.systemUTC(), billing),
                new TemplateRoutes(accountDao),
                new CopyRoutes(new CopyTradingService(database, control), accountDao),
                new GroupRoutes(new GroupService(database), new CopyTradingService(database, control),
                        new AdminAuditDao(jdbi)),
                new EaRoutes(new EaControl(database, brokers), accountDao),
                new AdminRoutes(new UserDao(jdbi), accountDao, keys, analytics, new AdminAuditDao(jdbi), tokens, billing),
                new DocsRoutes()), tokens, sessions::sessionStillValid);
    }

    public static TradeFlowServer start(TradeFlowConfig config) throws Exception {
        return new TradeFlowServer(config, Map.of(BrokerKind.PAPER, new PaperBroker(config.paper())));
    }

    /** Starts with the journal wrapped (fault-injection tests make its appends fail). */
    static TradeFlowServer start(TradeFlowConfig config, java.util.function.UnaryOperator<Journal> journalWrapper)
            throws Exception {
        return new TradeFlowServer(config, Map.of(BrokerKind.PAPER, new PaperBroker(config.paper())), journalWrapper);
    }

    /** The HTTP server (tests ask which event loops answer webhooks). */
    HttpServer http() {
        return http;
    }

    /** The live stream's endpoints (tests read its client counts). */
    LiveEndpoint live() {
        return live;
    }

    /** Starts with other live-stream limits (tests use a small replay window and client buffer). */
    static TradeFlowServer start(TradeFlowConfig config, LiveSettings liveSettings) throws Exception {
        return new TradeFlowServer(config, Map.of(BrokerKind.PAPER, new PaperBroker(config.paper())),
                java.util.function.UnaryOperator.identity(), liveSettings);
    }

    /** Starts with the given execution venues instead of the configured ones (fault-injection tests use it). */
    public static TradeFlowServer start(TradeFlowConfig config, Map<BrokerKind, ExecutionVenue> venues) throws Exception {
        return new TradeFlowServer(config, venues);
    }

    /** One INFO line per start-up phase, so an operator sees where a restart's time goes. */
    private static void phase(PhaseTimes times, String name) {
        LOG.info("start-up: {} in {} ms", name, times.lap(name));
    }

    /** Where the replay checkpoint lives: beside the database and the journal. */
    private static Path checkpoints(TradeFlowConfig config) {
        return config.dataDir().resolve("snapshots");
    }

    /**
     * Re-applies journaled events the database projection has not seen yet, and returns how many. Events the
     * projection already holds are read too, but only to rebuild what the database does not keep: idempotency keys
     * and their answers, duplicate-signal times (expired ones are recycled), pending orders and accounts' alert
     * settings. Those come from the replay checkpoint when one was taken at or before the projection's index, so only
     * the journal after it is read; without one, the whole journal.
     */
    /** What start-up read of the journal: after which index, and how many events the projection did not hold. */
    private record Replayed(long after, long applied) {
    }

    private static Replayed replay(Journal journal, long lastApplied, RoutingPipeline pipeline, Path checkpoints,
                                   PhaseTimes startup) {
        long from = 0;
        JournalReader reader = null;
        ReplayCheckpoint.Loaded checkpoint = journal.isDurable() ? ReplayCheckpoint.read(checkpoints).orElse(null) : null;
        // Phases of their own: with a day of idempotency keys the checkpoint is most of a restart's time.
        if (checkpoint != null) {
            phase(startup, "replay checkpoint read");
        }
        if (checkpoint != null && checkpoint.journalIndex() > 0 && checkpoint.journalIndex() <= lastApplied) {
            try {
                reader = journal.readerAfter(checkpoint.journalIndex());
                phase(startup, "journal positioned after the checkpoint");
                checkpoint.applyTo(pipeline.state());
                from = checkpoint.journalIndex();
                phase(startup, "replay checkpoint applied");
            } catch (IllegalStateException e) {
                LOG.warn("replay checkpoint at {} does not match the journal ({}); reading the whole journal",
                        checkpoint.journalIndex(), e.getMessage());
            }
        } else if (checkpoint != null) {
            LOG.info("replay checkpoint at {} is ahead of the projection ({}); reading the whole journal",
                    checkpoint.journalIndex(), lastApplied);
        }
        if (reader == null) {
            reader = journal.readerAfter(0);
        }
        LOG.info("start-up: reading the journal after index {} (projection at {})", from, lastApplied);
        long count = 0;
        RingEvent event = new RingEvent();
        try (JournalReader records = reader) {
            while (records.next(event)) {
                if (event.journalIndex <= lastApplied) {
                    pipeline.replay().rebuildUnprojected(event);
                } else {
                    pipeline.replay().apply(event);
                    count++;
                }
            }
        }
        pipeline.replay().finish();
        return new Replayed(from, count);
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

    public SessionService sessions() {
        return sessions;
    }

    /** Notifications; billing calls {@code paymentFailed} and {@code planEnding} on it. */
    public NotificationService notifications() {
        return notifications;
    }

    /** Plans and Stripe billing; a notification service registers its {@code BillingListener} here. */
    public BillingService billing() {
        return billing;
    }

    public DashboardApi dashboard() {
        return dashboard;
    }

    public ProjectionWriter projection() {
        return projection;
    }

    public BrokerConnectors brokers() {
        return brokers;
    }

    /** The running price feed, or null when {@code prices.feed = none}. */
    public PriceFeed priceFeed() {
        return priceFeed;
    }

    public RouterRing ring() {
        return ring;
    }

    public long replayedEvents() {
        return replayed;
    }

    /** The journal index start-up read after (0: all of it; else the replay checkpoint's). */
    long replayedFrom() {
        return replayedFrom;
    }

    /**
     * The routing state, for tests: only read it while nothing reaches the ring (right after start, before any
     * request) or after {@link #close()}, since the ring thread is its only writer.
     */
    RouterState state() {
        return state;
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
        if (live != null) {
            // While the event loop still runs: clients get 1001 and reconnect (with since) elsewhere or later.
            run(live::goingAway);
        }
        if (dashboard != null) {
            // Before the ring: queued dashboard requests still wait for their control events.
            run(dashboard::close);
        }
        if (notificationDispatcher != null) {
            run(notificationDispatcher::close);
        }
        if (accountSecurity != null) {
            run(accountSecurity::close);
        }
        if (pricePublisher != null) {
            // Before the feed's thread is joined: a publisher waiting on a full ring gives up.
            run(pricePublisher::close);
        }
        if (priceFeed != null) {
            run(priceFeed::close);
        }
        if (runningCheckpoints != null) {
            // Before the ring stops and the clean stop's own checkpoint replaces the file.
            run(runningCheckpoints::close);
        }
        boolean ringStopped = ring != null && run(ring::close);
        if (brokers != null) {
            run(brokers::close);
        }
        if (http != null) {
            run(http::close);
        }
        if (live != null) {
            run(live::close);
        }
        if (webhookCapture != null) {
            // After the server: the last answers' bodies are queued by then.
            run(webhookCapture::close);
        }
        boolean projected = projection != null && run(projection::close);
        if (started && ringStopped && projected && journal.isDurable()) {
            run(this::writeCheckpoint);
        }
        if (journal != null) {
            run(journal::close);
        }
        if (database != null) {
            run(database::close);
        }
        if (dataLock != null) {
            run(dataLock::close);
        }
    }

    /**
     * Once the ring has stopped and the projection has drained, the state is the journal's last record's, all of it
     * projected: the checkpoint lets the next start read only the journal written after it (see {@link #replay}).
     */
    private void writeCheckpoint() {
        long last = journal.lastIndex();
        if (last == 0 || projection.lastAppliedIndex() != last) {
            LOG.info("no replay checkpoint: the projection is at {}, the journal at {}", projection.lastAppliedIndex(), last);
            return;
        }
        ReplayCheckpoint.write(state, last, checkpoints(config));
        LOG.info("replay checkpoint written at journal index {}", last);
    }

    private static boolean run(ThrowingRunnable step) {
        try {
            step.run();
            return true;
        } catch (Exception e) {
            LOG.warn("shutdown step failed: {}", e.toString());
            return false;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
