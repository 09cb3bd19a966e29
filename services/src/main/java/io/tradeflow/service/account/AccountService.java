package io.tradeflow.service.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.service.security.CredentialCipher;
import io.tradeflow.broker.api.AccountSnapshot;
import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerCredentials;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.broker.gateway.BrokerConnectors;
import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.config.AlertSettings;
import io.tradeflow.config.BrokersConfig;
import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.ring.ControlPublisher;
import io.tradeflow.core.ring.PositionClose;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.persistence.dao.AlertSettingsDao;
import io.tradeflow.persistence.dao.AllowedSourcesDao;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.ApiKeyRow;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.PositionDao;
import io.tradeflow.persistence.dao.PositionRow;
import io.tradeflow.persistence.dao.RiskLimitsDao;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRiskConfigDao;
import io.tradeflow.persistence.dao.UserRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongPredicate;

/**
 * Users, broker accounts, API keys, risk limits, allowed sources, alert settings and the emergency stop, as the
 * launcher and the dashboard change them. Rows that need ids are inserted first; every change that routing must see
 * then travels through the ring as a control event, and a method returns only once the ring has
 * applied it (so the next alert already sees the change) and, when the projection runs, once the
 * database shows it too (so the dashboard reads its own writes).
 */
public final class AccountService {
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
    private static final long APPLY_TIMEOUT_SECONDS = 10;
    /** Longest a dashboard request waits for a broker (login or sync): well inside an HTTP client's patience. */
    private static final long BROKER_PATIENCE_SECONDS = 10;
    private static final Duration PROJECTION_PATIENCE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UserDao users;
    private final AccountDao accounts;
    private final ApiKeyDao keys;
    private final PositionDao positions;
    private final RiskLimitsDao accountLimits;
    private final AllowedSourcesDao allowedSources;
    private final AlertSettingsDao accountAlertSettings;
    private final UserRiskConfigDao userLimits;
    private final ControlPublisher control;
    private final CredentialCipher cipher;
    private final RiskLimits defaultLimits;
    private final AlertSettings defaultAlertSettings;
    /** Waits until the database projection has applied a journal index; false when it did not in time. */
    private final ProjectionWait projection;
    private final BrokerConnectors brokers;
    private final BrokerLogins logins;
    /** The last balance each real-broker account's broker reported (sync or registration), for the account views. */
    private final Map<Long, AccountSnapshot> lastSnapshots = new ConcurrentHashMap<>();

    /** How the service waits for the database projection (none when the journal is disabled). */
    @FunctionalInterface
    public interface ProjectionWait {
        boolean awaitApplied(long journalIndex, Duration timeout);

        ProjectionWait NONE = (index, timeout) -> true;
    }

    public AccountService(Database database, ControlPublisher control, CredentialCipher cipher, RiskLimits defaultLimits,
                          ProjectionWait projection, BrokerConnectors brokers, BrokersConfig brokerUrls,
                          AlertSettings defaultAlertSettings) {
        this.users = new UserDao(database.jdbi());
        this.accounts = new AccountDao(database.jdbi());
        this.keys = new ApiKeyDao(database.jdbi());
        this.positions = new PositionDao(database.jdbi());
        this.accountLimits = new RiskLimitsDao(database.jdbi());
        this.allowedSources = new AllowedSourcesDao(database.jdbi());
        this.accountAlertSettings = new AlertSettingsDao(database.jdbi());
        this.userLimits = new UserRiskConfigDao(database.jdbi());
        this.control = control;
        this.cipher = cipher;
        this.defaultLimits = defaultLimits;
        this.defaultAlertSettings = defaultAlertSettings;
        this.projection = projection;
        this.brokers = brokers;
        this.logins = new BrokerLogins(brokerUrls);
    }

    public boolean userExists(String email) {
        return users.findByEmail(email).isPresent();
    }

    /** Creates a user without a password; {@code signupAt} starts the trial clock. Fails if the email is taken. */
    public long createUser(String email, boolean trial, Instant signupAt) {
        return users.create(email, null, trial ? Plan.TRIAL : Plan.PRO, signupAt)
                .orElseThrow(() -> new IllegalArgumentException("email already registered"));
    }

    /** Creates an enabled broker account without credentials and makes it known to the ring. */
    public long createAccount(long userId, BrokerKind broker, String label) {
        return createAccount(userId, broker, label, null);
    }

