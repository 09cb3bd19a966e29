package io.tradeflow.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.core.alert.KeyHasher;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** API-key hashes to accounts, including hashes that share the 8-byte prefix used as the map key. */
final class KeyIndexTest {
    private final KeyIndex index = new KeyIndex();

    /** A 32-byte hash with a fixed 8-byte prefix and a distinct tail. */
    private static byte[] samePrefix(int tail) {
        byte[] hash = KeyHasher.sha256("tf_collision_base");
        hash[31] = (byte) tail;
        hash[20] = (byte) (tail >> 8);
        return hash;
    }

    @Test
    void shouldFindTheAccountOfAnAddedKey() {
        index.add(KeyHasher.sha256("tf_a"), 1);
        index.add(KeyHasher.sha256("tf_b"), 2);

        assertThat(index.accountFor(KeyHasher.sha256("tf_a"))).isEqualTo(1);
        assertThat(index.accountFor(KeyHasher.sha256("tf_b"))).isEqualTo(2);
        assertThat(index.accountFor(KeyHasher.sha256("tf_c"))).isZero();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void shouldForgetARemovedKey() {
        index.add(KeyHasher.sha256("tf_a"), 1);

        index.remove(KeyHasher.sha256("tf_a"));

        assertThat(index.accountFor(KeyHasher.sha256("tf_a"))).isZero();
        assertThat(index.size()).isZero();
    }

    @Test
    void shouldIgnoreRemovingAKeyItDoesNotHold() {
        index.add(KeyHasher.sha256("tf_a"), 1);

        index.remove(KeyHasher.sha256("tf_b"));
        index.remove(samePrefix(1));

        assertThat(index.accountFor(KeyHasher.sha256("tf_a"))).isEqualTo(1);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldMoveAKeyAddedAgainToItsNewAccount() {
        index.add(KeyHasher.sha256("tf_a"), 1);

        index.add(KeyHasher.sha256("tf_a"), 9);

        assertThat(index.accountFor(KeyHasher.sha256("tf_a"))).isEqualTo(9);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldTellApartKeysThatShareThePrefix() {
        for (int i = 1; i <= 5; i++) {
            index.add(samePrefix(i), 100 + i);
        }

        for (int i = 1; i <= 5; i++) {
            assertThat(index.accountFor(samePrefix(i))).isEqualTo(100 + i);
        }
        assertThat(index.accountFor(samePrefix(6))).isZero();
        assertThat(index.size()).isEqualTo(5);
    }

    @Test
    void shouldRemoveTheHeadTheMiddleAndTheTailOfAPrefixChain() {
        for (int i = 1; i <= 5; i++) {
            index.add(samePrefix(i), 100 + i);
        }

        // Each add pushes onto the chain: 5 is the head, 1 the tail.
        index.remove(samePrefix(5));
        index.remove(samePrefix(3));
        index.remove(samePrefix(1));

        assertThat(index.accountFor(samePrefix(2))).isEqualTo(102);
        assertThat(index.accountFor(samePrefix(4))).isEqualTo(104);
        assertThat(index.accountFor(samePrefix(1))).isZero();
        assertThat(index.accountFor(samePrefix(3))).isZero();
        assertThat(index.accountFor(samePrefix(5))).isZero();
        assertThat(index.size()).isEqualTo(2);

        index.remove(samePrefix(4));
        index.remove(samePrefix(2));
        assertThat(index.size()).isZero();
        index.add(samePrefix(3), 103);
        assertThat(index.accountFor(samePrefix(3))).isEqualTo(103);
    }

    @Test
    void shouldCopyTheHashSoLaterChangesToTheCallersArrayDoNotMatter() {
        byte[] hash = KeyHasher.sha256("tf_a");
        byte[] original = Arrays.copyOf(hash, hash.length);
        index.add(hash, 1);

        hash[31] ^= 0x55;

        assertThat(index.accountFor(original)).isEqualTo(1);
        assertThat(index.accountFor(hash)).isZero();
    }
}
