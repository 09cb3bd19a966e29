package io.tradeflow.core.state;

import io.tradeflow.core.event.AsciiField;

import java.util.Arrays;

/**
 * Interns symbols to small ints so positions and prices can live in primitive maps. A symbol is
 * allocated once, the first time it is seen; later lookups do not allocate.
 */
public final class SymbolTable {
    private static final int NOT_FOUND = -1;

    private int[] slots = new int[256];
    private byte[][] symbols = new byte[64][];
    private String[] names = new String[64];
    private double[] lastPrices = new double[64];
    private int size;

    public SymbolTable() {
        Arrays.fill(slots, NOT_FOUND);
    }

    /** The id of the symbol, interning it on first sight. */
    public int intern(AsciiField symbol) {
        int mask = slots.length - 1;
        int slot = symbol.contentHash() & mask;
        while (slots[slot] != NOT_FOUND) {
            int id = slots[slot];
            if (symbol.contentEquals(symbols[id])) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == symbols.length) {
            symbols = Arrays.copyOf(symbols, id * 2);
            names = Arrays.copyOf(names, id * 2);
            lastPrices = Arrays.copyOf(lastPrices, id * 2);
        }
        symbols[id] = Arrays.copyOf(symbol.array(), symbol.length());
        names[id] = symbol.toString();
        slots[slot] = id;
        if (size * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    public int intern(String symbol) {
        AsciiField field = new AsciiField(symbol.length());
        field.set(symbol);
        return intern(field);
    }

    /** The symbol's bytes (exactly its length); do not modify. */
    public byte[] bytes(int id) {
        return symbols[id];
    }

    public String name(int id) {
        return names[id];
    }

    public int size() {
        return size;
    }

    /** The last price seen for the symbol, 0 when none. */
    public double lastPrice(int id) {
        return lastPrices[id];
    }

    public void lastPrice(int id, double price) {
        lastPrices[id] = price;
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        Arrays.fill(bigger, NOT_FOUND);
        int mask = bigger.length - 1;
        for (int id = 0; id < size; id++) {
            AsciiField probe = new AsciiField(symbols[id].length);
            probe.set(symbols[id], 0, symbols[id].length);
            int slot = probe.contentHash() & mask;
            while (bigger[slot] != NOT_FOUND) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = id;
        }
        slots = bigger;
    }
}
