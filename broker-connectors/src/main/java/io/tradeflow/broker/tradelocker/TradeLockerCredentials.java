package io.tradeflow.broker.tradelocker;

import io.tradeflow.broker.api.BrokerCredentials;

import java.net.URI;

/**
 * What a TradeLocker account needs: the backend base URL (demo or live), the login email and
 * password, the server name shown at login, and optionally which account id to trade (the first
 * account otherwise). {@link #toString()} never shows the password.
 */
public record TradeLockerCredentials(URI baseUrl, String email, String password, String server, String accountId)
        implements BrokerCredentials {
    public static final URI DEMO = URI.create("https://demo.tradelocker.com/backend-api");
    public static final URI LIVE = URI.create("https://live.tradelocker.com/backend-api");

    public TradeLockerCredentials {
        if (baseUrl == null || isBlank(email) || isBlank(password) || isBlank(server)) {
            throw new IllegalArgumentException("tradelocker needs baseUrl, email, password and server");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "TradeLockerCredentials[" + baseUrl + ", " + email + ", server=" + server + ", accountId=" + accountId + "]";
    }
}
