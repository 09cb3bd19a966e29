package io.tradeflow.broker.mtx;

import io.tradeflow.broker.api.AccountSnapshot;
import io.tradeflow.broker.api.BrokerConnector;
import io.tradeflow.broker.api.BrokerException;
import io.tradeflow.broker.api.BrokerException.Kind;
import io.tradeflow.broker.api.BrokerOrder;
import io.tradeflow.broker.api.BrokerPosition;
import io.tradeflow.broker.api.CircuitState;
import io.tradeflow.broker.api.ConnectorSettings;
import io.tradeflow.broker.api.OrderCommand;
import io.tradeflow.broker.api.OrderResult;
import io.tradeflow.broker.api.Protection;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.StopMode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One MetaTrader account behind the TradeFlow EA. The terminal cannot be called, so commands
 * wait here until the EA polls; each poll answers every command not yet acknowledged (a command
 * whose poll answer was lost is delivered again with the same id, and the EA executes an id at
 * most once). The first acknowledgement of an id completes it; repeats are ignored. A command no
 * poll picked up within the pickup timeout is withdrawn and refused, so it can never execute
 * late; one the EA has received stays until it answers. The account counts as disconnected
 * (circuit open: orders refused at once) when no heartbeat came within the heartbeat timeout.
 */
public final class MtxBridge implements BrokerConnector, CircuitState {
    private final MtxCredentials credentials;
    private final ConnectorSettings settings;
    private final LongSupplier clock;
    private final Executor timers;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final List<Runnable> waitingPolls = new ArrayList<>();
    private volatile long lastHeartbeat = Long.MIN_VALUE;
    private volatile List<BrokerPosition> positions = List.of();
    private volatile AccountSnapshot account;

    private static final class Pending {
        final MtxCommand command;
        final CompletableFuture<OrderResult> result = new CompletableFuture<>();
        boolean delivered;

        Pending(MtxCommand command) {
            this.command = command;
        }
    }

    public MtxBridge(MtxCredentials credentials, ConnectorSettings settings, LongSupplier clock, Executor timers) {
        this.credentials = credentials;
        this.settings = settings;
        this.clock = clock;
        this.timers = timers;
    }

    public MtxCredentials credentials() {
        return credentials;
    }

    @Override
    public BrokerKind kind() {
        return BrokerKind.MTX;
    }

    @Override
    public CircuitState circuit() {
        return this;
    }

    /** Open (refusing) while the EA is not connected. */
    @Override
    public boolean isOpen() {
        return !isConnected();
    }

    @Override
    public String openReason() {
        return lastHeartbeat == Long.MIN_VALUE ? "the MetaTrader EA has not connected yet"
                : "the MetaTrader EA stopped sending heartbeats";
    }

    public boolean isConnected() {
        long last = lastHeartbeat;
        return last != Long.MIN_VALUE && clock.getAsLong() - last <= settings.eaHeartbeatTimeout().toMillis();
    }

    public void heartbeat() {
        lastHeartbeat = clock.getAsLong();
    }

    /** The EA registers its license token: there is nothing to log in to. */
    @Override
    public CompletableFuture<Void> authenticate() {
        return CompletableFuture.completedFuture(null);
    }

    // ---- the router's side ----

    @Override
    public CompletableFuture<OrderResult> placeOrder(OrderCommand c) {
        MtxCommand command = new MtxCommand(c.clientTag(), "open", c.symbol() + credentials.symbolSuffix(),
                c.side().wireName(), c.type().wireName(), c.quantity(), c.type() == io.tradeflow.core.event.OrderType.LIMIT
                        ? c.limitPrice() : c.stopPrice(), mode(c.stopLoss()), c.stopLoss().value(), mode(c.takeProfit()),
                c.takeProfit().value(), 0);
        return enqueue(command);
    }

    private static String mode(Protection p) {
        if (!p.isSet()) {
            return "none";
        }
        if (p.mode() == StopMode.PRICE || p.mode() == StopMode.PIPS) {
            return p.mode().wireName();
        }
        throw new BrokerException(Kind.REJECTED, "the MetaTrader EA takes stops as price or pips, not " + p.mode().wireName());
    }

