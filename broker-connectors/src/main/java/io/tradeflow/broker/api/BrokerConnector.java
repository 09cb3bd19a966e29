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
