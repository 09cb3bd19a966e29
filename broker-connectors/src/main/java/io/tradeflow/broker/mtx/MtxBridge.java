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
import io.tradeflow.core.event.BrokerKind;

import io.tradeflow.config.InstrumentSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One MetaTrader account behind the TradeFlow EA (protocol {@value MtxProtocol#VERSION}). The
 * terminal cannot be called, so commands wait here until the EA polls.
 *
 * <ul>
 *   <li>A command is claimed by the first EA instance that polls it and is delivered only to that
 *       instance from then on (again with the same id while it has not answered: its answer may have
 *       been lost), so two EAs on one account never both get it. If that instance stops answering
 *       for the heartbeat timeout, another instance's poll settles the command as "outcome unknown"
 *       rather than handing it on.</li>
 *   <li>Each command carries its creation and expiry time (creation + the pickup timeout). One no
 *       poll picked up by then is withdrawn and refused; the EA refuses (acks {@code expired}) one it
 *       receives after its expiry, so a command never executes late (after a crash or a weekend).</li>
 *   <li>Exits are reduce-only ({@code close}); stops and targets go as prices or price distances
 *       computed with the router's instrument table ({@link MtxStops}).</li>
 *   <li>The first acknowledgement of an id completes it, repeats are ignored: {@code filled} books
 *       the executed volume at the deal price (a partial fill books the part), {@code placed} a
 *       working order, {@code refused}/{@code expired} a refusal, {@code unknown} a refusal that
 *       says the outcome is unknown (not sent again; reconciliation shows any position).</li>
 *   <li>The account counts as disconnected (circuit open: orders refused at once) when no
 *       heartbeat came within the heartbeat timeout, when the EA said the terminal cannot trade, or
 *       when an EA of another protocol version called.</li>
 * </ul>
 */
public final class MtxBridge implements BrokerConnector, CircuitState {
    private static final Logger LOG = LoggerFactory.getLogger(MtxBridge.class);
    /** Quantities closer than this are the same (floating-point dust). */
    private static final double TOLERANCE = 1e-9;
    private static final int KEPT_UNKNOWN = 100;

    private final MtxCredentials credentials;
    private final ConnectorSettings settings;
    private final LongSupplier clock;
    private final Executor timers;
    private final MtxStops stops;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Long> instanceSeen = new HashMap<>();
    private final List<Runnable> waitingPolls = new ArrayList<>();
    private final Deque<String> outcomeUnknown = new ArrayDeque<>();
    private volatile long lastHeartbeat = Long.MIN_VALUE;
    private volatile String cannotTrade;
    private volatile java.util.function.Consumer<String> onCannotTrade = reason -> {
    };
    private volatile String outdatedProtocol;
    /** The user stopped the EA from the dashboard: no order is sent, the EA is told on every poll. */
    private volatile boolean stoppedByUser;
    private volatile List<BrokerPosition> positions = List.of();
    private volatile AccountSnapshot account;

    private static final class Pending {
        final MtxCommand command;
        final CompletableFuture<OrderResult> result = new CompletableFuture<>();
        String claimedBy;

        Pending(MtxCommand command) {
            this.command = command;
        }
    }

    /** What became of an acknowledgement. */
    public enum AckOutcome {
        /** The first answer for the id: applied. */
        APPLIED,
        /** The id is unknown or already answered: nothing changed (an EA retrying its ack). */
        DUPLICATE,
        /** The id was delivered to another EA instance, which alone may answer it. */
        NOT_CLAIMED
    }

    public MtxBridge(MtxCredentials credentials, ConnectorSettings settings, LongSupplier clock, Executor timers) {
        this(credentials, settings, clock, timers, symbol -> null);
    }

    /** {@code instruments} finds the router's instrument by symbol (null when the table has none). */
    public MtxBridge(MtxCredentials credentials, ConnectorSettings settings, LongSupplier clock, Executor timers,
                     Function<String, InstrumentSpec> instruments) {
        this.credentials = credentials;
        this.settings = settings;
        this.clock = clock;
        this.timers = timers;
        this.stops = new MtxStops(instruments);
    }

    /** A lookup in the router's instrument table by symbol (also {@code XAUUSD.m} → {@code XAUUSD}). */
    public static Function<String, InstrumentSpec> instrumentLookup(Map<String, InstrumentSpec> table) {
        return MtxStops.table(table);
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

    /** Open (refusing) while the EA is not connected or its user stopped it. */
    @Override
    public boolean isOpen() {
        return stoppedByUser || !isConnected();
    }

    /** Starts (true) or stops (false) the EA's trading, as its user chose on the dashboard. */
    public void run(boolean running) {
        stoppedByUser = !running;
    }

    /** Whether the user lets the EA trade (the run state the EA gets on every poll). */
    public boolean running() {
        return !stoppedByUser;
    }

    /** When the EA last called (epoch millis), or 0 when it never did. */
    public long lastHeartbeatMillis() {
        long last = lastHeartbeat;
        return last == Long.MIN_VALUE ? 0 : last;
    }

    @Override
    public String openReason() {
        if (stoppedByUser) {
            return "the MetaTrader EA is stopped from the dashboard; start it to trade";
        }
        String outdated = outdatedProtocol;
        if (outdated != null) {
            return outdated;
        }
        String blocked = cannotTrade;
        if (blocked != null) {
            return "the MetaTrader terminal cannot trade: " + blocked;
        }
        return lastHeartbeat == Long.MIN_VALUE ? "the MetaTrader EA has not connected yet"
                : "the MetaTrader EA stopped sending heartbeats";
    }

    public boolean isConnected() {
        long last = lastHeartbeat;
        return outdatedProtocol == null && cannotTrade == null && last != Long.MIN_VALUE
                && clock.getAsLong() - last <= settings.eaHeartbeatTimeout().toMillis();
    }

    /** A call from an EA of this protocol version that can trade. */
    public void heartbeat() {
        lastHeartbeat = clock.getAsLong();
        cannotTrade = null;
        outdatedProtocol = null;
    }

    /**
     * An EA of another protocol version called: it is not a heartbeat, and the account shows the EA
     * as outdated (its alerts are refused with that reason) until an EA of this version calls.
     */
    public void refuseProtocol(String version) {
        String reason = MtxProtocol.outdated(version);
        if (!reason.equals(outdatedProtocol)) {
            LOG.warn("mtx account refused an EA call: {}", reason);
        }
        outdatedProtocol = reason;
    }

    /** The EA's account reports it cannot trade (disconnected, algo trading off, ...): disconnected at once. */
    public void cannotTrade(String reason) {
        String why = reason == null || reason.isBlank() ? "the EA reports it cannot trade" : reason;
        if (!why.equals(cannotTrade)) {
            LOG.warn("mtx account cannot trade: {}", why);
            onCannotTrade.accept(why);
        }
        cannotTrade = why;
    }

    /** Told (with the EA's reason) when the EA starts reporting it cannot trade; must not block. */
    public void onCannotTrade(java.util.function.Consumer<String> listener) {
        this.onCannotTrade = listener;
    }

    /** The EA registers its license token: there is nothing to log in to. */
    @Override
    public CompletableFuture<Void> authenticate() {
        return CompletableFuture.completedFuture(null);
    }

    /** The ids of the latest commands whose outcome the EA could not tell (oldest first, at most 100). */
    public synchronized List<String> outcomeUnknown() {
        return List.copyOf(outcomeUnknown);
    }

    // ---- the router's side ----

    @Override
    public CompletableFuture<OrderResult> placeOrder(OrderCommand c) {
        MtxCommand command;
        try {
            command = command(c);
        } catch (BrokerException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return enqueue(command);
    }

    private MtxCommand command(OrderCommand c) {
        String symbol = c.symbol() + credentials.symbolSuffix();
        long now = clock.getAsLong();
        long expires = now + settings.eaPickupTimeout().toMillis();
        if (c.reduceOnly()) {
            if (c.type() != io.tradeflow.core.event.OrderType.MARKET) {
                throw new BrokerException(Kind.REJECTED, "not sent to the MetaTrader EA: exits are market orders");
            }
            // Reduce-only: the EA closes up to this much of the positions facing the other way and
            // never opens one (after a broker-side stop there may be nothing left to close).
            return new MtxCommand(c.clientTag(), "close", symbol, c.side().wireName(), "market", c.quantity(), 0, "none", 0,
                    "none", 0, 0, true, now, expires);
        }
        double orderPrice = c.type() == io.tradeflow.core.event.OrderType.LIMIT ? c.limitPrice()
                : c.type() == io.tradeflow.core.event.OrderType.STOP ? c.stopPrice() : 0;
        double reference = orderPrice > 0 ? orderPrice : c.referencePrice();
        MtxStops.Level sl = stops.stopLoss(c.symbol(), c.stopLoss(), reference);
        MtxStops.Level tp = stops.takeProfit(c.symbol(), c.takeProfit(), reference, sl);
        return new MtxCommand(c.clientTag(), "open", symbol, c.side().wireName(), c.type().wireName(), c.quantity(),
                orderPrice, sl.mode(), sl.value(), tp.mode(), tp.value(), 0, false, now, expires);
    }

    /** The EA reports pending orders only through its positions once they fill; reconciliation sees those. */
    @Override
    public CompletableFuture<BrokerOrder> order(String brokerOrderId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> cancelOrder(String brokerOrderId) {
        long ticket;
        try {
            ticket = Long.parseLong(brokerOrderId);
        } catch (NumberFormatException e) {
            return CompletableFuture.failedFuture(new BrokerException(Kind.REJECTED, "not a MetaTrader ticket: " + brokerOrderId));
        }
        long now = clock.getAsLong();
        return enqueue(new MtxCommand("cancel-" + ticket + "-" + now, "cancel", "", "", "", 0, 0, "none", 0,
                "none", 0, ticket, false, now, now + settings.eaPickupTimeout().toMillis())).thenApply(r -> null);
    }

    /** Reduce-only: closes up to {@code quantity} (0 = all) of this EA's positions in the symbol, either side. */
    @Override
    public CompletableFuture<Void> closePosition(String symbol, double quantity) {
        long now = clock.getAsLong();
        return enqueue(new MtxCommand("close-" + symbol + "-" + now, "close", symbol + credentials.symbolSuffix(),
                "", "market", quantity, 0, "none", 0, "none", 0, 0, true, now,
                now + settings.eaPickupTimeout().toMillis())).thenApply(r -> null);
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
            if (p.claimedBy != null || pending.get(p.command.id()) != p) {
                return;
            }
            pending.remove(p.command.id());
        }
        p.result.completeExceptionally(new BrokerException(Kind.REJECTED,
                "the MetaTrader EA did not pick the order up in time; it was withdrawn and will not execute"));
    }

    private void noteUnknown(String id, String why) {
        synchronized (this) {
            outcomeUnknown.addLast(id);
            while (outcomeUnknown.size() > KEPT_UNKNOWN) {
                outcomeUnknown.removeFirst();
            }
        }
        LOG.warn("mtx command {} outcome unknown: {}", id, why);
    }

    // ---- the EA's side ----

    /** Every command not yet acknowledged, oldest first, from any EA instance (tests, single EA). */
    public List<MtxCommand> poll() {
        return poll("");
    }

    /**
     * The commands for this EA instance, oldest first: those it claimed earlier and not yet
     * answered, and those nobody claimed yet (claimed for it now). Counts as a heartbeat.
     */
    public List<MtxCommand> poll(String instance) {
        List<Pending> orphaned = new ArrayList<>();
        List<MtxCommand> commands = new ArrayList<>();
        synchronized (this) {
            heartbeat();
            long now = clock.getAsLong();
            instanceSeen.put(instance, now);
            for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.claimedBy == null && now > p.command.expiresAtMillis()) {
                    it.remove();
                    orphaned.add(p);
                    continue;
                }
                if (p.claimedBy != null && !p.claimedBy.equals(instance)) {
                    Long seen = instanceSeen.get(p.claimedBy);
                    if (seen == null || now - seen > settings.eaHeartbeatTimeout().toMillis()) {
                        it.remove();
                        orphaned.add(p);
                    }
                    continue;
                }
                p.claimedBy = instance;
                commands.add(p.command);
            }
        }
        for (Pending p : orphaned) {
            if (p.claimedBy == null) {
                p.result.completeExceptionally(new BrokerException(Kind.REJECTED,
                        "the MetaTrader EA did not pick the order up before it expired; it was withdrawn and will not execute"));
            } else {
                unknown(p, "the EA instance that took it (" + p.claimedBy + ") stopped answering");
            }
        }
        return commands;
    }

    /**
     * Runs {@code wake} once when a command arrives, unless commands are already waiting (then
     * returns false and the caller answers at once). For long polls; {@code wake} must not block.
     */
    public boolean awaitCommands(Runnable wake) {
        return awaitCommands("", wake);
    }

    /** The same for EA {@code instance}: commands claimed by another instance do not count. */
    public synchronized boolean awaitCommands(String instance, Runnable wake) {
        for (Pending p : pending.values()) {
            if (p.claimedBy == null || p.claimedBy.equals(instance) || "".equals(instance)) {
                return false;
            }
        }
        waitingPolls.add(wake);
        return true;
    }

    public synchronized void forgetWaiter(Runnable wake) {
        waitingPolls.remove(wake);
    }

    /** Applies the EA's answer; false when the id is unknown or already answered (ignored). */
    public boolean acknowledge(MtxAck ack) {
        return acknowledge(ack, null) == AckOutcome.APPLIED;
    }

    /**
     * Applies the answer of EA {@code instance} (null: whichever claimed it). Only the instance that
     * claimed the id may answer it; the first answer counts.
     */
    public AckOutcome acknowledge(MtxAck ack, String instance) {
        Pending p;
        synchronized (this) {
            heartbeat();
            if (instance != null) {
                instanceSeen.put(instance, clock.getAsLong());
            }
            p = pending.get(ack.commandId());
            if (p == null) {
                return AckOutcome.DUPLICATE;
            }
            if (instance != null && p.claimedBy != null && !p.claimedBy.equals(instance)) {
                return AckOutcome.NOT_CLAIMED;
            }
            pending.remove(ack.commandId());
        }
        complete(p, ack);
        return AckOutcome.APPLIED;
    }

    private void complete(Pending p, MtxAck ack) {
        MtxCommand c = p.command;
        String detail = ack.errorCode() == 0 && (ack.error() == null || ack.error().isEmpty()) ? ""
                : (ack.errorCode() + " " + (ack.error() == null ? "" : ack.error())).strip();
        switch (ack.result()) {
            case FILLED:
                if (ack.volume() + TOLERANCE < c.volume()) {
                    LOG.warn("mtx command {} partially filled: {} of {} lots at {}{}", c.id(), ack.volume(), c.volume(),
                            ack.price(), detail.isEmpty() ? "" : "; " + detail);
                } else if (ack.volume() > c.volume() + TOLERANCE && c.volume() > 0) {
                    LOG.warn("mtx command {} executed {} lots, more than the {} asked", c.id(), ack.volume(), c.volume());
                } else if (!detail.isEmpty()) {
                    LOG.warn("mtx command {} filled with a warning: {}", c.id(), detail);
                }
                p.result.complete(new OrderResult(Long.toString(ack.ticket()), true, ack.volume(), ack.price(), false));
                return;
            case PLACED:
                p.result.complete(new OrderResult(Long.toString(ack.ticket()), false, ack.volume(), ack.price(), false));
                return;
            case EXPIRED:
                p.result.completeExceptionally(new BrokerException(Kind.REJECTED, "the MetaTrader EA received the command"
                        + " after it expired (created " + Instant.ofEpochMilli(c.createdAtMillis()) + ", expired "
                        + Instant.ofEpochMilli(c.expiresAtMillis()) + "); not executed"));
                return;
            case UNKNOWN:
                if (ack.volume() > TOLERANCE && ack.price() > 0) {
                    // Steps before the one in doubt did execute (closes before a timed-out open): book
                    // what is known; the rest stays visible as unknown.
                    noteUnknown(c.id(), "executed " + ack.volume() + " lots at " + ack.price() + " of " + c.volume()
                            + ", the rest is unknown: " + (detail.isEmpty() ? "the EA could not tell" : detail));
                    p.result.complete(new OrderResult(Long.toString(ack.ticket()), true, ack.volume(), ack.price(), false));
                    return;
                }
                unknown(p, detail.isEmpty() ? "the EA could not tell whether it executed" : detail);
                return;
            case REFUSED:
            default:
                p.result.completeExceptionally(new BrokerException(Kind.REJECTED, "MetaTrader refused the order: " + detail));
        }
    }

    private void unknown(Pending p, String why) {
        noteUnknown(p.command.id(), why);
        p.result.completeExceptionally(new BrokerException(Kind.TIMEOUT, "MetaTrader order outcome unknown: " + why
                + "; not sent again: check the terminal, reconciliation will report any position it opened"));
    }

    /** The EA's open positions and account, symbols as the router knows them (suffix removed). */
    public void pushState(List<BrokerPosition> openPositions, AccountSnapshot snapshot) {
        pushState(openPositions, snapshot, null);
    }

    /**
     * The same, from a terminal that cannot trade when {@code cannotTrade} is not null (its reason):
     * then it is no heartbeat, and the account is disconnected at once with that reason.
     */
    public void pushState(List<BrokerPosition> openPositions, AccountSnapshot snapshot, String cannotTrade) {
        if (cannotTrade == null) {
            heartbeat();
        } else {
            cannotTrade(cannotTrade);
        }
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