    /** The EA reports pending orders only through its positions once they fill; reconciliation sees those. */
    @Override
    public CompletableFuture<BrokerOrder> order(String brokerOrderId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> cancelOrder(String brokerOrderId) {
        return enqueue(new MtxCommand("cancel-" + brokerOrderId + "-" + clock.getAsLong(), "cancel", "", "", "", 0, 0, "none", 0,
                "none", 0, Long.parseLong(brokerOrderId))).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> closePosition(String symbol, double quantity) {
        return enqueue(new MtxCommand("close-" + symbol + "-" + clock.getAsLong(), "close", symbol + credentials.symbolSuffix(),
                "", "market", quantity, 0, "none", 0, "none", 0, 0)).thenApply(r -> null);
    }

    private CompletableFuture<OrderResult> enqueue(MtxCommand command) {
        if (!isConnected()) {
            return CompletableFuture.failedFuture(new BrokerException(Kind.CIRCUIT_OPEN, "mtx unavailable: " + openReason()));
        }
        Pending p = new Pending(command);
        List<Runnable> wake;
        synchronized (this) {
            pending.put(command.id(), p);
            wake = new ArrayList<>(waitingPolls);
            waitingPolls.clear();
        }
        wake.forEach(Runnable::run);
        CompletableFuture.delayedExecutor(settings.eaPickupTimeout().toMillis(), TimeUnit.MILLISECONDS, timers)
                .execute(() -> withdrawIfNotPickedUp(p));
        return p.result;
    }

    private void withdrawIfNotPickedUp(Pending p) {
        synchronized (this) {
            if (p.delivered || pending.get(p.command.id()) != p) {
                return;
            }
            pending.remove(p.command.id());
        }
        p.result.completeExceptionally(new BrokerException(Kind.REJECTED,
                "the MetaTrader EA did not pick the order up in time; it was withdrawn and will not execute"));
    }

    // ---- the EA's side ----

    /** Every command not yet acknowledged, oldest first; counts as a heartbeat. */
    public synchronized List<MtxCommand> poll() {
        heartbeat();
        List<MtxCommand> commands = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            p.delivered = true;
            commands.add(p.command);
        }
        return commands;
    }

    /**
     * Runs {@code wake} once when a command arrives, unless commands are already waiting (then
     * returns false and the caller answers at once). For long polls; {@code wake} must not block.
     */
    public synchronized boolean awaitCommands(Runnable wake) {
        if (!pending.isEmpty()) {
            return false;
        }
        waitingPolls.add(wake);
        return true;
    }

    public synchronized void forgetWaiter(Runnable wake) {
        waitingPolls.remove(wake);
    }

    /** Applies the EA's answer; returns false when the id is unknown or already answered (ignored). */
    public boolean acknowledge(MtxAck ack) {
        Pending p;
        synchronized (this) {
            heartbeat();
            p = pending.remove(ack.commandId());
        }
        if (p == null) {
            return false;
        }
        if (ack.ok()) {
            p.result.complete(new OrderResult(Long.toString(ack.ticket()), ack.volume() > 0, ack.volume(), ack.price(), false));
        } else {
            p.result.completeExceptionally(new BrokerException(Kind.REJECTED,
                    "MetaTrader refused the order: " + ack.errorCode() + " " + (ack.error() == null ? "" : ack.error())));
        }
        return true;
    }

    /** The EA's open positions and account, symbols as the router knows them (suffix removed). */
    public void pushState(List<BrokerPosition> openPositions, AccountSnapshot snapshot) {
        heartbeat();
        List<BrokerPosition> mapped = new ArrayList<>(openPositions.size());
        String suffix = credentials.symbolSuffix();
        for (BrokerPosition p : openPositions) {
            String symbol = !suffix.isEmpty() && p.symbol().endsWith(suffix)
                    ? p.symbol().substring(0, p.symbol().length() - suffix.length()) : p.symbol();
            mapped.add(new BrokerPosition(p.positionId(), symbol, p.quantity(), p.averagePrice()));
        }
        positions = List.copyOf(mapped);
        if (snapshot != null) {
            account = snapshot;
        }
    }

    // ---- what the EA last reported ----

    @Override
    public CompletableFuture<List<BrokerPosition>> positions() {
        return isConnected() ? CompletableFuture.completedFuture(positions)
                : CompletableFuture.failedFuture(new BrokerException(Kind.UNAVAILABLE, "mtx: " + openReason()));
    }

    /** Working orders are not reported by the EA; MetaTrader pending orders appear once they fill. */
    @Override
    public CompletableFuture<List<BrokerOrder>> openOrders() {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<AccountSnapshot> accountState() {
        AccountSnapshot snapshot = account;
        return snapshot != null ? CompletableFuture.completedFuture(snapshot)
                : CompletableFuture.failedFuture(new BrokerException(Kind.UNAVAILABLE, "mtx: the EA has not reported the account yet"));
    }

    @Override
    public void close() {
        List<Pending> left;
        synchronized (this) {
            left = new ArrayList<>(pending.values());
            pending.clear();
        }
        left.forEach(p -> p.result.completeExceptionally(new BrokerException(Kind.UNAVAILABLE, "mtx account closed")));
    }
}
