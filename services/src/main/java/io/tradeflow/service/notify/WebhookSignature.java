package io.tradeflow.service.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature of an outbound webhook, in the header {@value #HEADER}: {@code t=<unix seconds>,v1=<hex>}
 * where the hex is HMAC-SHA256, keyed with the channel's secret, of {@code "<t>.<body>"}. A receiver
 * recomputes it over the raw body, compares in constant time and refuses old timestamps (replays).
 */
public final class WebhookSignature {
    public static final String HEADER = "X-TradeFlow-Signature";

    private WebhookSignature() {
    }

    public static String header(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    public static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
