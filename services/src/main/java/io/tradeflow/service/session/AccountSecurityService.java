package io.tradeflow.service.session;

import io.tradeflow.config.AuthConfig;
import io.tradeflow.persistence.Database;
import io.tradeflow.persistence.dao.AccountSecurityDao;
import io.tradeflow.persistence.dao.AccountSecurityDao.Purpose;
import io.tradeflow.persistence.dao.ProfileDao;
import io.tradeflow.persistence.dao.UserDao;
import io.tradeflow.persistence.dao.UserRow;
import io.tradeflow.service.mail.MailSender;
import io.tradeflow.service.security.CredentialCipher;
import io.tradeflow.service.security.PasswordHasher;
import io.tradeflow.service.security.QrSvg;
import io.tradeflow.service.security.TokenService;
import io.tradeflow.service.security.Totp;
import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Account security: email verification, forgot-password by email, the second factor (TOTP from an
 * authenticator app with recovery codes, or a code sent by email) and the challenge of a two-step
 * login. Every secret handed out (links, challenges, codes) is stored as SHA-256 only and works once.
 * Mails go out on a background thread, so a request for an existing account takes as long as one for
 * an unknown address (no account enumeration by timing either).
 */
public final class AccountSecurityService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccountSecurityService.class);
    private static final int RECOVERY_CODES = 10;
    private static final int MAX_CHALLENGE_ATTEMPTS = 5;
    private static final String ISSUER = "TradeFlow";

    private final AccountSecurityDao dao;
    private final UserDao users;
    private final ProfileDao profiles;
    private final PasswordHasher passwords;
    private final CredentialCipher cipher;
    private final MailSender mail;
    private final AuthConfig auth;
    private final Clock clock;
    private final Supplier<String> baseUrl;
    private final SecureRandom random = new SecureRandom();
    private final ThreadPoolExecutor mailer;

    public AccountSecurityService(Database database, PasswordHasher passwords, CredentialCipher cipher, MailSender mail,
                                  AuthConfig auth, Clock clock, Supplier<String> baseUrl) {
        this.dao = new AccountSecurityDao(database.jdbi());
        this.users = new UserDao(database.jdbi());
        this.profiles = new ProfileDao(database.jdbi());
        this.passwords = passwords;
        this.cipher = cipher;
        this.mail = mail;
        this.auth = auth;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.mailer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "tradeflow-mail");
            t.setDaemon(true);
            return t;
        });
    }

    /** A second login step to answer: its token, and how ("totp" or "email"). */
    public record Challenge(String token, String method) {
    }

    /** Why a second-step answer was refused. */
    public enum ChallengeRefusal {
        /** Unknown, used, expired, or too many wrong codes. */
        INVALID_CHALLENGE,
        WRONG_CODE
    }

    public record ChallengeResult(long userId, ChallengeRefusal refusal) {
    }

    /** A new authenticator secret, not yet confirmed. */
    public record TotpSetup(String secret, String otpauthUri, String qrSvg) {
    }

    public record Status(boolean emailVerified, Instant lastLogin, boolean totp, boolean emailOtp, int recoveryCodesLeft) {
    }

    public boolean mailEnabled() {
        return mail.enabled();
    }

    public Status status(long userId) {
        AccountSecurityDao.Status s = dao.status(userId).orElseThrow();
        AccountSecurityDao.TwoFactor f = dao.twoFactor(userId);
        return new Status(s.emailVerified(), s.lastLogin(), f.totpConfirmed(), f.emailOtp(), dao.recoveryCodesLeft(userId));
    }

    public boolean twoFactorEnabled(long userId) {
        return dao.twoFactor(userId).enabled();
    }

    public void recordLogin(long userId) {
        dao.recordLogin(userId, clock.instant());
    }

    // ---- email verification --------------------------------------------------------------------

    /** Mails a verification link to the user (in the background); false when mail is off. */
    public boolean sendVerification(long userId) {
        if (!mail.enabled()) {
            return false;
        }
        UserRow user = users.findById(userId).orElseThrow();
        String token = newToken("ev_");
        dao.addToken(userId, Purpose.EMAIL_VERIFICATION, TokenService.hashRefreshToken(token), null,
                clock.instant().plus(auth.emailVerificationTtl()));
        String link = baseUrl.get() + "/#/verify?token=" + token;
        mailLater(user.email(), "Confirm your TradeFlow email address",
                "Confirm this address for your TradeFlow account by opening:\n\n" + link + "\n\nThe link works once and expires in "
                        + minutes(auth.emailVerificationTtl().toMinutes()) + ". If you did not sign up, ignore this mail.\n");
        return true;
    }

    /** Marks the email of the token's user verified; false for an unknown, used or expired token. */
    public boolean verifyEmail(String token) {
        OptionalLong user = dao.consumeToken(Purpose.EMAIL_VERIFICATION, TokenService.hashRefreshToken(token), clock.instant());
        user.ifPresent(dao::setEmailVerified);
        return user.isPresent();
    }

    // ---- forgot password ----------------------------------------------------------------------

    /**
     * Mails a reset link when the address belongs to an account; does nothing otherwise. The caller
     * answers the same either way. Throws {@link MailSender.MailDisabledException} when mail is off.
     */
    public void requestPasswordReset(String email) {
        if (!mail.enabled()) {
            throw new MailSender.MailDisabledException();
        }
        Optional<UserRow> user = users.findByEmail(email);
        if (user.isEmpty()) {
            return;
        }
        String token = newToken("pr_");
        dao.addToken(user.get().id(), Purpose.PASSWORD_RESET, TokenService.hashRefreshToken(token), null,
                clock.instant().plus(auth.passwordResetTtl()));
        String link = baseUrl.get() + "/#/reset?token=" + token;
        mailLater(user.get().email(), "Reset your TradeFlow password",
                "Someone (hopefully you) asked to reset the password of this TradeFlow account. Choose a new one at:\n\n"
                        + link + "\n\nThe link works once and expires in " + minutes(auth.passwordResetTtl().toMinutes())
                        + ". If you did not ask, ignore this mail: your password is unchanged.\n");
    }

    /**
     * Sets a new password with a reset token: the token (and every other reset link of the user) is used
     * up and every session of the user ends. Empty for an unknown, used or expired token.
     */
    public OptionalLong resetPassword(String token, String newPassword) {
        Instant now = clock.instant();
        OptionalLong user = dao.consumeToken(Purpose.PASSWORD_RESET, TokenService.hashRefreshToken(token), now);
        if (user.isPresent()) {
            long id = user.getAsLong();
            // Whole seconds, rounded up: tokens carry their issue time in seconds, and every one issued so far must die.
            profiles.changePassword(id, passwords.hash(newPassword), now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
            dao.expireTokens(id, Purpose.PASSWORD_RESET, now);
            dao.expireTokens(id, Purpose.LOGIN_CHALLENGE, now);
            // The link arrived by email, so the address is proven.
            dao.setEmailVerified(id);
        }
        return user;
    }

    // ---- two-step login -----------------------------------------------------------------------

    /** Starts the second step of a login for a user with a second factor; an emailed code is sent at once. */
    public Challenge startChallenge(UserRow user) {
        AccountSecurityDao.TwoFactor factor = dao.twoFactor(user.id());
        String token = newToken("lc_");
        byte[] tokenHash = TokenService.hashRefreshToken(token);
        boolean byEmail = !factor.totpConfirmed();
        String code = byEmail ? emailCode() : null;
        dao.addToken(user.id(), Purpose.LOGIN_CHALLENGE, tokenHash, code == null ? null : codeHash(token, code),
                clock.instant().plus(auth.loginChallengeTtl()));
        if (code != null) {
            mailCode(user.email(), code);
        }
        return new Challenge(token, byEmail ? "email" : "totp");
    }

    /**
     * Answers a login challenge with a code (authenticator or emailed) or a recovery code. A challenge ends
     * when answered, and after {@value #MAX_CHALLENGE_ATTEMPTS} wrong codes.
     */
    public ChallengeResult completeChallenge(String token, String code, String recoveryCode) {
        Instant now = clock.instant();
        Optional<AccountSecurityDao.Challenge> open = dao.openChallenge(TokenService.hashRefreshToken(token), now);
        if (open.isEmpty() || open.get().attempts() >= MAX_CHALLENGE_ATTEMPTS) {
            return new ChallengeResult(0, ChallengeRefusal.INVALID_CHALLENGE);
        }
        AccountSecurityDao.Challenge challenge = open.get();
        boolean ok;
        if (recoveryCode != null) {
            ok = dao.useRecoveryCode(challenge.userId(), recoveryHash(recoveryCode), now);
        } else if (challenge.codeHash() != null) {
            ok = java.security.MessageDigest.isEqual(challenge.codeHash(), codeHash(token, code));
        } else {
            ok = acceptTotp(challenge.userId(), code, now);
        }
        if (!ok) {
            if (dao.failChallenge(challenge.id()) >= MAX_CHALLENGE_ATTEMPTS) {
                dao.useChallenge(challenge.id(), now);
            }
            return new ChallengeResult(0, ChallengeRefusal.WRONG_CODE);
        }
        if (!dao.useChallenge(challenge.id(), now)) {
            return new ChallengeResult(0, ChallengeRefusal.INVALID_CHALLENGE);
        }
        return new ChallengeResult(challenge.userId(), null);
    }

    // ---- enrolment ----------------------------------------------------------------------------

    /** Creates a new authenticator secret for the user (replacing an unconfirmed one) and its QR code. */
    public TotpSetup setUpTotp(long userId) {
        UserRow user = users.findById(userId).orElseThrow();
        byte[] secret = Totp.newSecret(random);
        dao.setPendingTotp(userId, cipher.encrypt(secret, userId), clock.instant());
        String base32 = Totp.base32(secret);
        String label = URLEncoder.encode(ISSUER + ":" + user.email(), StandardCharsets.UTF_8).replace("+", "%20");
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + ISSUER
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new TotpSetup(base32, uri, QrSvg.of(uri));
    }

    /**
     * Confirms the pending authenticator with a code from it: the second factor is on and new recovery
     * codes (shown once) are returned. Empty when there is nothing pending or the code is wrong.
     */
    public Optional<List<String>> confirmTotp(long userId, String code) {
        AccountSecurityDao.TwoFactor factor = dao.twoFactor(userId);
        if (factor.totpSecret() == null || factor.totpConfirmed() || !acceptTotp(userId, code, clock.instant())) {
            return Optional.empty();
        }
        dao.confirmTotp(userId, clock.instant());
        return Optional.of(newRecoveryCodes(userId));
    }

    /** Whether a pending (unconfirmed) authenticator exists. */
    public boolean totpPending(long userId) {
        AccountSecurityDao.TwoFactor factor = dao.twoFactor(userId);
        return factor.totpSecret() != null && !factor.totpConfirmed();
    }

    /** Turns the emailed code on as the second factor (for users without an authenticator) and returns recovery codes. */
    public List<String> enableEmailOtp(long userId) {
        dao.setEmailOtp(userId, true, clock.instant());
        return newRecoveryCodes(userId);
    }

    /** Replaces the recovery codes (the old ones stop working). */
    public List<String> newRecoveryCodes(long userId) {
        List<String> codes = new ArrayList<>(RECOVERY_CODES);
        List<byte[]> hashes = new ArrayList<>(RECOVERY_CODES);
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String code = recoveryCode();
            codes.add(code);
            hashes.add(recoveryHash(code));
        }
        dao.replaceRecoveryCodes(userId, hashes);
        return codes;
    }

    /** Turns every second factor off when {@code password} is the user's; false otherwise. */
    public boolean disableTwoFactor(long userId, String password) {
        UserRow user = users.findById(userId).orElseThrow();
        if (!passwords.matches(password, user.passwordHash())) {
            return false;
        }
        dao.disableTwoFactor(userId);
        return true;
    }

    /** Checks a code against the user's authenticator, and records its step so it cannot be replayed. */
    private boolean acceptTotp(long userId, String code, Instant now) {
        AccountSecurityDao.TwoFactor factor = dao.twoFactor(userId);
        if (factor.totpSecret() == null) {
            return false;
        }
        byte[] secret = cipher.decrypt(factor.totpSecret(), userId);
        OptionalLong step = Totp.matchingStep(secret, code, now);
        return step.isPresent() && dao.acceptTotpStep(userId, step.getAsLong());
    }

    private void mailCode(String to, String code) {
        mailLater(to, "Your TradeFlow sign-in code: " + code,
                "Your TradeFlow sign-in code is " + code + "\n\nIt expires in " + minutes(auth.loginChallengeTtl().toMinutes())
                        + ". If you did not try to sign in, change your password.\n");
    }

    private void mailLater(String to, String subject, String text) {
        try {
            mailer.execute(() -> {
                try {
                    mail.send(to, subject, text);
                } catch (MessagingException | RuntimeException e) {
                    // Never the address or the content: they hold secrets.
                    LOG.warn("sending a security mail failed: {}", e.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("security mail queue full; a mail was dropped");
        }
    }

    private String newToken(String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String emailCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** A recovery code like {@code 4k7q-m2xv-9tcd}: 60 bits from an alphabet without look-alikes. */
    private String recoveryCode() {
        String alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
        StringBuilder code = new StringBuilder(14);
        for (int i = 0; i < 12; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return code.toString();
    }

    private static byte[] recoveryHash(String code) {
        return TokenService.hashRefreshToken("recovery:" + code.trim().toLowerCase(java.util.Locale.ROOT));
    }

    private static byte[] codeHash(String challengeToken, String code) {
        return TokenService.hashRefreshToken(challengeToken + ":" + (code == null ? "" : code.trim()));
    }

    private static String minutes(long minutes) {
        return minutes % 60 == 0 ? minutes / 60 + " hour(s)" : minutes + " minutes";
    }

    @Override
    public void close() {
        mailer.shutdown();
        try {
            mailer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
