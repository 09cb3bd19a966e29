package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/**
 * An executed order with the account's state after it (absolute values, so applying it twice
 * leaves the same rows). A close-all order ({@code flattensAccount}) closed every position of the
 * account: it has no single symbol or position of its own. {@code strategy} is null when the fill's
 * event carries no tag (a broker's report, a dashboard close): the store then takes its intent's.
 * {@code fillsPending}: the fill of a pending order whose row already exists (it is updated, not inserted);
 * {@code reason} says why the router filled it itself (null for an alert's fill). {@code positionEntries}
 * is how many entries built the position (what pyramiding counts), for the position row.
 * {@code accountRealizedPnl} is everything the account has realised after this fill (start-up reads it back).
 */
record FillRecord(long orderId, long journalIndex, long accountId, long userId, String symbol, String side,
                  double quantity, double fillPrice, double commission, double realizedPnl, OffsetDateTime at,
                  double positionQuantity, double positionAveragePrice, long tradingDay, double dayRealizedPnl,
                  int tradesUsed, boolean flattensAccount, double stopLoss, double takeProfit,
                  String strategy, String orderType, double orderPrice, String reason, double trailDistance,
                  boolean fillsPending, int positionEntries, double accountRealizedPnl) {
}
