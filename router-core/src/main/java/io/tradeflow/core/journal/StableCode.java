package io.tradeflow.core.journal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The byte an enum constant is written as in the journal, fixed forever, independent of the
 * constant's position in its enum: reordering or inserting constants cannot change what an
 * existing journal means. Every constant must be given a code, so a constant added to the enum
 * without one fails as soon as the codec is loaded (and {@code JournalCodesTest} says which).
 *
 * @param <E> the journaled enum
 */
final class StableCode<E extends Enum<E>> {
    private final String name;
    private final List<E> byCode;
    private final byte[] codeByOrdinal;

    /**
     * @param name      what the codes are, for error messages ("event type")
     * @param type      the enum
     * @param byCode    the constants in code order: {@code byCode.get(c)} is written as byte {@code c}.
     *                  Append new constants at the end; never reorder or remove one (a retired
     *                  constant keeps its slot).
     */
    StableCode(String name, Class<E> type, List<E> byCode) {
        this(name, type, byCode, Set.of());
    }

    /**
     * @param neverJournaled constants that exist only on the ring and are never written (they get no code, and
     *                       encoding one fails)
     */
    StableCode(String name, Class<E> type, List<E> byCode, Set<E> neverJournaled) {
        this.name = name;
        this.byCode = List.copyOf(byCode);
        E[] constants = type.getEnumConstants();
        this.codeByOrdinal = new byte[constants.length];
        Arrays.fill(codeByOrdinal, (byte) -1);
        if (byCode.size() > Byte.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": more than " + Byte.MAX_VALUE + " codes");
        }
        for (int code = 0; code < byCode.size(); code++) {
            E constant = byCode.get(code);
            if (codeByOrdinal[constant.ordinal()] != -1) {
                throw new IllegalArgumentException(name + ": " + constant + " is given two codes");
            }
            codeByOrdinal[constant.ordinal()] = (byte) code;
        }
        for (E constant : constants) {
            if (codeByOrdinal[constant.ordinal()] == -1 && !neverJournaled.contains(constant)) {
                throw new IllegalArgumentException(name + ": " + type.getSimpleName() + "." + constant
                        + " has no journal code; append it to the codes in JournalCodes");
            }
        }
    }

    byte code(E constant) {
        byte code = codeByOrdinal[constant.ordinal()];
        if (code < 0) {
            throw new IllegalArgumentException(name + ": " + constant + " is never journaled");
        }
        return code;
    }

    /** The constant written as {@code code}; an unknown code means a corrupt or newer journal. */
    E fromCode(int code) {
        if (code < 0 || code >= byCode.size()) {
            throw new IllegalStateException("corrupt or newer journal record: unknown " + name + " code " + code
                    + " (known: 0.." + (byCode.size() - 1) + ")");
        }
        return byCode.get(code);
    }

    String name() {
        return name;
    }

    int size() {
        return byCode.size();
    }
}
