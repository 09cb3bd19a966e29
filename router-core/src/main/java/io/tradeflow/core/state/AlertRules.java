package io.tradeflow.core.state;

import io.tradeflow.config.AlertSettings;
import org.agrona.collections.Int2IntHashMap;

import java.nio.charset.StandardCharsets;

/**
 * An account's alert settings in the form the stages use without allocating: the symbol map as
 * interned symbol ids, windows as milliseconds.
 */
public final class AlertRules {
    static final int UNMAPPED = -1;

    private final AlertSettings settings;
    private final Int2IntHashMap symbolMap = new Int2IntHashMap(UNMAPPED);
    private final byte[] suffix;
    private final long duplicateWindowMillis;
    private final long maxSignalAgeMillis;
    private final long idempotencyWindowMillis;

    AlertRules(AlertSettings settings, SymbolTable symbols) {
        this.settings = settings;
        settings.symbolMap().forEach((from, to) -> symbolMap.put(symbols.intern(from), symbols.intern(to)));
        this.suffix = settings.symbolSuffix().getBytes(StandardCharsets.US_ASCII);
        this.duplicateWindowMillis = settings.duplicateWindow().toMillis();
        this.maxSignalAgeMillis = settings.maxSignalAge().toMillis();
        this.idempotencyWindowMillis = settings.idempotencyWindow().toMillis();
    }

    public AlertSettings settings() {
        return settings;
    }

    /** The instrument id a ticker id maps to, or -1 when the map has no entry for it. */
    public int mapped(int tickerId) {
        return symbolMap.get(tickerId);
    }

    public byte[] suffix() {
        return suffix;
    }

    public int pyramiding() {
        return settings.pyramiding();
    }

    public long duplicateWindowMillis() {
        return duplicateWindowMillis;
    }

    public long maxSignalAgeMillis() {
        return maxSignalAgeMillis;
    }

    public long idempotencyWindowMillis() {
        return idempotencyWindowMillis;
    }
}
