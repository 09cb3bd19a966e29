package io.tradeflow.broker.mtx;

import io.tradeflow.broker.api.BrokerCredentials;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * A MetaTrader 4/5 account reached through the TradeFlow EA: the license token the EA
 * authenticates with (shown to the user once, to paste into the EA's inputs) and the suffix the
 * broker adds to symbols ({@code EURUSD} → {@code EURUSD.m}). {@link #toString()} hides the token.
 */
public record MtxCredentials(String licenseToken, String symbolSuffix) implements BrokerCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    public MtxCredentials {
        if (licenseToken == null || licenseToken.length() < 20) {
            throw new IllegalArgumentException("mtx needs a license token of at least 20 characters");
        }
        symbolSuffix = symbolSuffix == null ? "" : symbolSuffix;
    }

    /** A new random license token. */
    public static String newLicenseToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "mtx_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "MtxCredentials[token=***, symbolSuffix=" + symbolSuffix + "]";
    }
}
