package io.tradeflow.http.ws;

import io.tradeflow.http.api.DashboardApi;
import io.tradeflow.persistence.dao.AccountDao;
import io.tradeflow.service.security.TokenService;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks a live client's access token and, for an account's stream, that the account is live and
 * the caller's (or the caller an admin), as the REST routes do. The account is read from
 * PostgreSQL, so the check runs on a small executor of its own, never on the event loop.
 */
public final class LiveAuth implements AutoCloseable {
    /** A signed-in session: the user, and when their access token was issued. */
    record Session(long userId, Instant issuedAt) {
    }

    /** The outcome: a user id, or a close code and its reason. */
    record Grant(long userId, Instant issuedAt, int closeCode, String reason) {
        static Grant refuse(int code, String reason) {
            return new Grant(0, null, code, reason);
        }

        boolean granted() {
            return closeCode == 0;
        }
    }

    private final TokenService tokens;
    private final DashboardApi.SessionCheck sessions;
    private final AccountDao accounts;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> {
                Thread t = new Thread(r, "tradeflow-live-auth");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.AbortPolicy());

    public LiveAuth(TokenService tokens, DashboardApi.SessionCheck sessions, AccountDao accounts) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.accounts = accounts;
    }

    /** {@code accountId} 0: the user's stream of all their accounts. */
    CompletableFuture<Grant> check(String token, long accountId) {
        try {
            return CompletableFuture.supplyAsync(() -> decide(token, accountId), executor);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(Grant.refuse(CloseCodes.TRY_AGAIN_LATER, "busy; connect again later"));
        }
    }

    private Grant decide(String token, long accountId) {
        Optional<TokenService.AccessClaims> claims = tokens.verify(token);
        if (claims.isEmpty()) {
            return Grant.refuse(CloseCodes.UNAUTHORIZED, "the access token is invalid or expired");
        }
        long userId = claims.get().userId();
        Instant issuedAt = TokenService.issuedAt(token).orElse(Instant.EPOCH);
        if (!sessions.stillValid(userId, issuedAt)) {
            return Grant.refuse(CloseCodes.UNAUTHORIZED, "this session ended when the password was changed; sign in again");
        }
        if (accountId > 0) {
            boolean admin = claims.get().admin();
            boolean visible = accounts.findLive(accountId).filter(a -> admin || a.userId() == userId).isPresent();
            if (!visible) {
                return Grant.refuse(CloseCodes.NOT_FOUND, "account not found");
            }
        }
        return new Grant(userId, issuedAt, 0, null);
    }

    /**
     * The sessions among {@code sessions} that have ended since their client connected (a password change, a
     * suspension); checked on this executor (PostgreSQL). Empty when the executor is busy: checked next time.
     */
    CompletableFuture<Set<Session>> ended(Set<Session> open) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                Set<Session> ended = new HashSet<>();
                for (Session s : open) {
                    if (!sessions.stillValid(s.userId(), s.issuedAt())) {
                        ended.add(s);
                    }
                }
                return ended;
            }, executor);
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(Set.of());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
