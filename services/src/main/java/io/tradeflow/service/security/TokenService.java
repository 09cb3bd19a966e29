package io.tradeflow.service.security;

import com.auth0.jwt.JWT;
import io.tradeflow.config.AuthConfig;
import com.auth0.jwt.JWTVerifier.BaseVerification;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Session tokens. Access tokens are short-lived HS256 JWTs (subject = user id, role, and for
 * impersonation the admin's id); refresh tokens are opaque random strings the database keeps only
 * as SHA-256 and rotates on every use.
 */
public final class TokenService {
    /** The default access-token life (002); the server uses {@code auth.access-token-ttl}: {@link #accessTtl()}. */
    public static final Duration ACCESS_TTL = AuthConfig.defaults().accessTokenTtl();
    /** The default refresh-token life (002); the server uses {@code auth.refresh-token-ttl}: {@link #refreshTtl()}. */
    public static final Duration REFRESH_TTL = AuthConfig.defaults().refreshTokenTtl();
    public static final Duration IMPERSONATION_TTL = Duration.ofMinutes(5);
    private static final String ISSUER = "tradeflow";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Clock clock;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final SecureRandom random = new SecureRandom();

    /** With the default lifetimes ({@code auth} in reference.conf: 30 minutes, 7 days). */
    public TokenService(byte[] signingKey, Clock clock) {
        this(signingKey, clock, AuthConfig.defaults());
    }

    public TokenService(byte[] signingKey, Clock clock, AuthConfig auth) {
        this.algorithm = Algorithm.HMAC256(signingKey);
        // Verify expiry against the same clock that issues (the library defaults to the system clock).
        this.verifier = ((BaseVerification) JWT.require(algorithm).withIssuer(ISSUER))
                .build(clock);
        this.clock = clock;
        this.accessTtl = auth.accessTokenTtl();
        this.refreshTtl = auth.refreshTokenTtl();
    }

    public Duration accessTtl() {
        return accessTtl;
    }

    public Duration refreshTtl() {
        return refreshTtl;
    }

    /**
     * The verified content of an access token. {@code impersonatedBy} is 0 for a normal session;
     * {@code twoFactor} says the session was opened with a second factor (admin routes require it).
     */
    public record AccessClaims(long userId, boolean admin, long impersonatedBy, boolean twoFactor) {
        /** Claims of a session without a second factor. */
        public AccessClaims(long userId, boolean admin, long impersonatedBy) {
            this(userId, admin, impersonatedBy, false);
        }
    }

    public String accessToken(long userId, boolean admin) {
        return accessToken(userId, admin, false);
    }

    public String accessToken(long userId, boolean admin, boolean twoFactor) {
        return sign(userId, admin, 0, accessTtl, twoFactor);
    }

    /** A short-lived token acting as {@code userId} on behalf of an admin; it never carries admin rights. */
    public String impersonationToken(long userId, long adminId) {
        return sign(userId, false, adminId, IMPERSONATION_TTL, false);
    }

    private String sign(long userId, boolean admin, long impersonatedBy, Duration ttl, boolean twoFactor) {
        Instant now = clock.instant();
        var builder = JWT.create()
                .withIssuer(ISSUER)
                .withSubject(Long.toString(userId))
                .withClaim("role", admin ? "admin" : "user")
                .withIssuedAt(now)
                .withExpiresAt(now.plus(ttl));
        if (impersonatedBy != 0) {
            builder.withClaim("imp", impersonatedBy);
        }
        if (twoFactor) {
            builder.withClaim("mfa", true);
        }
        return builder.sign(algorithm);
    }

    /** The claims of a valid, unexpired token; empty for anything else. */
    public Optional<AccessClaims> verify(String token) {
        try {
            DecodedJWT jwt = verifier.verify(token);
            if (jwt.getExpiresAtAsInstant() == null) {
                return Optional.empty();
            }
            long userId = Long.parseLong(jwt.getSubject());
            Long imp = jwt.getClaim("imp").asLong();
            return Optional.of(new AccessClaims(userId, "admin".equals(jwt.getClaim("role").asString()),
                    imp == null ? 0 : imp, Boolean.TRUE.equals(jwt.getClaim("mfa").asBoolean())));
        } catch (JWTVerificationException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** When a token (already verified) was issued, to the second; empty when it carries no time. */
    public static Optional<Instant> issuedAt(String token) {
        try {
            return Optional.ofNullable(JWT.decode(token).getIssuedAtAsInstant());
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
    }

    public String newRefreshToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "rt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hashRefreshToken(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public Instant now() {
        return clock.instant();
    }
}
