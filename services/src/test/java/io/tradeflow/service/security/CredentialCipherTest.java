package io.tradeflow.service.security;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialCipherTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] SECRET = "{\"password\":\"hunter22\"}".getBytes(StandardCharsets.UTF_8);

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private final CredentialCipher cipher = new CredentialCipher(KEY);

    @Test
    void shouldRoundTripAndNeverShowThePlaintext() {
        byte[] sealed = cipher.encrypt(SECRET, 42);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter22");
        assertThat(cipher.decrypt(sealed, 42)).isEqualTo(SECRET);
    }

    @Test
    void shouldUseAFreshNonceForEveryValue() {
        assertThat(cipher.encrypt(SECRET, 42)).isNotEqualTo(cipher.encrypt(SECRET, 42));
    }

    @Test
    void shouldRefuseAnotherOwnerATamperedValueAndAnotherKey() {
        byte[] sealed = cipher.encrypt(SECRET, 42);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        byte[] otherKey = new byte[32];

        assertThatThrownBy(() -> cipher.decrypt(sealed, 43)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt(tampered, 42)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CredentialCipher(otherKey).decrypt(sealed, 42))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
