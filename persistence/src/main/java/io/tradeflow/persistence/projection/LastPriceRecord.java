package io.tradeflow.persistence.projection;

import java.time.OffsetDateTime;

/** A symbol's newest price in a batch (one per symbol: later prices replace earlier ones before writing). */
record LastPriceRecord(String symbol, double price, OffsetDateTime at) {
}
