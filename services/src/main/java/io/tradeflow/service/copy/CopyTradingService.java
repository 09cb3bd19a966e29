package io.tradeflow.service.copy;

import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.event.CopyLink;
import io.tradeflow.core.ring.ControlPublisher;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.CopyDao;
import io.tradeflow.persistence.dao.CopyDao.MasterRow;
import io.tradeflow.persistence.dao.CopyDao.SubscriptionRow;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copy trading's control plane: masters, follower subscriptions with license tokens, pause,
 * resume and cancel, and the EA's protection events. Rows are written first; every change the
 * router must see then travels through the ring as a COPY_* control event, and a method returns
 * once the ring applied it (so the master's next alert is copied under it). Ownership of ids is
 * the caller's (the routes) to check; this class checks the rules between them.
 */
public final class CopyTradingService {
    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";
    public static final String CANCELLED = "cancelled";
    private static final String TOKEN_PREFIX = "tf_lic_";
    private static final int TOKEN_BYTES = 32;
    private static final long APPLY_TIMEOUT_SECONDS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A rule between ids was broken: a 409 naming the field. */
    public static final class CopyConflict extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final String field;

        CopyConflict(String code, String field, String message) {
            super(message);
            this.code = code;
            this.field = field;
        }

        public String code() {
            return code;
        }

        public String field() {
            return field;
        }
    }

    /** A new subscription: the license token is shown here once and stored only as its hash. */
    public record Created(SubscriptionRow subscription, String licenseToken) {
    }

    private final CopyDao dao;
    private final ControlPublisher control;

    public CopyTradingService(Database database, ControlPublisher control) {
        this.dao = new CopyDao(database.jdbi());
        this.control = control;
    }

    /** Publishes the caller's account as a master; its accepted alerts are copied from the next one on. */
    public MasterRow publishMaster(long userId, long accountId, String name) {
        if (dao.findMasterByAccount(accountId).isPresent()) {
            throw new CopyConflict("ALREADY_MASTER", "account_id", "this account is already published as a master");
        }
        if (dao.isFollowerAccount(accountId)) {
            throw new CopyConflict("ACCOUNT_FOLLOWS", "account_id",
                    "this account follows a master; an account cannot both copy and be copied");
        }
        MasterRow master = dao.insertMaster(userId, accountId, name);
        await(control.copyMaster(accountId, userId, true));
        return master;
    }

    public List<MasterRow> masters(long userId) {
        return dao.listMasters(userId);
    }

    public Optional<MasterRow> master(long masterId) {
        return dao.findMaster(masterId);
    }

    /** The subscriptions (not cancelled) following the master: for its owner's aggregate view. */
    public List<SubscriptionRow> followers(long masterId) {
        return dao.listFollowers(masterId);
    }

    /**
     * Subscribes the caller's accounts to a published master. Each account may follow a master
     * once, never the master's own account or another master's account.
     */
    public Created subscribe(long userId, MasterRow master, List<Long> accountIds, String sizing, double sizeValue,
                             List<String> symbolMap, Instant expiresAt) {
        for (long accountId : accountIds) {
            if (accountId == master.accountId() || dao.findMasterByAccount(accountId).isPresent()) {
                throw new CopyConflict("ACCOUNT_IS_MASTER", "account_ids",
                        "account " + accountId + " is a master account; a master account cannot follow");
            }
            if (dao.isLinked(master.id(), accountId)) {
                throw new CopyConflict("ALREADY_FOLLOWING", "account_ids",
                        "account " + accountId + " already follows this master");
            }
        }
        String token = newToken();
        long id = dao.insertSubscription(master.id(), userId, sizing, sizeValue, symbolMap, KeyHasher.sha256(token),
                expiresAt, accountIds);
        SubscriptionRow row = dao.findSubscription(id).orElseThrow();
        apply(row, true);
        return new Created(row, token);
    }

    public List<SubscriptionRow> subscriptions(long userId) {
        return dao.listSubscriptions(userId);
    }

    public Optional<SubscriptionRow> subscription(long id) {
        return dao.findSubscription(id);
    }

    /** Pauses (copies refused and recorded) or resumes the subscription's copies. */
    public SubscriptionRow setPaused(SubscriptionRow s, boolean paused) {
        if (CANCELLED.equals(s.status())) {
            throw new CopyConflict("SUBSCRIPTION_CANCELLED", "id", "the subscription is cancelled");
        }
        dao.setStatus(s.id(), paused ? PAUSED : ACTIVE);
        SubscriptionRow row = dao.findSubscription(s.id()).orElseThrow();
        apply(row, true);
        return row;
    }

    /** Cancels the subscription: its accounts stop receiving copies; the token stops authenticating. */
    public SubscriptionRow cancel(SubscriptionRow s) {
        if (!CANCELLED.equals(s.status())) {
            dao.setStatus(s.id(), CANCELLED);
            apply(s, false);
        }
        return dao.findSubscription(s.id()).orElseThrow();
    }

    /** A new license token for the subscription (shown once); the old one stops working at once. */
    public String regenerateToken(SubscriptionRow s) {
        if (CANCELLED.equals(s.status())) {
            throw new CopyConflict("SUBSCRIPTION_CANCELLED", "id", "the subscription is cancelled");
        }
        String token = newToken();
        dao.setTokenHash(s.id(), KeyHasher.sha256(token));
        return token;
    }

    private static String newToken() {
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    }

    /** The subscription a license token belongs to, if it is not cancelled and not expired. */
    public Optional<SubscriptionRow> byLicenseToken(String token, Instant now) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        return dao.findSubscriptionByToken(KeyHasher.sha256(token))
                .filter(s -> !CANCELLED.equals(s.status()))
                .filter(s -> s.expiresAt() == null || s.expiresAt().isAfter(now));
    }

    public CopyDao dao() {
        return dao;
    }

    private void apply(SubscriptionRow row, boolean link) {
        List<CompletableFuture<Long>> applied = new ArrayList<>();
        for (long accountId : row.accountIds()) {
            CopyLink l = row.link(accountId);
            applied.add(link ? control.copyLink(l) : control.copyUnlink(l));
        }
        applied.forEach(CopyTradingService::await);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static long await(CompletableFuture<Long> applied) {
        try {
            return applied.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the router applied a copy-trading change", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the router did not apply a copy-trading change", e);
        }
    }
}
