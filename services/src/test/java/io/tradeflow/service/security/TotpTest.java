package io.tradeflow.service.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** TOTP against the test vectors of RFC 6238 appendix B (8 digits, SHA-1, SHA-256 and SHA-512). */
class TotpTest {
    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
            "59, 94287082, 46119246, 90693936",
            "1111111109, 07081804, 68084774, 25091201",
            "1111111111, 14050471, 67062674, 99943326",
            "1234567890, 89005924, 91819424, 93441116",
            "2000000000, 69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void matchesTheRfc6238TestVectors(long unixTime, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(unixTime));
        assertThat(Totp.code(SHA1_SEED, step, 8, "HmacSHA1")).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_SEED, step, 8, "HmacSHA256")).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_SEED, step, 8, "HmacSHA512")).isEqualTo(sha512);
    }

    @Test
    void sixDigitCodesAreTheLowDigitsOfTheRfcValue() {
        assertThat(Totp.codeAt(SHA1_SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
    }

    @Test
    void acceptsOneStepOfDriftEitherSideAndNoMore() {
        byte[] key = Totp.newSecret(new SecureRandom());
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(key, Totp.codeAt(key, now), now)).hasValue(step);
        assertThat(Totp.matchingStep(key, Totp.codeAt(key, now.minusSeconds(30)), now)).hasValue(step - 1);
        assertThat(Totp.matchingStep(key, Totp.codeAt(key, now.plusSeconds(30)), now)).hasValue(step + 1);
        String old = Totp.codeAt(key, now.minusSeconds(90));
        if (!old.equals(Totp.codeAt(key, now)) && !old.equals(Totp.codeAt(key, now.minusSeconds(30)))
                && !old.equals(Totp.codeAt(key, now.plusSeconds(30)))) {
            assertThat(Totp.matchingStep(key, old, now)).isEmpty();
        }
        assertThat(Totp.matchingStep(key, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(key, "abcdef", now)).isEmpty();
    }

    @Test
    void base32RoundTripsAndMatchesRfc4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.fromBase32("MZXW6YTBOI")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        byte[] key = Totp.newSecret(new SecureRandom());
        assertThat(Totp.fromBase32(Totp.base32(key))).isEqualTo(key);
    }
}
