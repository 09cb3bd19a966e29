package io.tradeflow.http;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the operations endpoints report, read at request time.
 *
 * @param ready      whether state is rebuilt and the ring runs ({@code /ready})
 * @param databaseUp whether the projection last reached the database ({@code /ready})
 * @param metrics    the Prometheus exposition ({@code /metrics})
 * @param failure    why the router stopped deciding (a journal append failed), or null while it runs ({@code /ready})
 */
public record OpsEndpoints(BooleanSupplier ready, BooleanSupplier databaseUp, Supplier<String> metrics,
                           Supplier<String> failure) {
    public OpsEndpoints(BooleanSupplier ready, BooleanSupplier databaseUp, Supplier<String> metrics) {
        this(ready, databaseUp, metrics, () -> null);
    }
}
