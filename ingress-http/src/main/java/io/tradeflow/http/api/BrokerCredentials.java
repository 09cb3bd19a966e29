package io.tradeflow.http.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradeflow.core.event.BrokerKind;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The fields of the product documents' flat registration bodies, next to {@code label} and {@code credentials}. */
    static final Set<String> FLAT_FIELDS = Set.of("email", "username", "password", "server", "mode", "environment",
            "account_number", "api_key", "platform", "symbol_suffix");
    /** A TradeLocker backend host as the documents send it in {@code server}: it names the environment. */
    private static final Pattern TRADELOCKER_HOST = Pattern.compile("(?i)(?:https?://)?(demo|live)\\.tradelocker\\.com/?");

    /**
     * The credentials of a flat body, {@code {email, password, server, mode}} (TradeFlow's backend
     * requirements) or {@code {username, password, server}} (the frontend's integration guide), in
     * the nested shape {@link #validate} stores; errors name the flat field. {@code mode} (or
     * {@code environment}) is the environment, {@code demo} (default) or {@code live}; a TradeLocker
     * {@code server} given as its host ({@code demo.tradelocker.com}) names the environment, and the
     * TradeLocker server to log in to is then {@code defaultTradeLockerServer} (config
     * {@code brokers.tradelocker-server}). ProjectX takes its API key as {@code password} (or
     * {@code api_key}); a MetaTrader account's {@code username} is its login and its password is
     * not needed (the EA proves the account), so it is dropped, never stored.
     */
    static ObjectNode flat(BrokerKind broker, JsonBody body, String defaultTradeLockerServer) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        String mode = mode(body);
        switch (broker) {
            case PAPER:
                body.allowOnly(Set.of("label", "mode"));
                if ("live".equals(mode)) {
                    throw ApiException.invalid("mode", "a paper account is simulated: mode must be demo");
                }
                break;
            case TRADELOCKER: {
                body.allowOnly(Set.of("label", "email", "username", "password", "server", "mode", "environment",
                        "account_number"));
                out.put("email", login(body, "email"));
                out.put("password", secret(body, "password", "password"));
                String server = body.text("server", MAX);
                Matcher host = TRADELOCKER_HOST.matcher(server);
                if (host.matches()) {
                    String environment = host.group(1).toLowerCase(Locale.ROOT);
                    if (mode != null && !mode.equals(environment)) {
                        throw ApiException.invalid(body.has("mode") ? "mode" : "environment",
                                "mode " + mode + " contradicts server " + server);
                    }
                    if (defaultTradeLockerServer.isEmpty()) {
                        throw ApiException.invalid("server", server + " names only the environment: send the"
                                + " TradeLocker server name as on its login screen, with mode demo or live");
                    }
                    mode = environment;
                    server = defaultTradeLockerServer;
                } else if (server.contains("/")) {
                    throw ApiException.invalid("server", "server must be demo.tradelocker.com, live.tradelocker.com"
                            + " or the TradeLocker server name");
                }
                out.put("server", server);
                out.put("environment", mode == null ? "demo" : mode);
                String accNum = body.optionalText("account_number", 32);
                if (accNum != null) {
                    out.put("account_number", accNum);
                }
                break;
            }
            case PROJECTX:
                body.allowOnly(Set.of("label", "username", "email", "password", "api_key", "server", "mode", "environment"));
                out.put("username", login(body, "username"));
                if (body.has("password") && body.has("api_key")) {
                    throw ApiException.invalid("api_key", "send the ProjectX API key as password or api_key, not both");
                }
                out.put("api_key", body.has("api_key") ? secret(body, "api_key", "api_key") : secret(body, "password", "password"));
                body.optionalText("server", MAX);
                break;
            case MTX: {
                body.allowOnly(Set.of("label", "username", "account_number", "password", "server", "mode", "environment",
                        "platform", "symbol_suffix"));
                String field = body.has("account_number") ? "account_number" : "username";
                String mtLogin = body.text(field, 32);
                if (!mtLogin.chars().allMatch(Character::isDigit)) {
                    throw ApiException.invalid(field, field + " must be the MetaTrader login (digits)");
                }
                body.optionalTextAllowEmpty("password", MAX);
                out.put("account_number", mtLogin);
                String server = body.optionalText("server", MAX);
                out.put("server", server == null ? "" : server);
                String platform = body.optionalText("platform", 8);
                if (platform != null && !Set.of("mt4", "mt5").contains(platform)) {
                    throw ApiException.invalid("platform", "platform must be one of mt4, mt5");
                }
                out.put("platform", platform == null ? "mt5" : platform);
                String suffix = body.optionalText("symbol_suffix", 16);
                if (suffix != null) {
                    out.put("symbol_suffix", suffix);
                }
                break;
            }
            default:
                throw ApiException.invalid("broker", "unsupported broker");
        }
        if (mode != null && broker != BrokerKind.TRADELOCKER) {
            out.put("environment", mode);
        }
        return out;
    }

    /** {@code mode} or {@code environment} (not both): {@code demo} or {@code live}, lower-cased; null when absent. */
    private static String mode(JsonBody body) {
        if (body.has("mode") && body.has("environment")) {
            throw ApiException.invalid("environment", "send mode or environment, not both");
        }
        String field = body.has("environment") ? "environment" : "mode";
        String mode = body.optionalText(field, 16);
        if (mode == null) {
            return null;
        }
        mode = mode.toLowerCase(Locale.ROOT);
        if (!mode.equals("demo") && !mode.equals("live")) {
            throw ApiException.invalid(field, field + " must be one of demo, live");
        }
        return mode;
    }

    /** The login: {@code preferred} or the other of email/username (the documents use both), required. */
    private static String login(JsonBody body, String preferred) {
        String other = preferred.equals("email") ? "username" : "email";
        if (body.has(preferred) && body.has(other)) {
            throw ApiException.invalid(other, "send " + preferred + " or " + other + ", not both");
        }
        if (!body.has(preferred) && !body.has(other)) {
            throw ApiException.invalid(preferred, preferred + " is required");
        }
        return body.has(preferred) ? body.text(preferred, MAX) : body.text(other, MAX);
    }

    private static String secret(JsonBody body, String field, String name) {
        String value = body.optionalTextAllowEmpty(field, MAX);
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(name, name + " is required");
        }
        return value;
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
