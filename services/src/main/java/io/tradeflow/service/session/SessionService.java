package io.tradeflow.service.session;

import io.tradeflow.service.security.LoginThrottle;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.ProfileDao;
import io.tradeflow.persistence.dao.RefreshTokenDao;
import io.tradeflow.persistence.dao.Role;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Dashboard sessions: signup, login (throttled, with one generic failure), refresh-token rotation
 * and logout. Passwords are kept only as bcrypt hashes, refresh tokens only as SHA-256.
 */
public final class SessionService {
    private final UserDao users;
    private final RefreshTokenDao refreshTokens;
    private final ProfileDao profiles;
    private final io.tradeflow.persistence.dao.BillingDao billing;
    private final PasswordHasher passwords;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private AccountSecurityService security;

    public SessionService(Database database, PasswordHasher passwords, TokenService tokens, LoginThrottle throttle) {
        this.users = new UserDao(database.jdbi());
        this.refreshTokens = new RefreshTokenDao(database.jdbi());
        this.profiles = new ProfileDao(database.jdbi());
        this.billing = new io.tradeflow.persistence.dao.BillingDao(database.jdbi());
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /**
     * Makes logins two-step for users with a second factor and records {@code last_login}; without it
     * (tests building sessions alone) every login is one step.
     */
    public SessionService withSecurity(AccountSecurityService accountSecurity) {
        this.security = accountSecurity;
        return this;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** What signup, login and refresh hand out. */
    public record Session(UserRow user, String accessToken, String refreshToken) {
    }

    /** Why a login did not produce a session. */
    public enum LoginRefusal {
        /** Unknown email or wrong password: the answer does not say which. */
        INVALID_CREDENTIALS,
        /** Too many failures for this email or from this address. */
        THROTTLED,
        /** Right password, but an admin suspended the user. */
        SUSPENDED
    }

    /**
     * A login's outcome: a session, a refusal, or (password right, second factor on) the challenge to
     * answer with {@link #completeLogin}.
     */
    public record LoginResult(Session session, LoginRefusal refusal, AccountSecurityService.Challenge challenge) {
        public LoginResult(Session session, LoginRefusal refusal) {
            this(session, refusal, null);
        }
    }

    /** Creates a trial user with the password and signs them in; empty when the email is taken. */
    public Optional<Session> signUp(String email, String password) {
        return signUp(email, password, null, null);
    }

    /**
     * Creates a trial user with the password, the name (may be null) and the plan they chose (null
     * for none: everyone starts on the trial, the chosen plan is what checkout offers), and signs
     * them in; empty when the email is taken.
     */
    public Optional<Session> signUp(String email, String password, String name, String chosenPlan) {
        OptionalLong id = users.create(email, passwords.hash(password), Plan.TRIAL, tokens.now());
        if (id.isEmpty()) {
            return Optional.empty();
        }
        if (name != null || chosenPlan != null) {
            profiles.setSignupDetails(id.getAsLong(), name, chosenPlan);
        }
        return Optional.of(open(users.findById(id.getAsLong()).orElseThrow()));
    }

    /** Name, chosen plan and emergency-stop start of the user. */
    public Optional<ProfileDao.Profile> profile(long userId) {
        return profiles.find(userId);
    }

    public void rename(long userId, String name) {
        profiles.setName(userId, name);
    }

    /**
     * Changes the password when {@code oldPassword} is the current one: every refresh token of the
     * user is deleted and access tokens issued before now are refused (every other session ends at
     * once), and a new session is returned for the caller. Refused when the
     * old password is wrong (or the attempts are throttled); failures count toward the login throttle of the user's email.
     */
    public LoginResult changePassword(long userId, String oldPassword, String newPassword, String clientAddress) {
        return changePassword(userId, oldPassword, newPassword, clientAddress, false);
    }

    /** As above; {@code twoFactor}: the caller's session passed a second factor, and so does the new one. */
    public LoginResult changePassword(long userId, String oldPassword, String newPassword, String clientAddress,
                                      boolean twoFactor) {
        UserRow user = users.findById(userId).orElseThrow();
        if (!throttle.allowed(user.email(), clientAddress)) {
            return new LoginResult(null, LoginRefusal.THROTTLED);
        }
        if (!passwords.matches(oldPassword, user.passwordHash())) {
            throttle.failed(user.email(), clientAddress);
            return new LoginResult(null, LoginRefusal.INVALID_CREDENTIALS);
        }
        // Whole seconds: tokens carry their issue time in seconds, and the caller's new one is issued now.
        profiles.changePassword(userId, passwords.hash(newPassword), tokens.now().truncatedTo(ChronoUnit.SECONDS));
        return new LoginResult(open(user, twoFactor), null);
    }

    public LoginResult logIn(String email, String password, String clientAddress) {
        if (!throttle.allowed(email, clientAddress)) {
            return new LoginResult(null, LoginRefusal.THROTTLED);
        }
        Optional<UserRow> user = users.findByEmail(email);
        boolean matches = passwords.matches(password, user.map(UserRow::passwordHash).orElse(null));
        if (!matches) {
            throttle.failed(email, clientAddress);
            return new LoginResult(null, LoginRefusal.INVALID_CREDENTIALS);
        }
        throttle.succeeded(email);
        if (billing.suspended(user.get().id())) {
            return new LoginResult(null, LoginRefusal.SUSPENDED);
        }
        if (security != null && security.twoFactorEnabled(user.get().id())) {
            return new LoginResult(null, null, security.startChallenge(user.get()));
        }
        if (security != null) {
            security.recordLogin(user.get().id());
        }
        return new LoginResult(open(user.get()), null);
    }

    /** The session of a user who answered the second step of a login (its session counts as two-factor). */
    public Session completeLogin(long userId) {
        if (security != null) {
            security.recordLogin(userId);
        }
        return open(users.findById(userId).orElseThrow(), true);
    }

    /** Exchanges a refresh token for a new session; the token cannot be used again. */
    public Optional<Session> refresh(String refreshToken) {
        String next = tokens.newRefreshToken();
        RefreshTokenDao.Rotation rotation = refreshTokens.rotate(TokenService.hashRefreshToken(refreshToken),
                TokenService.hashRefreshToken(next), tokens.now(), tokens.now().plus(tokens.refreshTtl()));
        if (rotation.status() != RefreshTokenDao.Status.ROTATED) {
            return Optional.empty();
        }
        UserRow user = users.findById(rotation.userId()).orElseThrow();
        if (billing.suspended(user.id())) {
            return Optional.empty();
        }
        return Optional.of(new Session(user, tokens.accessToken(user.id(), user.role() == Role.ADMIN, rotation.twoFactor()), next));
    }

    /** Ends the session of the refresh token; false when it was unknown or already ended. */
    public boolean logOut(String refreshToken) {
        return refreshTokens.revoke(TokenService.hashRefreshToken(refreshToken), tokens.now());
    }

    /**
     * Whether an access token of the user issued at {@code issuedAt} is still good: a password
     * change ends every session whose token was issued before it.
     */
    public boolean sessionStillValid(long userId, Instant issuedAt) {
        // A suspended user's sessions end at once (suspension also deletes their refresh tokens).
        return !billing.suspended(userId)
                && profiles.sessionsValidAfter(userId).map(after -> !issuedAt.isBefore(after)).orElse(true);
    }

    public Optional<UserRow> user(long userId) {
        return users.findById(userId);
    }

    private Session open(UserRow user) {
        return open(user, false);
    }

    private Session open(UserRow user, boolean twoFactor) {
        String refresh = tokens.newRefreshToken();
        refreshTokens.add(user.id(), TokenService.hashRefreshToken(refresh), tokens.now().plus(tokens.refreshTtl()), twoFactor);
        return new Session(user, tokens.accessToken(user.id(), user.role() == Role.ADMIN, twoFactor), refresh);
    }
}
