package io.tradeflow.persistence.projection;

/** A broker refused a router order after it was answered as submitted: its webhook-log row says why. */
record BrokerRefusalRecord(long accountId, long orderId, String reason, String outcome, int httpStatus) {
}
