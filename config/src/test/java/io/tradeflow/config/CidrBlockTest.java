package io.tradeflow.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing and matching of address blocks for the webhook source allowlist. */
class CidrBlockTest {
    private static boolean contains(String block, String address) throws Exception {
        long[] words = CidrBlock.words(InetAddress.getByName(address).getAddress());
        return CidrBlock.parse(block).orElseThrow().contains(words[0], words[1]);
    }

    @Test
    void shouldMatchSingleIpv4AddressesAndPrefixes() throws Exception {
        assertThat(contains("52.89.214.238", "52.89.214.238")).isTrue();
        assertThat(contains("52.89.214.238", "52.89.214.239")).isFalse();
        assertThat(contains("34.212.75.0/24", "34.212.75.30")).isTrue();
        assertThat(contains("34.212.75.0/24", "34.212.76.30")).isFalse();
        assertThat(contains("34.212.75.77/24", "34.212.75.1")).as("host bits are ignored").isTrue();
        assertThat(contains("0.0.0.0/0", "8.8.8.8")).isTrue();
        assertThat(contains("0.0.0.0/0", "2001:db8::1")).as("an IPv4 block holds no IPv6 address").isFalse();
    }

    @Test
    void shouldMatchIpv6Prefixes() throws Exception {
        assertThat(contains("2001:db8::/32", "2001:db8:ffff::1")).isTrue();
        assertThat(contains("2001:db8::/32", "2001:db9::1")).isFalse();
        assertThat(contains("::1", "::1")).isTrue();
        assertThat(contains("2001:db8:0:1::/64", "2001:db8:0:1:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(contains("2001:db8:0:1::/65", "2001:db8:0:1:ffff::")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tradingview.com", "localhost", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/x", "::1/129",
            "1.2.3.4.5", "300.1.1.1", "/24"})
    void shouldRejectWhatIsNotALiteralBlock(String text) {
        assertThat(CidrBlock.parse(text)).isEmpty();
    }

    @Test
    void shouldMatchRawAddressBytesLikeTheWords() throws Exception {
        CidrBlock loopback = CidrBlock.parse("127.0.0.0/8").orElseThrow();
        byte[] padded = new byte[16];
        System.arraycopy(InetAddress.getByName("127.0.0.1").getAddress(), 0, padded, 0, 4);
        assertThat(loopback.contains(padded, 4)).isTrue();
        assertThat(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains(padded, 4)).isFalse();
        assertThat(CidrBlock.parse("2001:db8::/32").orElseThrow()
                .contains(InetAddress.getByName("2001:db8::7").getAddress(), 16)).isTrue();
        assertThat(loopback.contains(padded, 0)).as("an unknown address is in no block").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"52.89.214.238", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32", "::1", "fe80::1:2/128"})
    void shouldWriteANotationThatParsesBackToTheSameBlock(String text) {
        CidrBlock block = CidrBlock.parse(text).orElseThrow();
        assertThat(CidrBlock.parse(block.notation())).contains(block);
    }

    @Test
    void shouldWriteIpv4BlocksInDottedNotation() {
        assertThat(CidrBlock.parse("34.212.75.77/24").orElseThrow().notation()).isEqualTo("34.212.75.0/24");
        assertThat(CidrBlock.parse("52.89.214.238").orElseThrow().notation()).isEqualTo("52.89.214.238/32");
    }
}
