package io.tradeflow.core.state;

import io.tradeflow.config.InstrumentSpec;
import io.tradeflow.core.event.AsciiField;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Net positions per (account, symbol), with average-price accounting of realised P&amp;L. */
public final class PositionBook {
    /** Quantities closer to zero than this are flat (guards against floating-point dust). */
    private static final double EPSILON = 1e-9;

    private final Long2ObjectHashMap<Position> positions = new Long2ObjectHashMap<>();
    /**
     * Every position of a symbol, sorted by account id, so a price tick looks only at its symbol's
     * positions, in a deterministic order. Positions are never removed (as in {@link #positions}).
     */
    private final Int2ObjectHashMap<List<Position>> bySymbol = new Int2ObjectHashMap<>();
    private static final List<Position> NO_POSITIONS = List.of();

    private static long key(long accountId, int symbolId) {
        return (accountId << 20) | symbolId;
    }

    /** The position, or null when the account never traded the symbol. */
    public Position get(long accountId, int symbolId) {
        return positions.get(key(accountId, symbolId));
    }

    public double quantity(long accountId, int symbolId) {
        Position p = get(accountId, symbolId);
        return p == null ? 0 : p.quantity;
    }

    /**
     * Applies a fill to the position and returns the price change realised by the part that reduced
     * it, times the lots closed (multiply by the instrument's point value for money; before
     * commission). Keeps the account's open-position count in step.
     */
    public double applyFill(AccountState account, int symbolId, double signedQuantity, double price) {
        Position p = positionFor(account.accountId(), symbolId);
        double before = p.quantity;
        double after = before + signedQuantity;
        if (Math.abs(after) < EPSILON) {
            after = 0;
        }
        double realized = 0;
        if (before == 0 || Math.signum(before) == Math.signum(signedQuantity)) {
            p.averagePrice = (p.averagePrice * Math.abs(before) + price * Math.abs(signedQuantity)) / Math.abs(after);
        } else {
            double closed = Math.min(Math.abs(signedQuantity), Math.abs(before));
            realized = closed * (price - p.averagePrice) * Math.signum(before);
            if (after == 0) {
                p.averagePrice = 0;
            } else if (Math.signum(after) != Math.signum(before)) {
                p.averagePrice = price;
            }
        }
        p.quantity = after;
        if (after == 0 || (before != 0 && Math.signum(after) != Math.signum(before))) {
            // Protection set for one direction means nothing for the other.
            p.stopLoss = 0;
            p.takeProfit = 0;
            p.trailDistance = 0;
        }
        if (after == 0) {
            p.entries = 0;
        } else if (before == 0 || Math.signum(after) != Math.signum(before)) {
            p.entries = 1;
        } else if (Math.signum(before) == Math.signum(signedQuantity)) {
            p.entries++;
        }
        trackOpenCount(account, before, after);
        return realized;
    }

    /** Sets the position's stop-loss and take-profit prices (0 = none); a flat position keeps none. The trail is kept. */
    public void protect(long accountId, int symbolId, double stopLoss, double takeProfit) {
        Position p = positions.get(key(accountId, symbolId));
        if (p != null && p.quantity != 0) {
            p.stopLoss = stopLoss;
            p.takeProfit = takeProfit;
        }
    }

    /** Sets stop loss, take profit and trailing distance (0 = none) of an open position. */
    public void protect(long accountId, int symbolId, double stopLoss, double takeProfit, double trailDistance) {
        Position p = positions.get(key(accountId, symbolId));
        if (p != null && p.quantity != 0) {
            p.stopLoss = stopLoss;
            p.takeProfit = takeProfit;
            p.trailDistance = trailDistance;
        }
    }

    /** Moves a trailing stop (the trigger pass; it never moves back, the caller checks). */
    public void trail(Position p, double stopLoss) {
        p.stopLoss = stopLoss;
    }

    /** The symbol's positions (open or flat), sorted by account id; do not modify. */
    public List<Position> ofSymbol(int symbolId) {
        List<Position> list = bySymbol.get(symbolId);
        return list == null ? NO_POSITIONS : list;
    }

    /** Restores from a source that does not know entry counts (the database): an open position counts as one entry. */
    public void restore(AccountState account, int symbolId, double quantity, double averagePrice) {
        restore(account, symbolId, quantity, averagePrice, 1);
    }

    public void restore(AccountState account, int symbolId, double quantity, double averagePrice, int entries) {
        Position p = positionFor(account.accountId(), symbolId);
        double before = p.quantity;
        p.quantity = Math.abs(quantity) < EPSILON ? 0 : quantity;
        p.averagePrice = p.quantity == 0 ? 0 : averagePrice;
        p.entries = p.quantity == 0 ? 0 : Math.max(1, entries);
        if (p.quantity == 0) {
            p.stopLoss = 0;
            p.takeProfit = 0;
            p.trailDistance = 0;
        }
        trackOpenCount(account, before, p.quantity);
    }

    /** Open P&amp;L of the account's positions at each symbol's last price: lots × price change × point value. */
    public double unrealizedPnl(long accountId, SymbolTable symbols, InstrumentTable instruments, AsciiField scratch) {
        double total = 0;
        for (Position p : positions.values()) {
            if (p.accountId() == accountId && p.quantity != 0) {
                double last = symbols.lastPrice(p.symbolId());
                if (last > 0) {
                    byte[] name = symbols.bytes(p.symbolId());
                    scratch.set(name, 0, name.length);
                    total += p.quantity * (last - p.averagePrice) * instruments.pointValue(scratch);
                }
            }
        }
        return total;
    }

    /**
     * The notional of the account's positions at their last prices (|quantity| × price × contract
     * size), leaving out one symbol (the one an order is about to change), or -1 to leave out none.
     */
    public double notional(long accountId, int exceptSymbolId, SymbolTable symbols, InstrumentTable instruments,
                           AsciiField scratch) {
        double total = 0;
        for (Position p : positions.values()) {
            if (p.accountId() == accountId && p.quantity != 0 && p.symbolId() != exceptSymbolId) {
                byte[] name = symbols.bytes(p.symbolId());
                scratch.set(name, 0, name.length);
                InstrumentSpec spec = instruments.find(scratch);
                double last = symbols.lastPrice(p.symbolId());
                total += Math.abs(p.quantity) * (last > 0 ? last : p.averagePrice) * (spec == null ? 1 : spec.contractSize());
            }
        }
        return total;
    }

    public void forEachOpen(long accountId, Consumer<Position> action) {
        for (Position p : positions.values()) {
            if (p.accountId() == accountId && !p.isFlat()) {
                action.accept(p);
            }
        }
    }

    public void forEach(Consumer<Position> action) {
        positions.values().forEach(action);
    }

    private Position positionFor(long accountId, int symbolId) {
        long key = key(accountId, symbolId);
        Position p = positions.get(key);
        if (p == null) {
            p = new Position(accountId, symbolId);
            positions.put(key, p);
            List<Position> list = bySymbol.get(symbolId);
            if (list == null) {
                list = new ArrayList<>();
                bySymbol.put(symbolId, list);
            }
            int at = 0;
            while (at < list.size() && list.get(at).accountId() < accountId) {
                at++;
            }
            list.add(at, p);
        }
        return p;
    }

    private static void trackOpenCount(AccountState account, double before, double after) {
        if (before == 0 && after != 0) {
            account.openPositionsDelta(1);
        } else if (before != 0 && after == 0) {
            account.openPositionsDelta(-1);
        }
    }
}
