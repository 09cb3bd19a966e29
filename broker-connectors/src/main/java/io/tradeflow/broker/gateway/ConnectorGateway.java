package io.tradeflow.broker.gateway;

import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.OrderResult;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.ring.BrokerReportPublisher;
import io.tradeflow.core.venue.BrokerGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ring's door to the real brokers. On the ring thread, {@link #submit} refuses at once when
 * the account has no connector or its circuit is open (so a dead broker costs the trader a fast,
 * clear refusal and nobody else anything), and otherwise copies the order into a pooled request
 * and queues it. A dispatcher thread turns requests into connector calls; their results are
 * published back into the ring as BROKER_REPORT events.
 */
public final class ConnectorGateway implements BrokerGateway, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorGateway.class);
    static final int CAPACITY = 1024;
    static final String NO_CONNECTOR = "this account has no broker credentials registered";
    static final String QUEUE_FULL = "too many orders waiting for the broker; retry";
    // The ring thread unparks the dispatcher on every submit; the timeout only bounds a missed wake-up
    // while keeping an idle dispatcher from waking a thousand times a second on a two-core machine.
    private static final long[] MARKET_FOLLOW_UP_MILLIS = {250, 1_000, 3_000};
    /** While an account has working (limit, stop) orders, the broker is asked about them this often. */
    static final long WORKING_POLL_MILLIS = 1_000;
    private final java.util.concurrent.ScheduledExecutorService workingPoll =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tradeflow-working-orders");
                t.setDaemon(true);
                return t;
            });
    private final Set<Long> polling = ConcurrentHashMap.newKeySet();

    /** Sizing reads an equity at most this old; older starts a background refresh. */
    static final long EQUITY_MAX_AGE_MILLIS = 5_000;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AccountConnectors accounts;
    // Array-backed queues: offer/poll never block and never allocate. (Agrona's lock-free queues
    // would need --add-exports for jdk.internal.misc on JDK 17.)
    private final ArrayBlockingQueue<OrderRequest> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final ArrayBlockingQueue<OrderRequest> free = new ArrayBlockingQueue<>(CAPACITY);
    // Submitted by the event being decided, held until it is journaled (ring thread only).
    private final java.util.ArrayDeque<OrderRequest> staged = new java.util.ArrayDeque<>(4);
    private final ConcurrentHashMap<Long, Set<String>> tradedSymbols = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Map<String, WorkingOrder>> working = new ConcurrentHashMap<>();
    // Orders whose outcome stayed unknown, by client tag: looked up again at each reconciliation.
    private final ConcurrentHashMap<Long, Map<String, OrderCommand>> unsettled = new ConcurrentHashMap<>();

    /** A limit or stop order the broker accepted but had not (fully) filled, followed until it is final. */
    private static final class WorkingOrder {
        final OrderCommand command;
        final String brokerOrderId;
        double reportedFilled;

        WorkingOrder(OrderCommand command, String brokerOrderId, double reportedFilled) {
            this.command = command;
            this.brokerOrderId = brokerOrderId;
            this.reportedFilled = reportedFilled;
        }
    }
    private final BrokerDataCache brokerData;
    private final Thread dispatcher;
    private volatile BrokerReportPublisher reports;
    private volatile boolean running = true;

    public ConnectorGateway(AccountConnectors accounts) {
        this.accounts = accounts;
        this.brokerData = new BrokerDataCache(accounts, System::currentTimeMillis, EQUITY_MAX_AGE_MILLIS);
        for (int i = 0; i < CAPACITY; i++) {
            free.offer(new OrderRequest());
        }
        this.dispatcher = new Thread(this::dispatchLoop, "tradeflow-broker-dispatch");
        dispatcher.setDaemon(true);
    }

    /** Starts dispatching; reports go into the ring through {@code publisher}. */
    public void start(BrokerReportPublisher publisher) {
        this.reports = publisher;
        dispatcher.start();
        workingPoll.scheduleWithFixedDelay(this::pollWorkingOrders, WORKING_POLL_MILLIS, WORKING_POLL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Fills as they happen: every second, each account that has working limit or stop orders (and
     * only those) is asked about them, so a fill reaches the positions within about a second
     * instead of at the next reconciliation. One look per account at a time.
     */
    private void pollWorkingOrders() {
        for (Map.Entry<Long, Map<String, WorkingOrder>> entry : working.entrySet()) {
            long accountId = entry.getKey();
            BrokerConnector connector = accounts.get(accountId);
            if (entry.getValue().isEmpty() || connector == null || connector.circuit().isOpen() || !polling.add(accountId)) {
                continue;
            }
            try {
                followKnown(accountId, connector).whenComplete((ok, failure) -> polling.remove(accountId));
            } catch (RuntimeException e) {
                polling.remove(accountId);
                LOG.warn("polling the working orders of account {} failed: {}", accountId, e.toString());
            }
        }
    }

    @Override
    public boolean submit(RingEvent e, double signedQuantity) {
        BrokerConnector connector = accounts.get(e.accountId);
        if (connector == null) {
            e.reject(Outcome.BROKER_ERROR, "broker", NO_CONNECTOR);
            return false;
        }
        if (connector.circuit().isOpen()) {
            // Rare failure path: the message is built only when refusing.
            e.reject(Outcome.BROKER_ERROR, "broker", connector.kind().wireName()
                    + " unavailable (circuit open), order not sent: " + connector.circuit().openReason());
            return false;
        }
        OrderRequest request = free.poll();
        if (request == null) {
            e.reject(Outcome.OVERLOADED, "broker", QUEUE_FULL);
            return false;
        }
        request.copyFrom(e, signedQuantity);
        staged.addLast(request);
        return true;
    }

    @Override
    public boolean modify(RingEvent e, double stopLoss, double takeProfit) {
        BrokerConnector connector = accounts.get(e.accountId);
        if (connector != null && !connector.supportsModify()) {
            e.reject(Outcome.INVALID_PAYLOAD, "action", "modify is not supported for " + connector.kind().wireName()
                    + " accounts in this version");
            return false;
        }
        OrderRequest request = claim(e);
        if (request == null) {
            return false;
        }
        request.modifyFrom(e, stopLoss, takeProfit);
        staged.addLast(request);
        return true;
    }

    @Override
    public boolean cancel(RingEvent e) {
        OrderRequest request = claim(e);
        if (request == null) {
            return false;
        }
        request.cancelFrom(e);
        staged.addLast(request);
        return true;
    }

    /** A free request for the account's next broker call, or null with the event rejected (as submit does). */
    private OrderRequest claim(RingEvent e) {
        BrokerConnector connector = accounts.get(e.accountId);
        if (connector == null) {
            e.reject(Outcome.BROKER_ERROR, "broker", NO_CONNECTOR);
            return null;
        }
        if (connector.circuit().isOpen()) {
            e.reject(Outcome.BROKER_ERROR, "broker", connector.kind().wireName()
                    + " unavailable (circuit open), not sent: " + connector.circuit().openReason());
            return null;
        }
        OrderRequest request = free.poll();
        if (request == null) {
            e.reject(Outcome.OVERLOADED, "broker", QUEUE_FULL);
        }
        return request;
    }

    /** The submitting event is journaled: its orders go to the dispatcher; otherwise they are dropped. */
    @Override
    public void release(boolean journaled) {
        if (staged.isEmpty()) {
            return;
        }
        OrderRequest request;
        while ((request = staged.pollFirst()) != null) {
            if (journaled) {
                pending.offer(request);
            } else {
                free.offer(request);
            }
        }
        if (journaled) {
            LockSupport.unpark(dispatcher);
        }
    }

    /** TradeLocker and ProjectX describe balance and instruments; a MetaTrader account takes fixed quantities. */
    @Override
    public boolean sizesByEquityOrRisk(long accountId) {
        BrokerConnector connector = accounts.get(accountId);
        return connector != null && connector.kind() != io.tradeflow.core.event.BrokerKind.MTX;
    }

    @Override
    public double brokerEquity(long accountId) {
        return brokerData.equity(accountId);
    }

    @Override
    public io.tradeflow.config.InstrumentSpec brokerInstrument(long accountId, RingEvent e) {
        // Rare (sized entries only): the symbol's string is made here.
        return brokerData.instrument(accountId, e.symbol.toString());
    }

    /**
     * Loads what sizing needs for the account (its equity, and the symbols' specifications) in the
     * background; the future completes when loaded. Called when an account's connector is attached.
     */
    public CompletableFuture<Void> preload(long accountId, String... symbols) {
        List<CompletableFuture<?>> loads = new ArrayList<>();
        loads.add(brokerData.refreshEquity(accountId));
        for (String symbol : symbols) {
            loads.add(brokerData.loadInstrument(accountId, symbol));
        }
        return CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0]));
    }

    /** The account's connector changed or went away: what was cached from the old one is dropped. */
    public void forgetBrokerData(long accountId) {
        brokerData.forget(accountId);
    }

    /** The symbols the router has sent orders for on this account (reconciliation checks them too). */
    Set<String> tradedSymbols(long accountId) {
        return tradedSymbols.getOrDefault(accountId, Set.of());
    }

    private void dispatchLoop() {
        while (running) {
            OrderRequest request = pending.poll();
            if (request == null) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            long accountId = request.accountId;
            if (request.kind != OrderRequest.Kind.PLACE) {
                OrderRequest.Kind kind = request.kind;
                String symbol = request.symbol();
                double stopLoss = request.newStopLoss;
                double takeProfit = request.newTakeProfit;
                io.tradeflow.core.event.Side side = request.side;
                free.offer(request);
                try {
                    manage(accountId, kind, symbol, stopLoss, takeProfit, side);
                } catch (RuntimeException ex) {
                    LOG.error("{} of {} on account {} could not be sent", kind, symbol, accountId, ex);
                }
                continue;
            }
            OrderCommand command = request.toCommand();
            free.offer(request);
            try {
                place(accountId, command);
            } catch (RuntimeException ex) {
                LOG.error("dispatching order {} of account {} failed", command.routerOrderId(), accountId, ex);
                reports.rejected(accountId, command.routerOrderId(), command.symbol(), "order could not be sent: " + ex, null);
            }
        }
    }

    /**
     * A modify or cancel: nothing to book, so a failure is logged (the alert was answered as sent
     * to the broker) and the reconciler shows what the broker really holds.
     */
    private void manage(long accountId, OrderRequest.Kind kind, String symbol, double stopLoss, double takeProfit,
                        io.tradeflow.core.event.Side side) {
        BrokerConnector connector = accounts.get(accountId);
        if (connector == null) {
            LOG.warn("{} of {} on account {} not sent: {}", kind, symbol, accountId, NO_CONNECTOR);
            return;
        }
        CompletableFuture<?> call = kind == OrderRequest.Kind.MODIFY
                ? connector.modifyProtection(symbol, stopLoss, takeProfit)
                : connector.cancelOrders(symbol, side);
        call.whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("{} {} of {} on account {} failed: {}", connector.kind().wireName(), kind, symbol, accountId,
                        BrokerException.of(failure).getMessage());
            } else {
                LOG.info("{} {} of {} on account {} done{}", connector.kind().wireName(), kind, symbol, accountId,
                        kind == OrderRequest.Kind.CANCEL ? " (" + done + " cancelled)" : "");
            }
        });
    }

    private void place(long accountId, OrderCommand command) {
        BrokerConnector connector = accounts.get(accountId);
        if (connector == null) {
            reports.rejected(accountId, command.routerOrderId(), command.symbol(), NO_CONNECTOR, null);
            return;
        }
        tradedSymbols.computeIfAbsent(accountId, id -> ConcurrentHashMap.newKeySet()).add(command.symbol());
        connector.placeOrder(command).whenComplete((result, failure) -> {
            if (failure != null) {
                BrokerException error = BrokerException.of(failure);
                if (error.kind() == BrokerException.Kind.OUTCOME_UNKNOWN) {
                    LOG.error("{} order {} of account {} (tag {}): outcome unknown, not sent again: {}",
                            connector.kind().wireName(), command.routerOrderId(), accountId, command.clientTag(),
                            error.getMessage());
                    unsettled.computeIfAbsent(accountId, id -> new ConcurrentHashMap<>()).put(command.clientTag(), command);
                    reports.outcomeUnknown(accountId, command.routerOrderId(), command.symbol(), error.getMessage(), null);
                    return;
                }
                LOG.warn("{} order {} of account {} not placed: {}", connector.kind().wireName(), command.routerOrderId(),
                        accountId, error.getMessage());
                reports.rejected(accountId, command.routerOrderId(), command.symbol(), error.getMessage(), null);
            } else {
                report(accountId, connector, command, result);
            }
        });
    }

    private void report(long accountId, BrokerConnector connector, OrderCommand command, OrderResult result) {
        if (result.filledQuantity() > 0) {
            brokerData.refreshEquity(accountId);
            reports.filled(accountId, command.routerOrderId(), command.symbol(),
                    command.side().sign() * result.filledQuantity(), result.fillPrice(), 0, result.brokerOrderId(), null);
        }
        if (!result.filled() && result.brokerOrderId() != null && !result.brokerOrderId().isEmpty()) {
            working.computeIfAbsent(accountId, id -> new ConcurrentHashMap<>())
                    .put(result.brokerOrderId(), new WorkingOrder(command, result.brokerOrderId(), result.filledQuantity()));
            if (command.type() == OrderType.MARKET) {
                // A market order the broker had not filled by the time it was read back fills within
                // moments: look again soon rather than at the next reconciliation.
                for (long delay : MARKET_FOLLOW_UP_MILLIS) {
                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
                            .execute(() -> followWorkingOrders(accountId, connector));
                }
            }
        }
    }

    /**
     * Asks the broker about each working order of the account and reports what filled since the
     * last look (at the order's average fill price); final orders are no longer followed.
     */
    CompletableFuture<Void> followWorkingOrders(long accountId, BrokerConnector connector) {
        return settleUnknown(accountId, connector).thenCompose(ignored -> followKnown(accountId, connector));
    }

    /** The tags of orders whose outcome is still unknown on this account (for tests and the dashboard). */
    public Set<String> unsettledTags(long accountId) {
        Map<String, OrderCommand> tags = unsettled.get(accountId);
        return tags == null ? Set.of() : Set.copyOf(tags.keySet());
    }

    /**
     * Looks each order whose outcome stayed unknown up by its tag again: found, its fill so far is
     * reported and, while it works, it is followed like any working order; not found, it stays
     * unsettled (the position check reports any position it opened as drift).
     */
    private CompletableFuture<Void> settleUnknown(long accountId, BrokerConnector connector) {
        Map<String, OrderCommand> tags = unsettled.get(accountId);
        if (tags == null || tags.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> looks = new ArrayList<>();
        for (OrderCommand command : tags.values()) {
            looks.add(connector.orderByTag(command.clientTag()).thenAccept(o -> {
                if (o == null || tags.remove(command.clientTag()) == null) {
                    return;
                }
                LOG.warn("{} order {} of account {} (tag {}) whose outcome was unknown found at the broker as {}: {} filled",
                        connector.kind().wireName(), command.routerOrderId(), accountId, command.clientTag(),
                        o.brokerOrderId(), o.filledQuantity());
                WorkingOrder w = new WorkingOrder(command, o.brokerOrderId(), 0);
                if (!o.isFinal()) {
                    working.computeIfAbsent(accountId, id -> new ConcurrentHashMap<>()).put(o.brokerOrderId(), w);
                }
                book(accountId, w, o);
            }).exceptionally(failure -> {
                LOG.warn("looking up order tag {} of account {} failed: {}", command.clientTag(), accountId,
                        BrokerException.of(failure).getMessage());
                return null;
            }));
        }
        return CompletableFuture.allOf(looks.toArray(new CompletableFuture<?>[0]));
    }

    private void book(long accountId, WorkingOrder w, io.tradeflow.broker.api.BrokerOrder o) {
        synchronized (w) {
            double delta = o.filledQuantity() - w.reportedFilled;
            if (delta > 0) {
                w.reportedFilled = o.filledQuantity();
                reports.filled(accountId, w.command.routerOrderId(), w.command.symbol(), w.command.side().sign() * delta,
                        o.averageFillPrice(), 0, w.brokerOrderId, null);
                brokerData.refreshEquity(accountId);
            }
        }
    }

    private CompletableFuture<Void> followKnown(long accountId, BrokerConnector connector) {
        Map<String, WorkingOrder> orders = working.get(accountId);
        if (orders == null || orders.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> looks = new ArrayList<>();
        for (WorkingOrder w : orders.values()) {
            looks.add(connector.order(w.brokerOrderId).thenAccept(o -> {
                if (o == null) {
                    return;
                }
                // Follow-ups and reconciliation may look at the same order at once: book each fill once.
                book(accountId, w, o);
                if (o.isFinal()) {
                    orders.remove(w.brokerOrderId);
                }
            }).exceptionally(failure -> {
                LOG.warn("following order {} of account {} failed: {}", w.brokerOrderId, accountId,
                        BrokerException.of(failure).getMessage());
                return null;
            }));
        }
        return CompletableFuture.allOf(looks.toArray(new CompletableFuture<?>[0]));
    }

    @Override
    public void close() {
        workingPoll.shutdownNow();
        running = false;
        LockSupport.unpark(dispatcher);
    }
}
