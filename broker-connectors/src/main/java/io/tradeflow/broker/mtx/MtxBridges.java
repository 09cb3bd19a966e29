package io.tradeflow.broker.mtx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MetaTrader bridges by license token. Tokens are looked up by their SHA-256, so the token
 * itself is not kept as a map key and a lookup does not compare secrets character by character.
 */
public final class MtxBridges {
    private final Map<String, MtxBridge> byTokenHash = new ConcurrentHashMap<>();

    public void register(MtxBridge bridge) {
        byTokenHash.put(hash(bridge.credentials().licenseToken()), bridge);
    }

    public void unregister(MtxBridge bridge) {
        byTokenHash.remove(hash(bridge.credentials().licenseToken()), bridge);
    }

    /** The bridge for this token, or null. */
    public MtxBridge forToken(String licenseToken) {
        return licenseToken == null ? null : byTokenHash.get(hash(licenseToken));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
