package io.tradeflow.config;

import java.nio.file.Path;

/**
 * A setting the operator supplied cannot be used. The message is written for the operator and always names the
 * offending key, so start-up failures can be fixed without reading a stack trace; the accessors let callers (and
 * tests) inspect the parts.
 */
public final class InvalidConfigException extends RuntimeException {

    /** Key reported for problems with the operator file as a whole rather than one setting in it. */
    static final String CONFIG_FILE_KEY = "config-file";

    private final String key;
    private final String value;
    private final String allowed;

    /**
     * Reports a value outside what {@code key} allows, as
     * {@code invalid config <key> = <value>: must be <allowed>}.
     *
     * @param key     HOCON path of the setting, e.g. {@code http.port}
     * @param value   the value as the operator gave it
     * @param allowed what would have been accepted, phrased to follow "must be", e.g.
     *                {@code an integer between 0 and 65535}
     */
    public InvalidConfigException(String key, String value, String allowed) {
        this(key, value, allowed, null);
    }

    InvalidConfigException(String key, String value, String allowed, Throwable cause) {
        this(key, value, allowed, "invalid config " + key + " = " + value + ": must be " + allowed, cause);
    }

    private InvalidConfigException(String key, String value, String allowed, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.value = value;
        this.allowed = allowed;
    }

    /** A key that reference.conf does not define, almost always a typo that would otherwise be silently ignored. */
    static InvalidConfigException unknownKey(String key, String value, String source) {
        return new InvalidConfigException(key, value, "a key defined in reference.conf",
                "unknown key '" + key + "' in " + source + ": not a TradeFlow setting (see reference.conf)", null);
    }

    /** The operator file exists but is not valid HOCON, or refers to a substitution that cannot be resolved. */
    static InvalidConfigException unreadableFile(Path file, Throwable cause) {
        return new InvalidConfigException(CONFIG_FILE_KEY, file.toString(), "a valid HOCON file",
                "cannot read config file " + file + ": " + cause.getMessage(), cause);
    }

    /** HOCON path of the offending setting. */
    public String key() {
        return key;
    }

    /** The offending value as given (secrets are redacted). */
    public String value() {
        return value;
    }

    /** What the setting accepts, phrased to follow "must be". */
    public String allowed() {
        return allowed;
    }
}
