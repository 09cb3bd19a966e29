package io.tradeflow.core.alert;

import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;

/** The one rule for what a symbol may look like, shared by every format. */
final class Symbols {
    private Symbols() {
    }

    /** Trims spaces, checks the alphabet, stores the symbol upper-cased; false with the event rejected otherwise. */
    static boolean set(char[] chars, int offset, int length, RingEvent e, String field) {
        while (length > 0 && chars[offset] == ' ') {
            offset++;
            length--;
        }
        while (length > 0 && chars[offset + length - 1] == ' ') {
            length--;
        }
        if (length == 0) {
            e.reject(Outcome.INVALID_PAYLOAD, field, "is required");
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '!' || c == '/' || c == '-';
            if (!ok) {
                e.reject(Outcome.INVALID_PAYLOAD, field, "may contain only letters, digits and . _ : ! / -");
                return false;
            }
        }
        if (!e.symbol.set(chars, offset, length, true)) {
            e.reject(Outcome.INVALID_PAYLOAD, field, "must be at most 32 characters");
            return false;
        }
        return true;
    }
}
