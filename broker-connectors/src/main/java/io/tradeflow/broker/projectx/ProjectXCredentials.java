package io.tradeflow.broker.projectx;

import io.tradeflow.broker.api.BrokerCredentials;

import java.net.URI;

/**
 * What a ProjectX (TopstepX) account needs: the gateway URL, the user name and API key from the
 * ProjectX dashboard, and optionally the account id to trade (the first tradable one otherwise).
 * {@link #toString()} never shows the key.
 */
public record ProjectXCredentials(URI baseUrl, String userName, String apiKey, Long accountId) implements BrokerCredentials {
    public static final URI TOPSTEPX = URI.create("https://api.topstepx.com");

    public ProjectXCredentials {
        if (baseUrl == null || userName == null || userName.isBlank() || apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("projectx needs baseUrl, userName and apiKey");
        }
    }

    @Override
    public String toString() {
        return "ProjectXCredentials[" + baseUrl + ", " + userName + ", accountId=" + accountId + "]";
    }
}
