package io.tradeflow.broker.api;

import io.tradeflow.core.event.BrokerKind;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One broker account as the router drives it. Every call is asynchronous: I/O runs on the
 * connector's own HTTP client threads, never on the caller's, and failures arrive as a
 * {@link BrokerException} inside the future. Implementations keep the account's session fresh
 * (token refresh), cache instruments, respect the broker's rate limits and guard every call with a
 * per-account timeout and circuit breaker.
 */
public interface BrokerConnector extends AutoCloseable {
    BrokerKind kind();

    /** Logs in (or refreshes the session) and resolves the trading account: proves the credentials work. */
    CompletableFuture<Void> authenticate();

    /**
     * Places an order tagged with {@link OrderCommand#clientTag()}. A call whose answer does not prove
     * the order was refused (timeout, reset, 5xx, unreadable body) is looked up by the tag over a
     * bounded window and never re-sent; still not found, the future fails with
     * {@link BrokerException.Kind#OUTCOME_UNKNOWN} (see {@link OrderOutcomeUnknown}).
     */
    CompletableFuture<OrderResult> placeOrder(OrderCommand command);

    CompletableFuture<Void> cancelOrder(String brokerOrderId);

    /**
     * The order as the broker now sees it (status, filled quantity, average fill price), or null
     * when the broker does not report it: how working limit and stop orders are followed to their fill.
     */
    CompletableFuture<BrokerOrder> order(String brokerOrderId);

    /**
     * The order carrying this client tag as the broker now lists it, or null when it lists none:
     * how a place-order whose outcome stayed unknown is settled later. Brokers that cannot look
     * orders up by tag answer null.
     */
    default CompletableFuture<BrokerOrder> orderByTag(String clientTag) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Sets the stop loss and take profit of the open position in {@code symbol} to these absolute
     * prices (0 removes one); fails when the broker holds no such position.
     */
    /**
     * The symbol's trading specification as this broker describes it (for sizing by equity or
     * risk): contract size, lot step, min/max quantity, tick size and tick value.
     */
    default CompletableFuture<io.tradeflow.config.InstrumentSpec> instrumentSpec(String symbol) {
        return CompletableFuture.failedFuture(new BrokerException(BrokerException.Kind.REJECTED,
                kind().wireName() + " does not describe its instruments to the router in this version"));
    }

    default boolean supportsModify() {
        return false;
    }

    default CompletableFuture<Void> modifyProtection(String symbol, double stopLoss, double takeProfit) {
        return CompletableFuture.failedFuture(new BrokerException(BrokerException.Kind.REJECTED,
                kind().wireName() + " cannot change a position's stop loss / take profit in this version"));
    }

    /**
     * Cancels the working (limit, stop) orders of {@code symbol}, only the buys or sells when
     * {@code side} is set; returns how many were cancelled.
     */
    default CompletableFuture<Integer> cancelOrders(String symbol, io.tradeflow.core.event.Side side) {
        return openOrders().thenCompose(open -> {
            java.util.List<CompletableFuture<Void>> cancels = new java.util.ArrayList<>();
            for (BrokerOrder o : open) {
                // Only entries the router placed (tagged): a position's own stop/target orders stay.
                boolean ours = o.clientTag() != null && o.clientTag().startsWith("tf-");
                if (ours && symbol.equals(o.symbol()) && (side == null || side.wireName().equals(o.side()))) {
                    cancels.add(cancelOrder(o.brokerOrderId()));
                }
            }
            return CompletableFuture.allOf(cancels.toArray(new CompletableFuture<?>[0])).thenApply(v -> cancels.size());
        });
    }

    /** Closes {@code quantity} of the symbol's position, or all of it when {@code quantity} is 0. */
    CompletableFuture<Void> closePosition(String symbol, double quantity);

    CompletableFuture<List<BrokerPosition>> positions();

    CompletableFuture<List<BrokerOrder>> openOrders();

    CompletableFuture<AccountSnapshot> accountState();

    /** The account's circuit breaker, read by the ring thread to refuse fast while the broker is down. */
    CircuitState circuit();

    @Override
    void close();
}
