package io.tradeflow.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.tradeflow.service.security.Totp;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Account security end to end, with a real SMTP server (GreenMail) receiving the mails: email
 * verification, forgot-password (no enumeration, single use, expiry, sessions revoked), two-factor
 * login with an authenticator, recovery codes and emailed codes, admin routes refused without 2FA,
 * and all of it still true after a restart (stored in PostgreSQL).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountSecurityEndToEndTest {
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("sign-in code is (\\d{6})");

    /** Message ids of the mails a test already read. */
    private static final java.util.Set<String> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @TempDir
    static Path dataDir;

    private static GreenMail smtp;
    private static TradeFlowServer server;
    private static ApiClient api;
    private static byte[] adminSecret;

    @BeforeAll
    static void start() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        server = startServer();
        api = new ApiClient(server.port());
    }

    private static TradeFlowServer startServer() throws Exception {
        return TestServers.start(dataDir, Map.of("mail.smtp.host", "127.0.0.1",
                "mail.smtp.port", Integer.toString(smtp.getSmtp().getPort()), "mail.smtp.starttls", "false"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    @Order(1)
    void signupMailsAVerificationLinkThatWorksOnce() throws Exception {
        ApiClient.Answer signup = api.signUp("verify@test.local", PASSWORD);
        assertThat(signup.status()).isEqualTo(201);
        assertThat(signup.body().path("email_verification_sent").asBoolean()).isTrue();
        String token = signup.body().path("access_token").asText();
        assertThat(api.get("/auth/me", token).body().path("email_verified").asBoolean()).isFalse();

        String link = mailTo("verify@test.local", "Confirm your TradeFlow email address");
        assertThat(link).contains("/#/verify?token=");
        String verification = match(TOKEN, link);
        assertThat(api.post("/auth/verify_email", "{\"token\":\"" + verification + "\"}", null).status()).isEqualTo(200);
        assertThat(api.get("/auth/me", token).body().path("email_verified").asBoolean()).isTrue();
        ApiClient.Answer again = api.post("/auth/verify_email", "{\"token\":\"" + verification + "\"}", null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorField()).isEqualTo("token");
        assertThat(api.get("/auth/me", token).body().path("last_login").isNull()).as("signup is not a login").isTrue();
        api.post("/auth/login", login("verify@test.local", PASSWORD), null);
        assertThat(api.get("/auth/me", token).body().path("last_login").asText()).isNotEmpty();
    }

    @Test
    @Order(2)
    void forgotPasswordResetsOnceAndEndsEverySession() throws Exception {
        ApiClient.Answer signup = api.signUp("forgot@test.local", PASSWORD);
        String oldAccess = signup.body().path("access_token").asText();
        String oldRefresh = signup.body().path("refresh_token").asText();
        mailTo("forgot@test.local", "Confirm your TradeFlow email address");

        // The same answer for an unknown address and a known one: no account enumeration.
        ApiClient.Answer unknown = api.post("/auth/forgot_password", "{\"email\":\"nobody@test.local\"}", null);
        ApiClient.Answer known = api.post("/auth/forgot_password", "{\"email\":\"forgot@test.local\"}", null);
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(known.status()).isEqualTo(202);
        assertThat(known.raw()).isEqualTo(unknown.raw());

        String reset = match(TOKEN, mailTo("forgot@test.local", "Reset your TradeFlow password"));
        ApiClient.Answer weak = api.post("/auth/reset_password", "{\"token\":\"" + reset + "\",\"new_password\":\"alllowercase1\"}", null);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.errorField()).isEqualTo("new_password");
        assertThat(weak.body().path("error").path("message").asText()).contains("uppercase");

        ApiClient.Answer done = api.post("/auth/reset_password", "{\"token\":\"" + reset + "\",\"new_password\":\"NewPassw0rd\"}", null);
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(api.get("/auth/me", oldAccess).status()).as("old access token").isEqualTo(401);
        assertThat(api.post("/auth/refresh", "{\"refresh_token\":\"" + oldRefresh + "\"}", null).status()).isEqualTo(401);
        assertThat(api.post("/auth/login", login("forgot@test.local", PASSWORD), null).status()).isEqualTo(401);
        assertThat(api.post("/auth/login", login("forgot@test.local", "NewPassw0rd"), null).status()).isEqualTo(200);

        ApiClient.Answer reused = api.post("/auth/reset_password", "{\"token\":\"" + reset + "\",\"new_password\":\"Another0ne\"}", null);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.errorField()).isEqualTo("token");
    }

    @Test
    @Order(3)
    void anExpiredResetLinkIsRefused() throws Exception {
        api.signUp("expired@test.local", PASSWORD);
        assertThat(api.post("/auth/forgot_password", "{\"email\":\"expired@test.local\"}", null).status()).isEqualTo(202);
        String reset = match(TOKEN, mailTo("expired@test.local", "Reset your TradeFlow password"));
        // The link's life is config (auth.password-reset-ttl); here it has run out.
        server.database().jdbi().useHandle(h -> h.execute("update auth_tokens set expires_at = now() - interval '1 minute'"
                + " where purpose = 'password_reset' and user_id = (select id from users where email = ?)", "expired@test.local"));
        ApiClient.Answer late = api.post("/auth/reset_password", "{\"token\":\"" + reset + "\",\"new_password\":\"NewPassw0rd\"}", null);
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body().path("error").path("message").asText()).contains("expired");
        assertThat(api.post("/auth/login", login("expired@test.local", PASSWORD), null).status()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void anAdminWithoutTwoFactorIsRefusedOnAdminRoutesAndPassesAfterEnrolment() {
        api.signUp("admin@test.local", PASSWORD);
        server.database().jdbi().useHandle(h -> h.execute("update users set role = 'admin' where email = ?", "admin@test.local"));
        String password = api.post("/auth/login", login("admin@test.local", PASSWORD), null).body().path("access_token").asText();
        ApiClient.Answer refused = api.get("/admin/users", password);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("TWO_FACTOR_REQUIRED");
        assertThat(refused.body().path("error").path("message").asText()).contains("two-factor");

        ApiClient.Answer setup = api.post("/auth/2fa/totp/setup", null, password);
        assertThat(setup.body().path("otpauth_uri").asText()).startsWith("otpauth://totp/TradeFlow%3Aadmin%40test.local?secret=");
        assertThat(setup.body().path("qr_svg").asText()).startsWith("<svg").doesNotContain("<script").doesNotContain("href");
        byte[] secret = Totp.fromBase32(setup.body().path("secret").asText());
        ApiClient.Answer wrong = api.post("/auth/2fa/totp/confirm", "{\"code\":\"000000\"}", password);
        if (!Totp.codeAt(secret, Instant.now()).equals("000000")) {
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.errorField()).isEqualTo("code");
        }
        ApiClient.Answer confirmed = api.post("/auth/2fa/totp/confirm",
                "{\"code\":\"" + Totp.codeAt(secret, Instant.now()) + "\"}", password);
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(confirmed.body().path("recovery_codes")).hasSize(10);
        adminSecret = secret;
        // The enrolment's own session passed the second factor.
        assertThat(api.get("/admin/users", confirmed.body().path("access_token").asText()).status()).isEqualTo(200);
        // The password-only session still does not.
        assertThat(api.get("/admin/users", password).status()).isEqualTo(403);

        // Login is two-step now: no token from the password alone.
        ApiClient.Answer first = api.post("/auth/login", login("admin@test.local", PASSWORD), null);
        assertThat(first.body().has("access_token")).isFalse();
        assertThat(first.body().path("two_factor_method").asText()).isEqualTo("totp");
        String challenge = first.body().path("challenge_token").asText();
        ApiClient.Answer bad = api.post("/auth/login/verify", "{\"challenge_token\":\"" + challenge + "\",\"code\":\"12345a\"}", null);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.errorCode()).isEqualTo("WRONG_CODE");

        String recovery = confirmed.body().path("recovery_codes").get(0).asText();
        ApiClient.Answer byRecovery = api.post("/auth/login/verify",
                "{\"challenge_token\":\"" + challenge + "\",\"recovery_code\":\"" + recovery + "\"}", null);
        assertThat(byRecovery.status()).as(byRecovery.toString()).isEqualTo(200);
        assertThat(api.get("/admin/users", byRecovery.body().path("access_token").asText()).status()).isEqualTo(200);
        // The challenge and the recovery code were used up.
        assertThat(api.post("/auth/login/verify", "{\"challenge_token\":\"" + challenge + "\",\"recovery_code\":\"" + recovery + "\"}",
                null).errorCode()).isEqualTo("INVALID_CHALLENGE");
        String next = api.post("/auth/login", login("admin@test.local", PASSWORD), null).body().path("challenge_token").asText();
        assertThat(api.post("/auth/login/verify", "{\"challenge_token\":\"" + next + "\",\"recovery_code\":\"" + recovery + "\"}",
                null).errorCode()).isEqualTo("WRONG_CODE");

        String admin = TwoFactor.logIn(server, api, "admin@test.local", PASSWORD, secret);
        assertThat(api.get("/admin/users", admin).status()).isEqualTo(200);
        // A refreshed two-factor session stays two-factor.
        ApiClient.Answer login = api.post("/auth/login", login("admin@test.local", PASSWORD), null);
        assertThat(login.body().path("two_factor_required").asBoolean()).isTrue();
    }

    @Test
    @Order(5)
    void aUserWithoutAnAuthenticatorGetsTheCodeByEmail() throws Exception {
        String token = api.signUp("otp@test.local", PASSWORD).body().path("access_token").asText();
        ApiClient.Answer early = api.post("/auth/2fa/email/enable", null, token);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.errorCode()).isEqualTo("EMAIL_NOT_VERIFIED");
        String verification = match(TOKEN, mailTo("otp@test.local", "Confirm your TradeFlow email address"));
        api.post("/auth/verify_email", "{\"token\":\"" + verification + "\"}", null);
        ApiClient.Answer enabled = api.post("/auth/2fa/email/enable", null, token);
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.body().path("recovery_codes")).hasSize(10);

        ApiClient.Answer first = api.post("/auth/login", login("otp@test.local", PASSWORD), null);
        assertThat(first.body().path("two_factor_method").asText()).isEqualTo("email");
        String code = match(CODE, mailTo("otp@test.local", "Your TradeFlow sign-in code"));
        ApiClient.Answer second = api.post("/auth/login/verify", "{\"challenge_token\":\""
                + first.body().path("challenge_token").asText() + "\",\"code\":\"" + code + "\"}", null);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(api.get("/auth/2fa", second.body().path("access_token").asText()).body().path("email_otp").asBoolean()).isTrue();
    }

    @Test
    @Order(6)
    void everythingSurvivesARestart() throws Exception {
        server.close();
        server = startServer();
        api = new ApiClient(server.port());
        ApiClient.Answer first = api.post("/auth/login", login("admin@test.local", PASSWORD), null);
        assertThat(first.body().path("two_factor_required").asBoolean()).as("2FA is still on").isTrue();
        String admin = TwoFactor.logIn(server, api, "admin@test.local", PASSWORD, adminSecret);
        assertThat(api.get("/admin/users", admin).status()).isEqualTo(200);
        ApiClient.Answer refreshed = api.post("/auth/login", login("verify@test.local", PASSWORD), null);
        assertThat(api.get("/auth/me", refreshed.body().path("access_token").asText()).body().path("email_verified").asBoolean())
                .isTrue();
        assertThat(api.post("/auth/login", login("forgot@test.local", "NewPassw0rd"), null).status()).isEqualTo(200);
    }

    private static String login(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    /** The text of the newest mail to {@code to} whose subject starts with {@code subject}, waiting for it to arrive. */
    private static String mailTo(String to, String subject) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> newest(to, subject), body -> body != null);
    }

    private static String newest(String to, String subject) throws MessagingException, IOException {
        MimeMessage[] all = smtp.getReceivedMessages();
        for (int i = all.length - 1; i >= 0; i--) {
            MimeMessage m = all[i];
            if (m.getSubject().startsWith(subject) && m.getRecipients(Message.RecipientType.TO)[0].toString().equals(to)
                    && SEEN.add(m.getMessageID())) {
                return m.getContent().toString();
            }
        }
        return null;
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }
}
