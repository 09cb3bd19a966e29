package io.tradeflow.persistence.dao;

import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Account security state: email verification, last login, single-use tokens (password reset, email
 * verification, login challenges; SHA-256 only), the second factor of a user and recovery codes
 * (SHA-256 only). Consuming a token or a code checks and marks it in one statement, so each works once.
 */
public final class AccountSecurityDao {
    private final Jdbi jdbi;

    public AccountSecurityDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What a single-use token is for. */
    public enum Purpose {
        PASSWORD_RESET("password_reset"),
        EMAIL_VERIFICATION("email_verification"),
        LOGIN_CHALLENGE("login_challenge");

        private final String db;

        Purpose(String db) {
            this.db = db;
        }

        public String dbName() {
            return db;
        }
    }

    /** A pending login challenge. {@code codeHash} is the emailed code's hash, null for an authenticator. */
    public record Challenge(long id, long userId, byte[] codeHash, int attempts, Instant expiresAt) {
    }

    /** The second factor of a user; {@code totpSecret} is encrypted and counts only when {@code totpConfirmed}. */
    public record TwoFactor(byte[] totpSecret, boolean totpConfirmed, long totpLastStep, boolean emailOtp) {
        public boolean enabled() {
            return totpConfirmed || emailOtp;
        }
    }

    /** Email verification and last login of a user. */
    public record Status(boolean emailVerified, Instant lastLogin) {
    }

