package io.tradeflow.core.state;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.AsciiField;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Map;

/**
 * Instrument specifications by interned symbol id. An instrument is found by its exact name, else
 * without a broker suffix ({@code EURUSD.M} → {@code EURUSD}), else as a dated futures contract's
 * root ({@code MNQZ6}, {@code ESH27} → {@code MNQ}, {@code ES}).
 */
public final class InstrumentTable {
    private static final String MONTH_CODES = "FGHJKMNQUVXZ";

    private final SymbolTable symbols;
    private final Int2ObjectHashMap<InstrumentSpec> byId = new Int2ObjectHashMap<>();
    private final AsciiField scratch = new AsciiField(32);

    InstrumentTable(Map<String, InstrumentSpec> specs, SymbolTable symbols) {
        this.symbols = symbols;
        specs.values().forEach(spec -> byId.put(symbols.intern(spec.symbol()), spec));
    }

    /** Money per lot for a price move of 1.0: the instrument's point value, or 1 (one unit) when unknown. */
    public double pointValue(AsciiField instrument) {
        InstrumentSpec spec = find(instrument);
        return spec == null ? 1 : spec.pointValue();
    }

    /** The instrument's specification, or null when the table does not know it. */
    public InstrumentSpec find(AsciiField instrument) {
        if (byId.isEmpty() || instrument.isEmpty()) {
            return null;
        }
        InstrumentSpec spec = byId.get(symbols.intern(instrument));
        if (spec != null) {
            return spec;
        }
        byte[] bytes = instrument.array();
        int length = instrument.length();
        for (int i = 1; i < length; i++) {
            if (bytes[i] == '.') {
                scratch.set(bytes, 0, i);
                spec = byId.get(symbols.intern(scratch));
                if (spec != null) {
                    return spec;
                }
                length = i;
                break;
            }
        }
        int digits = 0;
        while (digits < 2 && digits < length && bytes[length - 1 - digits] >= '0' && bytes[length - 1 - digits] <= '9') {
            digits++;
        }
        int month = length - digits - 1;
        if (digits > 0 && month > 0 && MONTH_CODES.indexOf(bytes[month]) >= 0) {
            scratch.set(bytes, 0, month);
            return byId.get(symbols.intern(scratch));
        }
        return null;
    }
}
