package io.tradeflow.http;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the operations endpoints report, read at request time.
 *
 * @param ready      whether state is rebuilt and the ring runs ({@code /ready})
 * @param databaseUp whether the projection last reached the database ({@code /ready})
 * @param metrics    the Prometheus exposition ({@code /metrics})
 */
public record OpsEndpoints(BooleanSupplier ready, BooleanSupplier databaseUp, Supplier<String> metrics) {
}
