package io.tradeflow.app;

import io.tradeflow.service.security.Totp;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two-factor sign-in for the tests, as a user with an authenticator app does it: enrol (setup, confirm
 * with a code computed from the secret like the app would), then sign in with password and code.
 */
final class TwoFactor {
    private TwoFactor() {
    }

    /** The enrolled authenticator and the two-factor session the confirmation returned. */
    record Enrolment(byte[] secret, String accessToken, java.util.List<String> recoveryCodes) {
    }

    /** Enrols an authenticator for the user of {@code token}. */
    static Enrolment enrol(ApiClient api, String token) {
        ApiClient.Answer setup = api.post("/auth/2fa/totp/setup", null, token);
        assertThat(setup.status()).as("setup: %s", setup).isEqualTo(200);
        byte[] secret = Totp.fromBase32(setup.body().path("secret").asText());
        ApiClient.Answer confirmed = api.post("/auth/2fa/totp/confirm", "{\"code\":\"" + Totp.codeAt(secret, Instant.now()) + "\"}", token);
        assertThat(confirmed.status()).as("confirm: %s", confirmed).isEqualTo(200);
        java.util.List<String> codes = new java.util.ArrayList<>();
        confirmed.body().path("recovery_codes").forEach(c -> codes.add(c.asText()));
        return new Enrolment(secret, confirmed.body().path("access_token").asText(), codes);
    }

    /**
     * Signs in with password and the authenticator's code; returns the two-factor access token.
     */
    static String logIn(TradeFlowServer server, ApiClient api, String email, String password, byte[] secret) {
        ApiClient.Answer first = api.post("/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        assertThat(first.body().path("two_factor_required").asBoolean()).as("login: %s", first).isTrue();
        String code = nextCode(server, email, secret);
        ApiClient.Answer second = api.post("/auth/login/verify", "{\"challenge_token\":\"" + first.body().path("challenge_token").asText()
                + "\",\"code\":\"" + code + "\"}", null);
        assertThat(second.status()).as("second step: %s", second).isEqualTo(200);
        return second.body().path("access_token").asText();
    }

    /**
     * A code the server will take: a code is good once, so the first step after the last one used, within
     * the one-step drift allowed (waiting for the clock when the next step's code was used already).
     */
    static String nextCode(TradeFlowServer server, String email, byte[] secret) {
        long last = server.database().jdbi().withHandle(h -> h.createQuery("select totp_last_step from user_two_factor"
                + " where user_id = (select id from users where email = :email)").bind("email", email).mapTo(Long.class).one());
        await().atMost(Duration.ofSeconds(2L * Totp.STEP_SECONDS)).until(() -> Totp.step(Instant.now()) + 1 > last);
        long step = Math.max(Totp.step(Instant.now()), last + 1);
        return Totp.code(secret, step, Totp.DIGITS, "HmacSHA1");
    }

    /** Makes {@code email} (already signed up with the tests' password) an admin with an authenticator; returns its token. */
    static String admin(TradeFlowServer server, ApiClient api, String email) {
        server.database().jdbi().useHandle(h -> h.execute("update users set role = 'admin' where email = ?", email));
        String token = api.post("/auth/login", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", null)
                .body().path("access_token").asText();
        return enrol(api, token).accessToken();
    }
}
