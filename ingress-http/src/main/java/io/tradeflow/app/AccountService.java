package io.tradeflow.app;

import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerCredentials;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.gateway.BrokerConnectors;
import io.tradeflow.config.RiskLimits;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.ring.ControlPublisher;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.persistence.dao.AccountRow;
import io.tradeflow.persistence.dao.ApiKeyDao;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;

import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Users, broker accounts and API keys, as the launcher (and later the dashboard) changes them.
 * Rows that need ids are inserted first; every change that routing must see then travels through
 * the ring as a control event, and a method returns only once the ring has applied it, so the
 * next alert already sees the change.
 */
public final class AccountService {
    private static final long APPLY_TIMEOUT_SECONDS = 10;

    private final UserDao users;
    private final AccountDao accounts;
    private final ApiKeyDao keys;
    private final ControlPublisher control;
    private final BrokerConnectors brokers;

    public AccountService(Database database, ControlPublisher control, BrokerConnectors brokers) {
        this.users = new UserDao(database.jdbi());
        this.accounts = new AccountDao(database.jdbi());
        this.keys = new ApiKeyDao(database.jdbi());
        this.control = control;
        this.brokers = brokers;
    }

    public boolean userExists(String email) {
        return users.findByEmail(email).isPresent();
    }

    /** Creates a user; {@code signupAt} starts the trial clock. Fails if the email is taken. */
    public long createUser(String email, boolean trial, Instant signupAt) {
        return users.create(email, null, trial ? Plan.TRIAL : Plan.PRO, signupAt)
                .orElseThrow(() -> new IllegalArgumentException("email already registered"));
    }

    /** Creates an enabled broker account and makes it known to the ring. */
    public long createAccount(long userId, BrokerKind broker, String label) {
        UserRow user = users.findById(userId).orElseThrow(() -> new NoSuchElementException("no user " + userId));
        long accountId = accounts.create(userId, broker, label, true);
        await(control.accountAdded(accountId, userId, broker, true, user.createdAt().toEpochMilli(),
                user.plan() == Plan.TRIAL, user.tradesCount()));
        return accountId;
    }

    /**
     * Creates an account on a real broker: logs in with the credentials first (refused credentials
     * create nothing and throw with the broker's reason), then creates the account and routes its
     * orders through them. The credentials live in memory only for now: storing them encrypted
     * is the dashboard's job, so after a restart the account must be registered again.
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
        AccountRow account = account(accountId);
        await(control.keyRevoked(accountId, account.userId(), KeyHasher.sha256(key)));
    }

    public void setEnabled(long accountId, boolean enabled) {
        AccountRow account = account(accountId);
        await(control.accountEnabled(accountId, account.userId(), enabled));
    }

    public void setRiskLimits(long accountId, RiskLimits limits) {
        AccountRow account = account(accountId);
        await(control.riskLimits(accountId, account.userId(), limits));
    }

    public void setEmergencyStop(long userId, boolean on) {
        await(control.emergencyStop(userId, on));
    }

    private AccountRow account(long accountId) {
        return accounts.findById(accountId).orElseThrow(() -> new NoSuchElementException("no account " + accountId));
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

    private static void await(CompletableFuture<Void> applied) {
        try {
            applied.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the router", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the router did not apply the change", e);
        }
    }
}