    public Optional<Status> status(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select email_verified, last_login from users where id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new Status(rs.getBoolean("email_verified"), SqlTime.instant(rs, "last_login")))
                .findOne());
    }

    public void recordLogin(long userId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("update users set last_login = :at where id = :id")
                .bind("at", SqlTime.utc(at)).bind("id", userId).execute());
    }

    public void setEmailVerified(long userId) {
        jdbi.useHandle(h -> h.createUpdate("update users set email_verified = true where id = :id")
                .bind("id", userId).execute());
    }

    public void addToken(long userId, Purpose purpose, byte[] tokenHash, byte[] codeHash, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("insert into auth_tokens (user_id, purpose, token_hash, code_hash, expires_at)"
                        + " values (:user, :purpose, :hash, :code, :expires)")
                .bind("user", userId)
                .bind("purpose", purpose.dbName())
                .bind("hash", tokenHash)
                .bind("code", codeHash)
                .bind("expires", SqlTime.utc(expiresAt))
                .execute());
    }

    /** Marks a valid (unused, unexpired) token of the purpose used and returns its user; empty for anything else. */
    public OptionalLong consumeToken(Purpose purpose, byte[] tokenHash, Instant now) {
        Optional<Long> user = jdbi.withHandle(h -> h.createQuery("update auth_tokens set used_at = :now"
                        + " where token_hash = :hash and purpose = :purpose and used_at is null and expires_at > :now"
                        + " returning user_id")
                .bind("now", SqlTime.utc(now))
                .bind("hash", tokenHash)
                .bind("purpose", purpose.dbName())
                .mapTo(Long.class)
                .findOne());
        return user.map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    /** Ends every outstanding token of the user and purpose (after a reset, the other reset links die too). */
    public void expireTokens(long userId, Purpose purpose, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("update auth_tokens set used_at = :now"
                        + " where user_id = :user and purpose = :purpose and used_at is null")
                .bind("now", SqlTime.utc(now)).bind("user", userId).bind("purpose", purpose.dbName()).execute());
    }

    /** A login challenge that is unused and unexpired. */
    public Optional<Challenge> openChallenge(byte[] tokenHash, Instant now) {
        return jdbi.withHandle(h -> h.createQuery("select id, user_id, code_hash, attempts, expires_at from auth_tokens"
                        + " where token_hash = :hash and purpose = 'login_challenge' and used_at is null and expires_at > :now")
                .bind("hash", tokenHash)
                .bind("now", SqlTime.utc(now))
                .map((rs, ctx) -> new Challenge(rs.getLong("id"), rs.getLong("user_id"), rs.getBytes("code_hash"),
                        rs.getInt("attempts"), SqlTime.instant(rs, "expires_at")))
                .findOne());
    }

    /** Counts a wrong answer to a challenge; returns the attempts so far. */
    public int failChallenge(long challengeId) {
        return jdbi.withHandle(h -> h.createQuery("update auth_tokens set attempts = attempts + 1 where id = :id returning attempts")
                .bind("id", challengeId).mapTo(Integer.class).one());
    }

    /** Ends a challenge; false when it was already used (a race lost). */
    public boolean useChallenge(long challengeId, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update auth_tokens set used_at = :now where id = :id and used_at is null")
                .bind("now", SqlTime.utc(now)).bind("id", challengeId).execute()) > 0;
    }

    public void setChallengeCode(long challengeId, byte[] codeHash) {
        jdbi.useHandle(h -> h.createUpdate("update auth_tokens set code_hash = :code, attempts = 0 where id = :id")
                .bind("code", codeHash).bind("id", challengeId).execute());
    }

    public TwoFactor twoFactor(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select totp_secret, totp_confirmed, totp_last_step, email_otp"
                        + " from user_two_factor where user_id = :id")
                .bind("id", userId)
                .map((rs, ctx) -> new TwoFactor(rs.getBytes("totp_secret"), rs.getObject("totp_confirmed") != null,
                        rs.getLong("totp_last_step"), rs.getBoolean("email_otp")))
                .findOne()
                .orElse(new TwoFactor(null, false, 0, false)));
    }

    /** Stores a new, not yet confirmed authenticator secret (replacing an unconfirmed one). */
    public void setPendingTotp(long userId, byte[] encryptedSecret, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("insert into user_two_factor (user_id, totp_secret, updated_at)"
                        + " values (:id, :secret, :now) on conflict (user_id) do update"
                        + " set totp_secret = :secret, totp_confirmed = null, totp_last_step = 0, updated_at = :now")
                .bind("id", userId).bind("secret", encryptedSecret).bind("now", SqlTime.utc(now)).execute());
    }

    public void confirmTotp(long userId, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("update user_two_factor set totp_confirmed = :now, updated_at = :now where user_id = :id")
                .bind("id", userId).bind("now", SqlTime.utc(now)).execute());
    }

    /** Records the TOTP time step just accepted; false when it (or a later one) was already used: a replay. */
    public boolean acceptTotpStep(long userId, long step) {
        return jdbi.withHandle(h -> h.createUpdate("update user_two_factor set totp_last_step = :step"
                        + " where user_id = :id and totp_last_step < :step")
                .bind("id", userId).bind("step", step).execute()) > 0;
    }

    public void setEmailOtp(long userId, boolean on, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("insert into user_two_factor (user_id, email_otp, updated_at)"
                        + " values (:id, :on, :now) on conflict (user_id) do update set email_otp = :on, updated_at = :now")
                .bind("id", userId).bind("on", on).bind("now", SqlTime.utc(now)).execute());
    }

    /** Removes every second factor of the user and their recovery codes. */
    public void disableTwoFactor(long userId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from user_two_factor where user_id = :id").bind("id", userId).execute();
            h.createUpdate("delete from recovery_codes where user_id = :id").bind("id", userId).execute();
        });
    }

    public void replaceRecoveryCodes(long userId, List<byte[]> codeHashes) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from recovery_codes where user_id = :id").bind("id", userId).execute();
            for (byte[] hash : codeHashes) {
                h.createUpdate("insert into recovery_codes (user_id, code_hash) values (:id, :hash)")
                        .bind("id", userId).bind("hash", hash).execute();
            }
        });
    }

    /** Uses a recovery code of the user; false when it is unknown or used. */
    public boolean useRecoveryCode(long userId, byte[] codeHash, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("update recovery_codes set used_at = :now"
                        + " where user_id = :id and code_hash = :hash and used_at is null")
                .bind("now", SqlTime.utc(now)).bind("id", userId).bind("hash", codeHash).execute()) > 0;
    }

    public int recoveryCodesLeft(long userId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from recovery_codes where user_id = :id and used_at is null")
                .bind("id", userId).mapTo(Integer.class).one());
    }
}
