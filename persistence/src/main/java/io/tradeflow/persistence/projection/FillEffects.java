package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a batch's fills leave in the positions, daily_pnl and users rows, collapsed to one write
 * per key, so each table takes one set-based statement per batch instead of one statement per fill
 * (a busy batch holds many fills of the same position, day and user).
 *
 * <p>A fill carries absolute values, so of several fills of one key the last in journal order wins.
 * Each row also records the journal index of its last writer, which later trailing-stop moves of
 * the batch compare against. A close-all zeroes every open position of its account at that moment: positions written earlier
 * in the batch are zeroed here, in Java; rows from earlier batches are zeroed by one update per
 * account, run before the position upserts with the account's FIRST close-all time (a later
 * close-all finds those rows already at zero, as it did when each fill was applied in turn), and
 * any position the batch wrote after it overrides the zeroed row. The rows end up exactly as they
 * did when every fill was its own statement.
 */
final class FillEffects {
    /** A position row to upsert. */
    record PositionWrite(long accountId, String symbol, double quantity, double averagePrice, double stopLoss,
                         double takeProfit, double trailDistance, long journalIndex, OffsetDateTime at, int entries) {
    }

    /** A day's realised P&amp;L to upsert. */
    record DailyPnlWrite(long accountId, long tradingDay, double realized) {
    }

    private record PositionKey(long accountId, String symbol) {
    }

    private record DayKey(long accountId, long tradingDay) {
    }

    private final Map<PositionKey, PositionWrite> positions = new LinkedHashMap<>();
    private final Map<Long, FillRecord> flattenedAccounts = new LinkedHashMap<>();
    private final Map<DayKey, DailyPnlWrite> dailyPnl = new LinkedHashMap<>();
    private final Map<Long, Integer> tradesUsed = new LinkedHashMap<>();
    private final Map<Long, Double> realizedTotals = new LinkedHashMap<>();

    /** The effects of {@code fills}, given in journal order. */
    static FillEffects of(Iterable<FillRecord> fills) {
        FillEffects effects = new FillEffects();
        for (FillRecord f : fills) {
            effects.apply(f);
        }
        return effects;
    }

    private void apply(FillRecord f) {
        if (f.flattensAccount()) {
            flattenedAccounts.putIfAbsent(f.accountId(), f);
            positions.replaceAll((key, p) -> p.accountId() == f.accountId() && p.quantity() != 0
                    ? new PositionWrite(p.accountId(), p.symbol(), 0, 0, 0, 0, 0, f.journalIndex(), f.at(), 0)
                    : p);
        } else {
            positions.put(new PositionKey(f.accountId(), f.symbol()), new PositionWrite(f.accountId(), f.symbol(),
                    f.positionQuantity(), f.positionAveragePrice(), f.stopLoss(), f.takeProfit(), f.trailDistance(),
                    f.journalIndex(), f.at(), f.positionQuantity() == 0 ? 0 : f.positionEntries()));
        }
        dailyPnl.put(new DayKey(f.accountId(), f.tradingDay()),
                new DailyPnlWrite(f.accountId(), f.tradingDay(), f.dayRealizedPnl()));
        tradesUsed.put(f.userId(), f.tradesUsed());
        realizedTotals.put(f.accountId(), f.accountRealizedPnl());
    }

    /** Each account's realised total after its last fill of the batch (absolute, like the day's). */
    Map<Long, Double> realizedTotals() {
        return realizedTotals;
    }

    /** Accounts closed out by a close-all, each with its first close-all (its time and journal index). */
    Map<Long, FillRecord> flattenedAccounts() {
        return flattenedAccounts;
    }

    /** One row per (account, symbol): its last value in the batch. */
    Collection<PositionWrite> positions() {
        return positions.values();
    }

    /** One row per (account, trading day): its last value in the batch. */
    Collection<DailyPnlWrite> dailyPnl() {
        return dailyPnl.values();
    }

    /** Trades used per user: the last value in the batch. */
    Map<Long, Integer> tradesUsed() {
        return tradesUsed;
    }
}