    /**
     * A new account and its API key, the only time the key exists in clear; for MetaTrader also the
     * license token its EA authenticates with (null for other brokers).
     */
    public record Registration(long accountId, String apiKey, String licenseToken) {
    }

    /**
     * Registers a broker account for the dashboard. A real broker's credentials are checked first by
     * logging in through its connector (a MetaTrader account gets a new EA license token instead):
     * refused or unanswered, this throws the connector's {@link BrokerException} and creates nothing.
     * Then the credentials are stored encrypted (bound to the user), the account created with the
     * user's risk config, its orders routed through the logged-in connector, and a first API key issued.
     */
    public Registration register(long userId, BrokerKind broker, String label, ObjectNode credentials) {
        if (broker == BrokerKind.PAPER) {
            long accountId = createAccount(userId, broker, label, null);
            return registered(userId, accountId, null);
        }
        ObjectNode stored = credentials.deepCopy();
        if (broker == BrokerKind.MTX) {
            stored.put(BrokerLogins.LICENSE_TOKEN, MtxCredentials.newLicenseToken());
        }
        BrokerConnector connector = awaitLogin(brokers.connect(broker, logins.of(broker, stored)));
        long accountId;
        try {
            accountId = createAccount(userId, broker, label, seal(stored, userId));
        } catch (RuntimeException e) {
            brokers.discard(connector);
            throw e;
        }
        brokers.attach(accountId, connector);
        String licenseToken = broker == BrokerKind.MTX ? stored.get(BrokerLogins.LICENSE_TOKEN).asText() : null;
        return registered(userId, accountId, licenseToken);
    }

    private Registration registered(long userId, long accountId, String licenseToken) {
        userLimits.find(userId).ifPresent(limits -> setRiskLimits(accountId, limits));
        return new Registration(accountId, issueKey(accountId), licenseToken);
    }

    private byte[] seal(ObjectNode credentials, long userId) {
        try {
            return cipher.encrypt(JSON.writeValueAsBytes(credentials), userId);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("credentials are not serialisable", e);
        }
    }

