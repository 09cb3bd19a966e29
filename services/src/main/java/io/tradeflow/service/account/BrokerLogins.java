package io.tradeflow.service.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.broker.api.BrokerCredentials;
import io.tradeflow.broker.mtx.MtxCredentials;
import io.tradeflow.broker.projectx.ProjectXCredentials;
import io.tradeflow.broker.tradelocker.TradeLockerCredentials;
import io.tradeflow.config.BrokersConfig;
import io.tradeflow.core.event.BrokerKind;

import java.net.URI;

/**
 * Turns the credentials the dashboard stores for an account (the validated JSON fields, see the
 * README's register endpoint) into what a broker connector logs in with. Which backend an account
 * talks to comes from configuration, never from the user, so a user cannot point the router at an
 * address of their choosing.
 */
final class BrokerLogins {
    /** The field of a MetaTrader account's stored credentials holding the token its EA authenticates with. */
    static final String LICENSE_TOKEN = "license_token";

    private final BrokersConfig config;

    BrokerLogins(BrokersConfig config) {
        this.config = config;
    }

    /** The connector credentials for the stored fields; fails on fields that cannot have been stored by the dashboard. */
    BrokerCredentials of(BrokerKind broker, ObjectNode stored) {
        switch (broker) {
            case TRADELOCKER:
                URI backend = "live".equals(text(stored, "environment"))
                        ? config.tradeLockerLiveUrl() : config.tradeLockerDemoUrl();
                return new TradeLockerCredentials(backend, text(stored, "email"), text(stored, "password"),
                        text(stored, "server"), text(stored, "account_number"));
            case PROJECTX:
                return new ProjectXCredentials(config.projectXUrl(), text(stored, "username"), text(stored, "api_key"), null);
            case MTX:
                return new MtxCredentials(text(stored, LICENSE_TOKEN), text(stored, "symbol_suffix"));
            default:
                throw new IllegalArgumentException(broker.wireName() + " accounts need no credentials");
        }
    }

    private static String text(ObjectNode stored, String field) {
        JsonNode value = stored.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
