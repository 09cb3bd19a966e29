package io.tradeflow.core.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 digests of a router state, in a canonical order (by id and symbol name, not by interned
 * symbol id or hash-map order).
 *
 * <p>{@link #of} covers what a {@link RouterStateSnapshot} holds — order-id counter, accounts
 * (switch, risk limits, open-position count, the day's realised P&amp;L), users (plan, trades
 * used, emergency stop), API keys, open positions (with their stop loss, take profit and trailing
 * distance when set) and pending limit/stop orders. It is not everything routing reads: see
 * {@link #ofAll}, which a journal replay must match.
 *
 * <p>Rate-limit windows are left out of both: they move on every alert, refused ones included,
 * and are not journaled state.
 */
public final class RouterStateDigest {
    private RouterStateDigest() {
    }

    public static String of(RouterState state) {
        return sha256(canonical(state));
    }

    /**
     * {@link #of} and everything else a replay of the journal rebuilds and routing reads: each
     * account's alert settings (pyramiding, duplicate window, max signal age, idempotency window,
     * symbol map, suffix) and allowed sources, each open position's entry count (what pyramiding
     * counts), the remembered idempotency answers, the duplicate-signal times and every symbol's
     * last price. Two states with the same digest decide the same next alert the same way.
     */
    public static String ofAll(RouterState state) {
        return sha256(describeAll(state));
    }

    /** The canonical text {@link #ofAll} hashes: compare these for a readable difference. */
    public static String describeAll(RouterState state) {
        StringBuilder canonical = canonical(state);
        List<AccountState> accounts = sortedAccounts(state);
        for (AccountState a : accounts) {
            AlertRules rules = a.alertRules();
            canonical.append("alerts ").append(a.accountId()).append(" pyramiding=").append(rules.pyramiding())
                    .append(" duplicate=").append(rules.duplicateWindowMillis())
                    .append(" maxAge=").append(rules.maxSignalAgeMillis())
                    .append(" idempotency=").append(rules.idempotencyWindowMillis())
                    .append(" map=").append(new java.util.TreeMap<>(rules.settings().symbolMap()))
                    .append(" suffix=").append(rules.settings().symbolSuffix())
                    .append(" sources=").append(java.util.Arrays.toString(a.allowedSources())).append('\n');
        }
        List<String> entries = new ArrayList<>();
        state.positions().forEach(p -> {
            if (!p.isFlat()) {
                entries.add(p.accountId() + "/" + state.symbols().name(p.symbolId()) + " " + p.entries());
            }
        });
        entries.sort(null);
        entries.forEach(e -> canonical.append("entries ").append(e).append('\n'));
        List<String> answers = new ArrayList<>();
        state.idempotency().forEachCanonical(answers::add);
        answers.sort(null);
        answers.forEach(a -> canonical.append("idempotent ").append(a).append('\n'));
        List<String> signals = new ArrayList<>();
        state.forEachSignal((key, at) -> signals.add(signal(state, key) + " at " + at));
        signals.sort(null);
        signals.forEach(sig -> canonical.append("signal ").append(sig).append('\n'));
        List<String> prices = new ArrayList<>();
        for (int id = 0; id < state.symbols().size(); id++) {
            double price = state.symbols().lastPrice(id);
            if (price != 0) {
                prices.add(state.symbols().name(id) + "=" + bits(price));
            }
        }
        prices.sort(null);
        prices.forEach(price -> canonical.append("last ").append(price).append('\n'));
        return canonical.toString();
    }

    /** A signal key (account, instrument, action, side; see {@code SignalStage}) with the instrument's name. */
    private static String signal(RouterState state, long key) {
        long accountId = key >>> 26;
        int symbolId = (int) ((key >>> 6) & 0xFFFFF);
        return accountId + "/" + state.symbols().name(symbolId) + " " + (key & 0x3F);
    }

    private static List<AccountState> sortedAccounts(RouterState state) {
        List<AccountState> accounts = new ArrayList<>();
        state.accounts().forEach(accounts::add);
        accounts.sort(Comparator.comparingLong(AccountState::accountId));
        return accounts;
    }

    private static StringBuilder canonical(RouterState state) {
        StringBuilder canonical = new StringBuilder(4096);
        canonical.append("lastOrderId=").append(state.lastOrderId()).append('\n');
        for (AccountState a : sortedAccounts(state)) {
            UserState u = a.user();
            canonical.append("account ").append(a.accountId()).append(" user ").append(u.userId())
                    .append(' ').append(a.broker()).append(" enabled=").append(a.enabled())
                    .append(" open=").append(a.openPositions())
                    .append(" limits=").append(a.rules().limits())
                    .append(" day=").append(a.tradingDay()).append(" pnl=").append(bits(a.dayRealizedPnl()))
                    .append(" signup=").append(u.signupAtMillis()).append(" trial=").append(u.onTrial())
                    .append(" trades=").append(u.tradesUsed()).append(" stop=").append(u.emergencyStop()).append('\n');
        }
        List<String> keys = new ArrayList<>();
        state.keys().forEach((hash, accountId) -> keys.add(HexFormat.of().formatHex(hash) + "=" + accountId));
        keys.sort(null);
        keys.forEach(k -> canonical.append("key ").append(k).append('\n'));
        for (long master : state.copy().publishedMasters()) {
            canonical.append("copy master ").append(master).append('\n');
        }
        state.copy().links().forEach(link -> canonical.append("copy ").append(link).append('\n'));
        List<String> positions = new ArrayList<>();
        state.positions().forEach(p -> {
            if (!p.isFlat()) {
                String protection = p.stopLoss() == 0 && p.takeProfit() == 0 && p.trailDistance() == 0 ? ""
                        : " sl " + bits(p.stopLoss()) + " tp " + bits(p.takeProfit()) + " trail " + bits(p.trailDistance());
                positions.add(p.accountId() + "/" + state.symbols().name(p.symbolId()) + " " + bits(p.quantity())
                        + " @ " + bits(p.averagePrice()) + protection);
            }
        });
        positions.sort(null);
        positions.forEach(p -> canonical.append("position ").append(p).append('\n'));
        for (PendingOrder o : state.pendingOrders().all()) {
            canonical.append("pending ").append(o.orderId()).append(' ').append(o.accountId()).append('/')
                    .append(state.symbols().name(o.symbolId())).append(' ').append(o.side()).append(' ')
                    .append(o.type()).append(' ').append(bits(o.price())).append(" x ").append(bits(o.lots())).append('\n');
        }
        return canonical;
    }

    private static String sha256(CharSequence canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Exact: two doubles hash the same only if they are the same double. */
    private static String bits(double value) {
        return Long.toHexString(Double.doubleToLongBits(value == 0.0 ? 0.0 : value));
    }
}
