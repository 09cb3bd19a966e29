package io.tradeflow.config;

import java.time.Duration;

/**
 * Lifetimes of the dashboard's tokens and the cost of password hashing.
 *
 * @param accessTokenTtl       how long an access token (JWT) is good
 * @param refreshTokenTtl      how long a refresh token is good
 * @param bcryptCost           bcrypt work factor of new password hashes (4..16)
 * @param passwordResetTtl     how long a password-reset link is good
 * @param emailVerificationTtl how long an email-verification link is good
 * @param loginChallengeTtl    how long the second step of a two-factor login may take (also an emailed code's life)
 */
public record AuthConfig(Duration accessTokenTtl, Duration refreshTokenTtl, int bcryptCost, Duration passwordResetTtl,
                         Duration emailVerificationTtl, Duration loginChallengeTtl) {

    /** The defaults of reference.conf, for tests that build services by hand. */
    public static AuthConfig defaults() {
        return new AuthConfig(Duration.ofMinutes(30), Duration.ofDays(7), 12, Duration.ofMinutes(30), Duration.ofHours(48),
                Duration.ofMinutes(5));
    }
}
