package io.tradeflow.core.stage;

import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.AlertFormat;
import io.tradeflow.core.event.AsciiField;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.state.AlertRules;
import io.tradeflow.core.state.RouterState;
import io.tradeflow.core.state.SymbolTable;

/**
 * The account's alert settings applied to a fresh signal: refuses a stale one (older than
 * {@code max_signal_age}), translates the TradingView ticker into the broker's instrument through
 * the symbol map, and refuses the same signal repeated within the duplicate window.
 */
public final class SignalStage {
    private final RouterState state;

    public SignalStage(RouterState state) {
        this.state = state;
    }

    public void onIntent(RingEvent e) {
        if (e.isDecided()) {
            return;
        }
        AccountState account = state.account(e.accountId);
        AlertRules rules = account.alertRules();
        long now = e.receivedAtMillis;
        if (rules.maxSignalAgeMillis() > 0 && e.signalTimeMillis > 0 && now - e.signalTimeMillis > rules.maxSignalAgeMillis()) {
            e.reject(Outcome.STALE_SIGNAL, e.format == AlertFormat.TRADERSPOST ? "time" : "ts",
                    "the signal is older than the account's max signal age");
            return;
        }
        if (!e.symbol.isEmpty()) {
            mapSymbol(e, rules);
        }
        if (rules.duplicateWindowMillis() > 0 && e.action != Action.CLOSE_ALL && !e.symbol.isEmpty()) {
            long last = state.lastSignalAt(signalKey(e));
            if (last != Long.MIN_VALUE && now - last < rules.duplicateWindowMillis()) {
                e.reject(Outcome.DUPLICATE, "signal",
                        "the same signal was accepted within the account's duplicate window");
            }
        }
    }

    /** Records an accepted signal's time for the duplicate window (live, and on journal replay). */
    public void onJournaled(RingEvent e) {
        if (e.type == EventType.INTENT && e.outcome == Outcome.ACCEPTED && e.repeatOfIndex == 0 && e.accountId != 0
                && !e.symbol.isEmpty() && e.action != Action.CLOSE_ALL) {
            state.signalAccepted(signalKey(e), e.receivedAtMillis);
        }
    }

    private long signalKey(RingEvent e) {
        int symbolId = state.symbols().intern(e.symbol);
        int sideBit = e.side == null ? 0 : e.side.ordinal() + 1;
        return ((e.accountId << 20 | symbolId) << 6) | ((long) e.action.ordinal() << 2) | sideBit;
    }

    /**
     * {@code symbol} becomes the instrument, {@code ticker} keeps what the alert said. Tried in order:
     * the whole ticker in the map; without its exchange prefix; a continuous future's root
     * ({@code NQ1!} → {@code NQ}); the first hit wins. Without a hit the stripped ticker gets the
     * account's suffix.
     */
    private void mapSymbol(RingEvent e, AlertRules rules) {
        SymbolTable symbols = state.symbols();
        AsciiField symbol = e.symbol;
        e.ticker.copyFrom(symbol);
        if (apply(symbols, rules, symbol)) {
            return;
        }
        byte[] bytes = symbol.array();
        int colon = -1;
        for (int i = 0; i < symbol.length(); i++) {
            if (bytes[i] == ':') {
                colon = i;
            }
        }
        if (colon >= 0 && colon < symbol.length() - 1) {
            symbol.set(bytes, colon + 1, symbol.length() - colon - 1);
            if (apply(symbols, rules, symbol)) {
                return;
            }
        }
        int length = symbol.length();
        if (length >= 3 && bytes[length - 1] == '!' && bytes[length - 2] >= '0' && bytes[length - 2] <= '9') {
            int root = length - 2;
            while (root > 0 && bytes[root - 1] >= '0' && bytes[root - 1] <= '9') {
                root--;
            }
            if (root > 0) {
                symbol.set(bytes, 0, root);
                if (apply(symbols, rules, symbol)) {
                    return;
                }
            }
        }
        byte[] suffix = rules.suffix();
        if (suffix.length > 0 && symbol.length() + suffix.length <= symbol.capacity() && !endsWith(symbol, suffix)) {
            System.arraycopy(suffix, 0, bytes, symbol.length(), suffix.length);
            symbol.set(bytes, 0, symbol.length() + suffix.length);
        }
    }

    private static boolean apply(SymbolTable symbols, AlertRules rules, AsciiField symbol) {
        int mapped = rules.mapped(symbols.intern(symbol));
        if (mapped < 0) {
            return false;
        }
        byte[] instrument = symbols.bytes(mapped);
        symbol.set(instrument, 0, instrument.length);
        return true;
    }

    private static boolean endsWith(AsciiField symbol, byte[] suffix) {
        int offset = symbol.length() - suffix.length;
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (symbol.byteAt(offset + i) != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
