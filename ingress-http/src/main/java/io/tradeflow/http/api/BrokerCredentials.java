package io.tradeflow.http.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.core.event.BrokerKind;

import java.util.Set;
import java.util.TreeSet;

/**
 * What each broker needs to connect, validated field by field ({@code credentials.password}, ...).
 * Paper needs nothing. The validated fields are what gets encrypted and stored (for MetaTrader with
 * the EA license token the router issues), and what {@code BrokerLogins} logs in with.
 */
final class BrokerCredentials {
    private static final int MAX = 256;

    private BrokerCredentials() {
    }

    static ObjectNode validate(BrokerKind broker, JsonBody credentials) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (broker) {
            case PAPER:
                credentials.allowOnly(Set.of());
                break;
            case TRADELOCKER:
                credentials.allowOnly(Set.of("email", "password", "server", "environment", "account_number"));
                out.put("email", credentials.text("email", MAX));
                out.put("password", secret(credentials, "password"));
                out.put("server", credentials.text("server", MAX));
                out.put("environment", oneOf(credentials, "environment", Set.of("demo", "live")));
                String accNum = credentials.optionalText("account_number", 32);
                if (accNum != null) {
                    out.put("account_number", accNum);
                }
                break;
            case PROJECTX:
                credentials.allowOnly(Set.of("username", "api_key"));
                out.put("username", credentials.text("username", MAX));
                out.put("api_key", secret(credentials, "api_key"));
                break;
            case MTX:
                credentials.allowOnly(Set.of("account_number", "server", "platform", "symbol_suffix"));
                String login = credentials.text("account_number", 32);
                if (!login.chars().allMatch(Character::isDigit)) {
                    throw ApiException.invalid("credentials.account_number", "credentials.account_number must be digits");
                }
                out.put("account_number", login);
                out.put("server", credentials.text("server", MAX));
                out.put("platform", oneOf(credentials, "platform", Set.of("mt4", "mt5")));
                String suffix = credentials.optionalText("symbol_suffix", 16);
                if (suffix != null) {
                    out.put("symbol_suffix", suffix);
                }
                break;
            default:
                throw ApiException.invalid("broker", "unsupported broker");
        }
        return out;
    }

    private static String secret(JsonBody credentials, String field) {
        String value = credentials.optionalTextAllowEmpty(field, MAX);
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid("credentials." + field, "credentials." + field + " is required");
        }
        return value;
    }

    private static String oneOf(JsonBody credentials, String field, Set<String> allowed) {
        String value = credentials.text(field, MAX);
        if (!allowed.contains(value)) {
            throw ApiException.invalid("credentials." + field, "credentials." + field + " must be one of "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
        return value;
    }
}
