package io.tradeflow.broker.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What to do after a place-order whose answer proves nothing (no answer, dropped connection, 5xx,
 * unreadable body): the broker may have accepted it. The order is never sent again on that alert;
 * it is looked up by its client tag, at once and then again with a doubling back-off over a
 * bounded window (a broker's order list can lag a new order by seconds, so an empty lookup proves
 * nothing either). Found: its result. Still not found when the window ends: a failure of kind
 * {@link BrokerException.Kind#OUTCOME_UNKNOWN}, which the gateway records as
 * {@code BROKER_OUTCOME_UNKNOWN} and leaves to reconciliation. A missed order is recoverable by the
 * trader; a doubled one is not.
 */
public final class OrderOutcomeUnknown {
    static final long FIRST_BACKOFF_MILLIS = 250;

    private OrderOutcomeUnknown() {
    }

    /**
     * Looks for the order tagged {@code tag} until found or {@code windowMillis} have passed since
     * the first look; waits run on {@code executor}'s delayed schedule, never by sleeping a thread.
     */
    public static CompletableFuture<OrderResult> recheck(String broker, String tag, BrokerException lost,
                                                         Function<String, CompletableFuture<BrokerOrder>> lookup,
                                                         long windowMillis, Executor executor) {
        // Elapsed time, not the connector's clock (tests freeze or jump that one for token expiry).
        LongSupplier clock = () -> System.nanoTime() / 1_000_000;
        long deadline = clock.getAsLong() + windowMillis;
        return look(broker, tag, lost, lookup, deadline, FIRST_BACKOFF_MILLIS, 1, null, clock, executor);
    }

    private static CompletableFuture<OrderResult> look(String broker, String tag, BrokerException lost,
                                                       Function<String, CompletableFuture<BrokerOrder>> lookup,
                                                       long deadline, long backoff, int attempt, String lastLookupFailure,
                                                       LongSupplier clock, Executor executor) {
        CompletableFuture<BrokerOrder> found;
        try {
            found = lookup.apply(tag);
        } catch (RuntimeException e) {
            found = CompletableFuture.failedFuture(e);
        }
        return found.handle((order, failure) -> {
            if (failure == null && order != null) {
                return CompletableFuture.completedFuture(new OrderResult(order.brokerOrderId(), order.isFilled(),
                        order.filledQuantity(), order.averageFillPrice(), true));
            }
            String lookupFailure = failure == null ? lastLookupFailure : BrokerException.of(failure).getMessage();
            long now = clock.getAsLong();
            if (now >= deadline) {
                return CompletableFuture.<OrderResult>failedFuture(unknown(broker, tag, lost, attempt, lookupFailure));
            }
            long wait = Math.min(backoff, deadline - now);
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, executor))
                    .thenCompose(ignored -> look(broker, tag, lost, lookup, deadline, backoff * 2, attempt + 1, lookupFailure,
                            clock, executor));
        }).thenCompose(Function.identity());
    }

    static BrokerException unknown(String broker, String tag, BrokerException lost, int looks, String lookupFailure) {
        return new BrokerException(BrokerException.Kind.OUTCOME_UNKNOWN, broker + " order outcome unknown: "
                + lost.getMessage() + "; not found by its tag " + tag + " in " + looks + " look" + (looks == 1 ? "" : "s")
                + (lookupFailure == null ? "" : " (last lookup failed: " + lookupFailure + ")")
                + "; not sent again, reconciliation will settle it", lost);
    }
}
