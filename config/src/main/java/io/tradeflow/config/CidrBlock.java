package io.tradeflow.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IP address block such as {@code 52.89.214.238}, {@code 34.212.75.0/24} or
 * {@code 2001:db8::/32}, held as a 128-bit IPv6 address (IPv4 as {@code ::ffff:a.b.c.d}) and a
 * prefix length, so matching an address is two masked comparisons. Only literal addresses are
 * accepted: a host name would need a DNS lookup, which has no place in config validation or on
 * the request path.
 *
 * @param high         upper 64 bits of the network address
 * @param low          lower 64 bits of the network address
 * @param prefixLength leading bits that must match, 0..128 (an IPv4 /n is stored as /(96+n))
 */
public record CidrBlock(long high, long low, int prefixLength) {
    private static final long IPV4_MAPPED_PREFIX = 0xFFFF_0000_0000L;

    /** Parses a literal address with an optional {@code /prefix}; empty when it is not one. */
    public static Optional<CidrBlock> parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = address.indexOf(':') >= 0 ? ipv6(address) : ipv4(address);
        if (bytes == null) {
            return Optional.empty();
        }
        int maxPrefix = bytes.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > maxPrefix) {
                return Optional.empty();
            }
        }
        long[] words = words(bytes);
        int prefix128 = bytes.length == 4 ? 96 + prefix : prefix;
        return Optional.of(new CidrBlock(words[0] & mask(prefix128, 0), words[1] & mask(prefix128, 64), prefix128));
    }

    /** Dotted-quad IPv4 parsed by hand: InetAddress would treat anything else as a host name to look up. */
    private static byte[] ipv4(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        return bytes;
    }

    /** With a colon, InetAddress parses an IPv6 literal and never looks the text up. */
    private static byte[] ipv6(String address) {
        if (!address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether the 128-bit address {@code high:low} (see {@link #words(byte[])}) is in this block. */
    public boolean contains(long addressHigh, long addressLow) {
        return (addressHigh & mask(prefixLength, 0)) == high && (addressLow & mask(prefixLength, 64)) == low;
    }

    /**
     * Whether the address held in the first {@code length} bytes of {@code address} (4 for IPv4, 16
     * for IPv6) is in this block; any other length is in no block. Allocates nothing, so the ring
     * thread can call it for every alert.
     */
    public boolean contains(byte[] address, int length) {
        if (length == 4) {
            long v4 = ((address[0] & 0xFFL) << 24) | ((address[1] & 0xFFL) << 16) | ((address[2] & 0xFFL) << 8) | (address[3] & 0xFFL);
            return contains(0, IPV4_MAPPED_PREFIX | v4);
        }
        if (length != 16) {
            return false;
        }
        long addressHigh = 0;
        long addressLow = 0;
        for (int i = 0; i < 8; i++) {
            addressHigh = (addressHigh << 8) | (address[i] & 0xFF);
            addressLow = (addressLow << 8) | (address[i + 8] & 0xFF);
        }
        return contains(addressHigh, addressLow);
    }

    /**
     * The block as text that {@link #parse(String)} reads back to an equal block: {@code a.b.c.d/n}
     * for IPv4 blocks, eight hexadecimal groups and {@code /n} for IPv6.
     */
    public String notation() {
        if (prefixLength >= 96 && high == 0 && (low >>> 32) == 0xFFFFL) {
            return ((low >>> 24) & 0xFF) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF)
                    + "/" + (prefixLength - 96);
        }
        StringBuilder text = new StringBuilder(45);
        for (int group = 0; group < 8; group++) {
            long word = group < 4 ? high : low;
            int shift = 48 - 16 * (group % 4);
            if (group > 0) {
                text.append(':');
            }
            text.append(Long.toHexString((word >>> shift) & 0xFFFF));
        }
        return text.append('/').append(prefixLength).toString();
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address as two 64-bit words, IPv4 mapped to {@code ::ffff:a.b.c.d}. */
    public static long[] words(byte[] address) {
        if (address.length == 4) {
            long v4 = ((address[0] & 0xFFL) << 24) | ((address[1] & 0xFFL) << 16) | ((address[2] & 0xFFL) << 8) | (address[3] & 0xFFL);
            return new long[]{0, IPV4_MAPPED_PREFIX | v4};
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (address[i] & 0xFF);
            low = (low << 8) | (address[i + 8] & 0xFF);
        }
        return new long[]{high, low};
    }

    /** The mask of the 64-bit word starting at bit {@code offset} (0 or 64) for a prefix. */
    private static long mask(int prefix, int offset) {
        int bits = Math.max(0, Math.min(64, prefix - offset));
        return bits == 0 ? 0 : -1L << (64 - bits);
    }
}
