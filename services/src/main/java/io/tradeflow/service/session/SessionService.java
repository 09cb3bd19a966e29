package io.tradeflow.service.session;

import io.tradeflow.service.security.LoginThrottle;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.Plan;
import io.tradeflow.persistence.dao.RefreshTokenDao;
import io.tradeflow.persistence.dao.Role;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Dashboard sessions: signup, login (throttled, with one generic failure), refresh-token rotation
 * and logout. Passwords are kept only as bcrypt hashes, refresh tokens only as SHA-256.
 */
public final class SessionService {
    private final UserDao users;
    private final RefreshTokenDao refreshTokens;
    private final PasswordHasher passwords;
    private final TokenService tokens;
    private final LoginThrottle throttle;

    public SessionService(Database database, PasswordHasher passwords, TokenService tokens, LoginThrottle throttle) {
        this.users = new UserDao(database.jdbi());
        this.refreshTokens = new RefreshTokenDao(database.jdbi());
        this.passwords = passwords;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /** What signup, login and refresh hand out. */
    public record Session(UserRow user, String accessToken, String refreshToken) {
    }

    /** Why a login did not produce a session. */
    public enum LoginRefusal {
        /** Unknown email or wrong password: the answer does not say which. */
        INVALID_CREDENTIALS,
        /** Too many failures for this email or from this address. */
        THROTTLED
    }

    public record LoginResult(Session session, LoginRefusal refusal) {
    }

    /** Creates a trial user with the password and signs them in; empty when the email is taken. */
    public Optional<Session> signUp(String email, String password) {
        OptionalLong id = users.create(email, passwords.hash(password), Plan.TRIAL, tokens.now());
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(open(users.findById(id.getAsLong()).orElseThrow()));
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
        return new LoginResult(open(user.get()), null);
    }

    /** Exchanges a refresh token for a new session; the token cannot be used again. */
    public Optional<Session> refresh(String refreshToken) {
        String next = tokens.newRefreshToken();
        RefreshTokenDao.Rotation rotation = refreshTokens.rotate(TokenService.hashRefreshToken(refreshToken),
                TokenService.hashRefreshToken(next), tokens.now(), tokens.now().plus(TokenService.REFRESH_TTL));
        if (rotation.status() != RefreshTokenDao.Status.ROTATED) {
            return Optional.empty();
        }
        UserRow user = users.findById(rotation.userId()).orElseThrow();
        return Optional.of(new Session(user, tokens.accessToken(user.id(), user.role() == Role.ADMIN), next));
    }

    /** Ends the session of the refresh token; false when it was unknown or already ended. */
    public boolean logOut(String refreshToken) {
        return refreshTokens.revoke(TokenService.hashRefreshToken(refreshToken), tokens.now());
    }

    public Optional<UserRow> user(long userId) {
        return users.findById(userId);
    }

    private Session open(UserRow user) {
        String refresh = tokens.newRefreshToken();
        refreshTokens.add(user.id(), TokenService.hashRefreshToken(refresh), tokens.now().plus(TokenService.REFRESH_TTL));
        return new Session(user, tokens.accessToken(user.id(), user.role() == Role.ADMIN), refresh);
    }
}
