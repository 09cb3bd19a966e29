package io.tradeflow.persistence.projection;

/**
 * A cancel (of one symbol, and one side when {@code side} is not null) or a close-all
 * ({@code symbol} null): marks the account's orders still pending that were placed before it as
 * 'cancelled'. Orders placed later in the same batch keep their state, whatever the statement order.
 */
record CancelRecord(long accountId, String symbol, String side, long journalIndex) {
}
