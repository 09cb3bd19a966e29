package io.tradeflow.core.state;

import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper accounts' pending limit and stop orders, indexed by symbol so a price tick looks only at
 * its own symbol's orders. Each symbol's list is in order-id order (ids only grow), which is the
 * order the trigger pass fills them in. Owned by the ring thread like the rest of the state; a
 * journal replay rebuilds it from the records that placed, cancelled and filled the orders.
 */
public final class PendingOrders {
    private static final List<PendingOrder> NONE = List.of();

    private final Int2ObjectHashMap<List<PendingOrder>> bySymbol = new Int2ObjectHashMap<>();
    private int size;

    /** Records the pending order an accepted alert placed ({@code e.orderId}, its order price and side). */
    public PendingOrder add(RingEvent e, int symbolId, double lots) {
        PendingOrder order = new PendingOrder(e, symbolId, lots);
        List<PendingOrder> list = bySymbol.get(symbolId);
        if (list == null) {
            list = new ArrayList<>();
            bySymbol.put(symbolId, list);
        }
        int at = list.size();
        while (at > 0 && list.get(at - 1).orderId() > order.orderId()) {
            at--;
        }
        list.add(at, order);
        size++;
        return order;
    }

    /** The symbol's pending orders in order-id order; do not modify. */
    public List<PendingOrder> ofSymbol(int symbolId) {
        List<PendingOrder> list = bySymbol.get(symbolId);
        return list == null ? NONE : list;
    }

    /** Removes the order (filled); false when it was not pending. */
    public boolean remove(int symbolId, long orderId) {
        List<PendingOrder> list = bySymbol.get(symbolId);
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).orderId() == orderId) {
                    list.remove(i);
                    size--;
                    return true;
                }
            }
        }
        return false;
    }

    /** Cancels the account's orders of one symbol, of one side when {@code side} is not null; returns how many. */
    public int cancel(long accountId, int symbolId, Side side) {
        List<PendingOrder> list = bySymbol.get(symbolId);
        if (list == null) {
            return 0;
        }
        int removed = 0;
        for (int i = list.size() - 1; i >= 0; i--) {
            PendingOrder o = list.get(i);
            if (o.accountId() == accountId && (side == null || o.side() == side)) {
                list.remove(i);
                removed++;
            }
        }
        size -= removed;
        return removed;
    }

    /** Cancels every pending order of the account (close_all); returns how many. */
    public int cancelAll(long accountId) {
        int removed = 0;
        for (List<PendingOrder> list : bySymbol.values()) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).accountId() == accountId) {
                    list.remove(i);
                    removed++;
                }
            }
        }
        size -= removed;
        return removed;
    }

    /** Every pending order, sorted by order id (snapshots and tests). */
    public List<PendingOrder> all() {
        List<PendingOrder> all = new ArrayList<>(size);
        for (List<PendingOrder> list : bySymbol.values()) {
            all.addAll(list);
        }
        all.sort((a, b) -> Long.compare(a.orderId(), b.orderId()));
        return all;
    }

    public int size() {
        return size;
    }
}
