package io.tradeflow.persistence.projection;

/**
 * A price that moves trailing stops, as the router did after the record that carried it: every
 * paper account's for a feed price ({@code accountId} null), only the sender's for an alert's price.
 * Applied with greatest/least, so the order of several prices of one batch does not matter.
 */
record TrailRecord(String symbol, double price, Long accountId, long journalIndex) {
}