    /**
     * Logs every live broker account with stored credentials in again and routes it through them:
     * what a restart needs, since connectors hold their sessions in memory. Runs on the connectors'
     * threads; the future completes once every login has succeeded or failed. A failure is logged
     * (the broker's reason, never the credentials) and leaves the account not connected: its
     * alerts are refused with BROKER_ERROR and the dashboard shows {@code connected: false}.
     */
    public CompletableFuture<Void> reconnectStoredBrokerAccounts() {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (AccountRow account : accounts.listLiveWithCredentials()) {
            if (account.broker() != BrokerKind.PAPER) {
                pending.add(reconnect(account));
            }
        }
        return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]));
    }

    private CompletableFuture<Void> reconnect(AccountRow account) {
        BrokerCredentials credentials;
        try {
            credentials = logins.of(account.broker(), credentials(account.id()).orElseThrow());
        } catch (RuntimeException e) {
            // The message names the account and the failure kind only: a cipher or parse error carries no secret.
            LOG.warn("broker account {} ({}) not reconnected: its stored credentials are unreadable ({})",
                    account.id(), account.broker().wireName(), e.getClass().getSimpleName());
            return CompletableFuture.completedFuture(null);
        }
        // A broker that is down at start is retried with back-off until it answers (see BrokerConnectors).
        return brokers.connectWithRetry(account.id(), account.broker(), credentials);
    }

    /** The account's broker login state (connected, retrying, refused), or empty for paper and never-logged-in accounts. */
    public Optional<BrokerConnectors.LoginState> loginState(AccountRow account) {
        return account.broker() == BrokerKind.PAPER ? Optional.empty() : Optional.ofNullable(brokers.loginState(account.id()));
    }

    /** Whether the account can reach its broker now; a paper account always can (it lives in the router). */
    public boolean isConnected(AccountRow account) {
        return account.broker() == BrokerKind.PAPER || brokers.isConnected(account.id());
    }

    /** Balance and open positions as the broker reports them. */
    public record BrokerSync(AccountSnapshot account, List<BrokerPosition> positions) {
    }

    /**
     * Reads the account's balance and open positions from its broker, waiting a bounded time:
     * empty when the account is not connected (no credentials, a failed login, or its circuit
     * open); a {@link BrokerException} when the broker fails or does not answer in time.
     */
    public Optional<BrokerSync> syncFromBroker(long accountId) {
        BrokerConnector connector = brokers.connector(accountId);
        if (connector == null || !brokers.isConnected(accountId)) {
            return Optional.empty();
        }
        BrokerSync synced = awaitBroker(connector.accountState().thenCombine(connector.positions(), BrokerSync::new),
                "the broker did not answer the sync");
        lastSnapshots.put(accountId, synced.account());
        return Optional.of(synced);
    }

    /**
     * The account's balance and equity as its broker last reported them, asking the broker now
     * (bounded) when it never did; empty when the account is not connected or the broker fails.
     * For the account views, which must not fail because a broker does.
     */
    public Optional<AccountSnapshot> brokerBalance(long accountId, boolean askIfUnknown) {
        AccountSnapshot known = lastSnapshots.get(accountId);
        if (known != null || !askIfUnknown) {
            return Optional.ofNullable(known);
        }
        BrokerConnector connector = brokers.connector(accountId);
        if (connector == null || !brokers.isConnected(accountId)) {
            return Optional.empty();
        }
        try {
            AccountSnapshot snapshot = awaitBroker(connector.accountState(), "the broker did not answer");
            lastSnapshots.put(accountId, snapshot);
            return Optional.of(snapshot);
        } catch (BrokerException e) {
            LOG.info("balance of broker account {} not read: {}", accountId, e.getMessage());
            return Optional.empty();
        }
    }

    private long createAccount(long userId, BrokerKind broker, String label, byte[] sealedCredentials) {
        UserRow user = users.findById(userId).orElseThrow(() -> new NoSuchElementException("no user " + userId));
        long accountId = accounts.create(userId, broker, label, true, sealedCredentials);
        await(control.accountAdded(accountId, userId, broker, true, user.createdAt().toEpochMilli(),
                user.plan() == Plan.TRIAL, user.tradesCount()));
        return accountId;
    }

    /** The account's stored credentials, decrypted (for a connector); empty for none. */
    public Optional<ObjectNode> credentials(long accountId) {
        AccountRow account = account(accountId);
        return accounts.encryptedCredentials(accountId).map(sealed -> {
            try {
                return (ObjectNode) JSON.readTree(cipher.decrypt(sealed, account.userId()));
            } catch (IOException e) {
                throw new IllegalStateException("stored credentials of account " + accountId + " are unreadable", e);
            }
        });
    }

    /**
     * Creates an account on a real broker from code: logs in with the credentials first (refused
     * credentials create nothing and throw with the broker's reason), then creates the account and
     * routes its orders through them. These credentials are held in memory only (they are not the
     * dashboard's stored fields), so after a restart the account must be connected again with
     * {@link #connectBrokerAccount}; accounts registered through the dashboard ({@link #register})
     * are reconnected on start instead.
     */
    public long createBrokerAccount(long userId, BrokerKind broker, String label, BrokerCredentials credentials) {
        if (broker == BrokerKind.PAPER) {
            throw new IllegalArgumentException("paper accounts need no credentials");
        }
        BrokerConnector connector = awaitConnected(brokers.connect(broker, credentials));
        long accountId = createAccount(userId, broker, label);
        brokers.attach(accountId, connector);
        return accountId;
    }

    /**
     * Logs in with the credentials and routes an existing real-broker account's orders through
     * them (after a restart, or when the user changes them). Refused credentials change nothing.
     */
    public void connectBrokerAccount(long accountId, BrokerCredentials credentials) {
        AccountRow account = account(accountId);
        if (account.broker() == BrokerKind.PAPER) {
            throw new IllegalArgumentException("paper accounts need no credentials");
        }
        brokers.attach(accountId, awaitConnected(brokers.connect(account.broker(), credentials)));
    }

    /** Issues a new API key for the account and returns it: the only time it exists in clear. */
    public String issueKey(long accountId) {
        AccountRow account = account(accountId);
        String key = ApiKeys.generate();
        byte[] hash = KeyHasher.sha256(key);
        keys.add(accountId, hash, ApiKeys.displayPrefix(key));
        await(control.keyAdded(accountId, account.userId(), hash));
        return key;
    }

    /** Revokes a key: the very next alert carrying it is refused. */
    public void revokeKey(long accountId, String key) {
        revokeHash(account(accountId), KeyHasher.sha256(key));
    }

    /** Revokes every active key of the account and issues a new one; the old keys fail on the next alert. */
    public String regenerateKey(long accountId) {
        AccountRow account = account(accountId);
        for (ApiKeyRow old : keys.activeByAccount(accountId)) {
            revokeHash(account, old.keyHash());
        }
        return issueKey(accountId);
    }

    private void revokeHash(AccountRow account, byte[] hash) {
        await(control.keyRevoked(account.id(), account.userId(), hash));
        keys.revoke(hash, Instant.now());
    }

    public void setEnabled(long accountId, boolean enabled) {
        AccountRow account = account(accountId);
        awaitProjected(await(control.accountEnabled(accountId, account.userId(), enabled)));
    }

    public void setRiskLimits(long accountId, RiskLimits limits) {
        AccountRow account = account(accountId);
        awaitProjected(await(control.riskLimits(accountId, account.userId(), limits)));
    }

    /** The limits the router applies to the account: its own, else the configured defaults. */
    public RiskLimits riskLimits(long accountId) {
        return accountLimits.findByAccount(accountId).orElse(defaultLimits);
    }

    /**
     * Replaces the addresses the account's alerts may come from (empty = any); the very next alert
     * from another address is refused with SOURCE_NOT_ALLOWED.
     */
    public void setAllowedSources(long accountId, List<CidrBlock> blocks) {
        AccountRow account = account(accountId);
        awaitProjected(await(control.allowedSources(accountId, account.userId(), blocks)));
    }

    /** The account's allowed sources as the database shows them; empty when any address is accepted. */
    public List<CidrBlock> allowedSources(long accountId) {
        return allowedSources.findByAccount(accountId);
    }

    /**
     * Replaces how the account's alerts are read (pyramiding, windows, symbol map and suffix); the
     * very next alert is read under them.
     */
    public void setAlertSettings(long accountId, AlertSettings settings) {
        AccountRow account = account(accountId);
        awaitProjected(await(control.alertSettings(accountId, account.userId(), settings)));
    }

    /** The settings the router reads the account's alerts under: its own, else the configured defaults. */
    public AlertSettings alertSettings(long accountId) {
        return accountAlertSettings.findByAccount(accountId).orElse(defaultAlertSettings);
    }

    /** The user's risk config: what was last set for all their accounts, else the configured defaults. */
    public RiskLimits userRiskLimits(long userId) {
        return userLimits.find(userId).orElse(defaultLimits);
    }

    /** Stores the user's risk config and applies it to every account of the user. */
    public void setUserRiskLimits(long userId, RiskLimits limits) {
        userLimits.put(userId, limits, Instant.now());
        for (AccountRow account : accounts.listByUser(userId)) {
            setRiskLimits(account.id(), limits);
        }
    }

    public void setEmergencyStop(long userId, boolean on) {
        awaitProjected(await(control.emergencyStop(userId, on)));
    }

    /**
     * Turns the user's emergency stop on, then closes every open position of every account of the
     * user. Once the stop is applied no alert can open a position, so the positions the database
     * shows after catching up with the stop are all that is left to close.
     */
    public List<PositionClose> emergencyStop(long userId) {
        awaitProjected(await(control.emergencyStop(userId, true)));
        List<PositionRow> open = positions.listOpenByUser(userId);
        List<PositionClose> closed = closeAll(open, id -> true);
        closeUnknownBrokerPositions(userId, open);
        return closed;
    }

    /**
     * The emergency stop also closes what the user's broker accounts hold that the router did not
     * open (a position opened by hand, or drift): directly at the broker, waiting a bounded time;
     * a failure is logged with the broker's reason.
     */
    private void closeUnknownBrokerPositions(long userId, List<PositionRow> routerPositions) {
        for (AccountRow account : accounts.listByUser(userId)) {
            if (account.broker() == BrokerKind.PAPER || brokers.connector(account.id()) == null) {
                continue;
            }
            java.util.Set<String> known = new java.util.HashSet<>();
            for (PositionRow p : routerPositions) {
                if (p.accountId() == account.id()) {
                    known.add(p.symbol());
                }
            }
            try {
                List<String> closed = awaitBroker(brokers.closeUnknownPositions(account.id(), known),
                        "the broker did not answer the emergency stop's close");
                if (!closed.isEmpty()) {
                    LOG.warn("emergency stop of user {}: closed {} at the broker of account {} (not opened by the router)",
                            userId, closed, account.id());
                }
            } catch (BrokerException e) {
                LOG.error("emergency stop of user {}: positions of account {} the router did not open may still be open: {}",
                        userId, account.id(), e.getMessage());
            }
        }
    }

    /** The client tags of the account's broker orders whose outcome is still unknown (sorted). */
    public List<String> ordersWithUnknownOutcome(AccountRow account) {
        if (account.broker() == BrokerKind.PAPER) {
            return List.of();
        }
        return brokers.ordersWithUnknownOutcome(account.id()).stream().sorted().toList();
    }

    /** The account's current differences with its broker (reconciliation), empty for paper accounts. */
    public List<io.tradeflow.broker.gateway.Reconciler.Drift> drifts(AccountRow account) {
        if (account.broker() == BrokerKind.PAPER || brokers.reconciler() == null) {
            return List.of();
        }
        return brokers.reconciler().currentDrifts(account.id());
    }

    /** Closes one position of the account at the router's last price. */
    public PositionClose closePosition(long accountId, String symbol) {
        AccountRow account = account(accountId);
        PositionClose closed = await(control.closePosition(accountId, account.userId(), symbol));
        awaitProjected(closed.journalIndex());
        return closed;
    }

    /** Whether the account was deleted, or why not. */
    public enum Deletion {
        DELETED,
        /** The account has open positions and {@code force} was not given; nothing changed. */
        OPEN_POSITIONS
    }

    /**
     * Deletes the account: it is switched off first (so no alert can open anything), then refused
     * if positions are open unless {@code force}, which closes them; then its keys are revoked and
     * it disappears from the dashboard (its orders and log stay for the record).
     */
    public Deletion delete(long accountId, boolean force) {
        AccountRow account = account(accountId);
        awaitProjected(await(control.accountEnabled(accountId, account.userId(), false)));
        List<PositionRow> open = positions.listOpenByAccount(accountId);
        if (!open.isEmpty() && !force) {
            if (account.enabled()) {
                awaitProjected(await(control.accountEnabled(accountId, account.userId(), true)));
            }
            return Deletion.OPEN_POSITIONS;
        }
        closeAll(open, id -> id == accountId);
        for (ApiKeyRow key : keys.activeByAccount(accountId)) {
            revokeHash(account, key.keyHash());
        }
        accounts.markDeleted(accountId, Instant.now());
        // Its connector stops: no session kept alive, no retry, no reconciliation for a deleted account.
        brokers.detach(accountId);
        return Deletion.DELETED;
    }

    private List<PositionClose> closeAll(List<PositionRow> open, LongPredicate accountFilter) {
        List<PositionClose> closed = new ArrayList<>();
        long lastIndex = 0;
        for (PositionRow p : open) {
            if (accountFilter.test(p.accountId())) {
                AccountRow account = account(p.accountId());
                PositionClose close = await(control.closePosition(p.accountId(), account.userId(), p.symbol()));
                closed.add(close);
                lastIndex = Math.max(lastIndex, close.journalIndex());
            }
        }
        awaitProjected(lastIndex);
        return closed;
    }

    private AccountRow account(long accountId) {
        return accounts.findById(accountId).orElseThrow(() -> new NoSuchElementException("no account " + accountId));
    }

    private void awaitProjected(long journalIndex) {
        if (journalIndex > 0 && !projection.awaitApplied(journalIndex, PROJECTION_PATIENCE)) {
            LOG.warn("the database projection has not reached journal index {} yet; dashboard views lag", journalIndex);
        }
    }

    private BrokerConnector awaitLogin(CompletableFuture<BrokerConnector> connected) {
        try {
            return awaitBroker(connected, "the broker did not answer the login");
        } catch (BrokerException e) {
            if (e.kind() == BrokerException.Kind.TIMEOUT) {
                // A login that succeeds after the answer went out must not leave a session open.
                connected.thenAccept(brokers::discard);
            }
            throw e;
        }
    }

    /** Waits for a broker call; every failure, a timeout included, arrives as a BrokerException. */
    private static <T> T awaitBroker(CompletableFuture<T> call, String timeoutMessage) {
        try {
            return call.get(BROKER_PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw BrokerException.of(e);
        } catch (TimeoutException e) {
            throw new BrokerException(BrokerException.Kind.TIMEOUT,
                    timeoutMessage + " within " + BROKER_PATIENCE_SECONDS + " s", e);
        }
    }

    private static BrokerConnector awaitConnected(CompletableFuture<BrokerConnector> connected) {
        try {
            return connected.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while logging in to the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("broker refused the credentials: " + BrokerException.of(e).getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer the login in time", e);
        }
    }

    private static <T> T await(CompletableFuture<T> applied) {
        try {
            return applied.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the router", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw new IllegalStateException("the router did not apply the change", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the router did not apply the change in time", e);
        }
    }
}
