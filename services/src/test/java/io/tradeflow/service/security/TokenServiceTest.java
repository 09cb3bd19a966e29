package io.tradeflow.service.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class TokenServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-23T14:00:00Z");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static TokenService at(Instant now) {
        return new TokenService(KEY, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void shouldVerifyItsOwnTokens() {
        String token = at(T0).accessToken(7, true);

        assertThat(at(T0.plusSeconds(60)).verify(token)).hasValue(new TokenService.AccessClaims(7, true, 0, false));
    }

    @Test
    void shouldRefuseExpiredForgedAndForeignTokens() {
        String token = at(T0).accessToken(7, false);
        String foreign = new TokenService("another key of thirty-two bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Clock.fixed(T0, ZoneOffset.UTC)).accessToken(7, true);

        assertThat(at(T0.plus(at(T0).accessTtl()).plusSeconds(1)).verify(token)).isEmpty();
        assertThat(at(T0).verify(token.substring(0, token.length() - 2) + "xx")).isEmpty();
        assertThat(at(T0).verify(foreign)).isEmpty();
        assertThat(at(T0).verify("not.a.jwt")).isEmpty();
    }

    @Test
    void shouldGiveImpersonationTokensNoAdminRightsAndAShortLife() {
        String token = at(T0).impersonationToken(7, 1);

        assertThat(at(T0).verify(token)).hasValue(new TokenService.AccessClaims(7, false, 1, false));
        assertThat(at(T0.plus(TokenService.IMPERSONATION_TTL).plusSeconds(1)).verify(token)).isEmpty();
    }

    @Test
    void shouldHashRefreshTokensAndMakeThemUnique() {
        TokenService tokens = at(T0);
        String a = tokens.newRefreshToken();
        String b = tokens.newRefreshToken();

        assertThat(a).isNotEqualTo(b).startsWith("rt_");
        assertThat(TokenService.hashRefreshToken(a)).hasSize(32).isNotEqualTo(TokenService.hashRefreshToken(b));
    }
}
